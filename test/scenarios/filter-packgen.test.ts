// IMUNES's filter (ng_patmat) and packgen (ng_source) nodes: the combination examples run
// (a pass-through filter between pcs, a packet generator's frames reaching a pc at the
// configured rate, two generators feeding each other), a filter that drops ICMP by a byte
// pattern at an offset while ARP passes, and located warnings for rules ng_patmat refuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import type { Packgen } from '../../src/emulator/node/packgen';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { builder } from './topologies';

const S = 1_000_000_000;

function example(f: string): TopologyDoc {
  const file = join(IMUNES_EXAMPLES, 'combinations', f);
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

/** pc1 (10.0.0.20) — filter1 — pc2 (10.0.0.21) with the given rules on e0 (from pc1) and e1. */
function filtered(e0: string, e1 = '10 {action match_hook action_data e0}'): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const f = b.node('filter', 'filter1');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, f, { aIp: '10.0.0.20/24' });
  b.link(f, pc2, { bIp: '10.0.0.21/24' });
  f.interfaces[0]!.name = 'e0';
  f.interfaces[1]!.name = 'e1';
  b.doc.links[0]!.b.iface = 'e0';
  b.doc.links[1]!.a.iface = 'e1';
  f.interfaces[0]!.extra = { filter_rules: e0 };
  f.interfaces[1]!.extra = { filter_rules: e1 };
  return b.doc;
}

describe('filter (ng_patmat)', () => {
  for (const f of ['hub-filter_topo.imn', 'lanswitch-filter_topo.imn', 'filter-filter_topo.imn']) {
    it(`${f}: pcs ping through pass-through filters (match_hook to the other interface)`, () => {
      const doc = example(f);
      const world = new World(doc, { seed: 1 });
      expect(world.warnings.filter((w) => /filter|will not run/.test(w))).toEqual([]);
      const pcs = doc.nodes.filter((n) => n.kind === 'pc');
      const addr = (name: string) => doc.nodes.find((n) => n.name === name)!.interfaces.find((i) => i.ipv4.length > 0)!.ipv4[0]!.split('/')[0]!;
      const out = runCommand(world, pcs[0]!.name, `ping -c 1 ${addr(pcs[1]!.name)}`).output;
      expect(out).toContain('1 packets received');
    });
  }

  it('drops ICMP by its protocol byte (offset 23) while ARP and other traffic pass', () => {
    const world = new World(filtered('10 {action match_drop pattern 01 mask ff offset 23} 20 {action match_hook action_data e1}'), { seed: 1 });
    expect(world.warnings).toEqual([]);
    const drops: string[] = [];
    world.onTraffic((e) => e.action === 'drop' && drops.push(e.reason!));
    expect(runCommand(world, 'pc1', 'ping -c 2 -t 3 10.0.0.21').output).toContain('0 packets received');
    expect(drops.filter((r) => r === 'filter-drop')).toHaveLength(2);
    expect(runCommand(world, 'pc1', 'arp -an').output).toMatch(/\(10\.0\.0\.21\) at 42:00:aa/);
    // Without the drop rule the same network pings.
    const open = new World(filtered('20 {action match_hook action_data e1}'), { seed: 1 });
    expect(runCommand(open, 'pc1', 'ping -c 2 10.0.0.21').output).toContain('2 packets received');
  });

  it('an interface without rules drops everything; a rule ng_patmat refuses is a warning naming it', () => {
    const world = new World(filtered('', '10 {action match_hook action_data e0}'), { seed: 1 });
    expect(runCommand(world, 'pc1', 'ping -c 1 -t 2 10.0.0.21').output).toContain('0 packets received');
    const bad = new World(filtered('10 {action match_skipto action_data 5} 20 {action match_hook action_data e1}'), { seed: 1 });
    expect(bad.warnings).toEqual(['node filter1: e0 filter rule 10: skipto 5 names no later rule; ng_patmat refuses the list, so the interface drops every frame']);
    const bad2 = new World(filtered('10 {action match_hook pattern 0x zz mask ff offset 3 action_data e1}'), { seed: 1 });
    expect(bad2.warnings[0]).toMatch(/^node filter1: e0 filter rule 10: pattern and mask must be the same number of hex bytes/);
  });
});

describe('packgen (ng_source)', () => {
  it('filter-pktgen_topo.imn: the generator\'s echo requests reach the pc at 1 packet/s', () => {
    const doc = example('filter-pktgen_topo.imn');
    const world = new World(doc, { seed: 1 });
    expect(world.warnings.filter((w) => /packgen|filter|will not run/.test(w))).toEqual([]);
    world.sim.runUntil(9.5 * S);
    const gen = world.nodeByName('packgen1')!.bridge as Packgen;
    expect(gen.sent).toBe(10); // at 0, 1, … 9 s
    const pc = doc.nodes.find((n) => n.kind === 'pc' && world.nodeByName(n.name)!.stack!.ifaces.some((i) => i.counters.rxPackets >= 10))!;
    expect(pc).toBeDefined();
  });

  it('pktgen-pktgen_topo.imn: each generator receives and discards its peer\'s frames', () => {
    const world = new World(example('pktgen-pktgen_topo.imn'), { seed: 1 });
    world.sim.runUntil(4.5 * S);
    const g2 = world.nodeByName('packgen2')!.bridge as Packgen;
    expect(g2.sent).toBe(5);
    expect(g2.counters[0]!.rxPackets).toBe(5);
    expect(g2.counters[0]!.drops).toBe(5);
  });

  it('the rate and the packet list come from the node; a bad packet is a warning', () => {
    const b = builder();
    const g = b.node('packgen', 'gen');
    const pc = b.node('pc', 'pc1');
    b.link(g, pc, { bIp: '10.0.0.20/24' });
    g.interfaces[0]!.name = 'e0';
    b.doc.links[0]!.a.iface = 'e0';
    g.extra = { packgen: { packetrate: '50', packets: { '20': 'ffffffffffff4200aa0000990806' + '0001080006040001' + '4200aa000099' + '0a000063' + '000000000000' + '0a000014', '10': 'zz' } } };
    const world = new World(b.doc, { seed: 1 });
    expect(world.warnings).toEqual(['node gen: packet 10: not an Ethernet frame in hex (14–9018 bytes); it is not sent']);
    world.sim.runUntil(1 * S - 1);
    expect((world.nodeByName('gen')!.bridge as Packgen).sent).toBe(50);
    // The ARP requests from 10.0.0.99 taught the pc its address.
    expect(runCommand(world, 'pc1', 'arp -an').output).toContain('(10.0.0.99) at 42:00:aa:00:00:99');
  });
});
