// Startup configuration (IMUNES custom configuration): commands a node runs at Start,
// saved in .vnet, read from IMUNES custom configs; failures are located warnings and never
// stop the rest of the network.

import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runStartup, startupScripts } from '../../src/emulator/engine/startup';
import { Engine } from '../../src/emulator/engine/engine';
import { runCommand } from '../../src/emulator/shell';
import { parseVnet, serializeVnet } from '../../src/emulator/topology/vnet';
import { hostRouterHost } from './topologies';

function started(mutate: (doc: ReturnType<typeof hostRouterHost>) => void) {
  const doc = hostRouterHost();
  mutate(doc);
  const w = new World(doc, { seed: 1 });
  const warnings = runStartup(w, doc);
  return { w, warnings, sh: (n: string, l: string) => runCommand(w, n, l) };
}

const node = (doc: ReturnType<typeof hostRouterHost>, name: string) => doc.nodes.find((n) => n.name === name)!;

describe('startup configuration', () => {
  it('runs a node\'s commands at Start: its firewall is in place before any traffic', () => {
    const { sh, warnings } = started((doc) => {
      node(doc, 'router1').startup = ['# office firewall', 'ipfw -q add 100 deny icmp from any to 10.0.1.20', 'ipfw -q add 200 allow ip from any to any', ''];
    });
    expect(warnings).toEqual([]);
    expect(sh('router1', 'ipfw list').output).toBe('00100 deny icmp from any to 10.0.1.20\n00200 allow ip from any to any\n65535 deny ip from any to any\n');
    expect(sh('pc1', 'ping -c 1 -t 2 10.0.1.20').output).toContain('0 packets received');
  });

  it('turns commands VirtNet cannot run and bad lines into located warnings and runs the rest', () => {
    const { sh, warnings } = started((doc) => {
      node(doc, 'router1').startup = ['service nginx start', 'ipfw add 100 deny bogus from any to any', 'echo "unterminated', 'ipfw -q add 300 deny icmp from any to any'];
      node(doc, 'pc2').startup = ['ifconfig eth0 mtu 1400'];
    });
    expect(warnings).toEqual([
      'router1: startup:1: service nginx start: nginx does not exist in /etc/rc.d or the local startup directories (/usr/local/etc/rc.d), or is not executable',
      "router1: startup:2: ipfw add 100 deny bogus from any to any: ipfw: invalid protocol ``bogus''",
      expect.stringMatching(/^router1: startup:3: echo "unterminated: /),
    ]);
    expect(sh('router1', 'ipfw list').output).toBe('00300 deny icmp from any to any\n65535 deny ip from any to any\n');
    expect(sh('pc2', 'ifconfig eth0').output).toContain('mtu 1400');
  });

  it('runs an enabled IMUNES custom config whose command is a shell; other commands are warnings', () => {
    const { sh, warnings } = started((doc) => {
      node(doc, 'router1').extra = {
        custom_enabled: 'true',
        custom_selected: 'NODE_CONFIG fw',
        custom_configs: { NODE_CONFIG: { fw: { custom_command: '/bin/sh', custom_config: 'ipfw -q add 100 allow ip from any to any\nipfw -q nat 1 config if eth1' } } },
      };
      node(doc, 'pc2').extra = {
        custom_enabled: 'true',
        custom_selected: 'NODE_CONFIG conf1',
        custom_configs: { NODE_CONFIG: { conf1: { custom_command: '/usr/local/bin/frrboot.sh', custom_config: 'router rip\n network 10.0.0.0/8' } } },
      };
    });
    expect(warnings).toEqual(['pc2: custom config conf1: runs /usr/local/bin/frrboot.sh, which VirtNet cannot run; its 2 lines are not applied']);
    expect(sh('router1', 'ipfw nat show config').output).toBe('ipfw nat 1 config if eth1\n');
  });

  it('a malformed startup configuration never stops the rest of the network', () => {
    const { sh, warnings, w } = started((doc) => {
      // An imported custom config of the wrong shape, an over-long line, and a command that never ends.
      node(doc, 'pc1').extra = { custom_enabled: 'true', custom_selected: 'NODE_CONFIG x', custom_configs: { NODE_CONFIG: 'not a block' } };
      node(doc, 'router1').startup = ['x'.repeat(5000), 'ipfw -q add 100 allow ip from any to any', 'nc -l 80', 'ipfw -q add 200 deny ip from any to any'];
      node(doc, 'pc2').extra = { custom_enabled: 'true', custom_configs: { NODE_CONFIG: { c: { custom_command: 42, custom_config: ['ipfw', 'add'] } } } };
    });
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(warnings).toEqual(['pc2: custom config c: runs 42, which VirtNet cannot run; its 1 lines are not applied', 'router1: startup:1: line longer than 4096 characters, skipped']);
    // router1's script waits on nc (as sh would) but the network runs: rule 100 is in, traffic passes.
    expect(sh('router1', 'ipfw list').output).toBe('00100 allow ip from any to any\n65535 deny ip from any to any\n');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
  });

  it('is saved in .vnet, bounded by the schema, and run by the engine on net/start', () => {
    const doc = hostRouterHost();
    node(doc, 'router1').startup = ['ipfw -q add 100 deny icmp from any to any'];
    const text = serializeVnet(doc);
    const back = parseVnet(text, 'lab.vnet');
    expect('doc' in back && back.doc.nodes.find((n) => n.name === 'router1')!.startup).toEqual(['ipfw -q add 100 deny icmp from any to any']);
    const tooLong = JSON.parse(text);
    tooLong.nodes[1].startup = ['x'.repeat(5000)];
    const bad = parseVnet(JSON.stringify(tooLong), 'lab.vnet');
    expect('errors' in bad && bad.errors.map((d) => d.message).join('\n')).toContain('a startup line is at most 4096 characters');
    const e = new Engine(() => {});
    const r = e.handleSync({ type: 'net/start', doc: { ...doc, nodes: doc.nodes.map((n) => (n.name === 'pc1' ? { ...n, startup: ['nosuch'] } : n)) } });
    expect(r.ok && JSON.stringify(r.result)).toContain('pc1: startup:1: nosuch: sh: nosuch: not found');
    expect(e.world!.nodeByName('router1')!.stack!.fw!.rules.length).toBe(2);
  });
});

describe('IMUNES router custom configs that are FRR configuration', () => {
  it('are the router\'s frr.conf: no startup script runs them and no warning says they are not applied', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseTopology } = await import('../../src/emulator/topology/formats');
    const { IMUNES_EXAMPLES } = await import('../support/paths');
    const file = join(IMUNES_EXAMPLES, 'BGP-Anycast_custom-config.imn');
    const r = parseTopology(readFileSync(file, 'utf8'), file);
    if ('errors' in r) throw new Error('load');
    const { scripts, warnings } = startupScripts(r.doc);
    expect(warnings).toEqual([]);
    expect(scripts.filter((s) => s.source.startsWith('custom config'))).toEqual([]);
  });
});
