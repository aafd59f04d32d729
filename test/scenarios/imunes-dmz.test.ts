// IMUNES's DMZ example (DMZ+DNS+Mail+WEB_NETWORK.imn, 3.x and 2.x) runs with the firewall
// its drawing labels "Firewall + NAT": FWint hides the LAN 192.168.1.0/24 behind its DMZ
// address 15.16.17.2 (no router outside knows the LAN; RIP announces the DMZ), with a
// stateful ruleset, given as the node's startup configuration. TCP crosses it with nc.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runStartup } from '../../src/emulator/engine/startup';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { runCommand } from '../../src/emulator/shell';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { ncPair, shellSession } from '../support/shell-session';

const S = 1e9;

/** FWint's startup: NAT out of eth0 (the DMZ side), LAN may open flows, the outside may not come in. */
const FWINT_STARTUP = [
  'ipfw -q nat 1 config if eth0 same_ports',
  'ipfw -q add 100 nat 1 ip from 192.168.1.0/24 to not 15.16.17.0/24 out xmit eth0',
  'ipfw -q add 110 nat 1 ip from not 15.16.17.0/24 to 15.16.17.2 in recv eth0',
  'ipfw -q add 200 check-state',
  'ipfw -q add 300 allow ip from 192.168.1.0/24 to any in recv eth1 keep-state',
  'ipfw -q add 400 allow ip from any to any out',
  'ipfw -q add 500 allow ip from 15.16.17.0/24 to any in recv eth0',
  'ipfw -q add 600 deny ip from any to 192.168.1.0/24 in recv eth0',
];

function dmz(file: string): TopologyDoc {
  const path = join(IMUNES_EXAMPLES, file);
  const r = parseTopology(readFileSync(path, 'utf8'), path);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  r.doc.nodes.find((n) => n.name === 'FWint')!.startup = FWINT_STARTUP;
  return r.doc;
}

describe.each(['DMZ+DNS+Mail+WEB_NETWORK.imn', 'legacy/DMZ+DNS+Mail+WEB_NETWORK.imn'])('IMUNES DMZ example %s with FWint as Firewall + NAT', (file) => {
  it('a LAN pc reaches the web server on the Internet over TCP as 15.16.17.2; the Internet cannot reach the LAN', () => {
    const doc = dmz(file);
    const w = new World(doc, { seed: 11 });
    const events: TrafficEvent[] = [];
    w.onTraffic((e) => void events.push(e));
    expect(runStartup(w, doc).filter((x) => x.startsWith('FWint'))).toEqual([]);
    // RIP converges (FW announces the DMZ 15.16.17.0/24; nobody announces 192.168.1.0/24).
    w.sim.runUntil(w.sim.now() + 60 * S);
    const session = (node: string) => shellSession(w, node);
    // www is a host: its own web server answers on port 80 from Start, through the NAT too.
    expect(runCommand(w, 'pc1', 'fetch -o - http://20.0.0.3/').output).toContain('www');
    // Then nc takes port 80, so the test can see the address the connection comes from.
    expect(runCommand(w, 'www', 'service httpd stop')).toMatchObject({ exitCode: 0, output: 'Stopping httpd.\n' });
    const { server: web, client: pc } = ncPair(w, 'www', 'nc -lv 80', 'pc1', 'nc -v 20.0.0.3 80');
    expect(pc.out.text).toBe('Connection to 20.0.0.3 80 port [tcp/http] succeeded!\n');
    // www sees the NAT's DMZ address, never the LAN's.
    expect(web.out.text).toMatch(/^Connection from 15\.16\.17\.2 \d+ received!\n$/);
    pc.s.input('GET / HTTP/1.0\r\n\r\n');
    w.sim.runUntil(w.sim.now() + S);
    web.s.input('HTTP/1.0 200 OK\r\n\r\n');
    w.sim.runUntil(w.sim.now() + S);
    expect(web.out.text).toContain('GET / HTTP/1.0');
    expect(pc.out.text).toContain('HTTP/1.0 200 OK');
    expect(runCommand(w, 'FWint', 'ipfw nat 1 show').output).toMatch(/^nat 1: icmp=0, udp=0, tcp=2,/); // the fetch and the nc connection
    // A DMZ server still reaches the LAN directly (its route 192.168.1.0/24 via FWint, rule 500).
    expect(runCommand(w, 'wwwMM', 'ping -c 1 192.168.1.20').output).toContain('1 packets received');
    // The Internet cannot open a connection into the LAN, even with a route: rule 600 or no route at all.
    runCommand(w, 'FW', 'route add 192.168.1.0/24 15.16.17.2');
    const lanSrv = session('pc2');
    lanSrv.exec('nc -l 22');
    const outside = session('mm');
    outside.exec('nc 192.168.1.21 22');
    w.sim.runUntil(w.sim.now() + 80 * S);
    expect(outside.out.text).toMatch(/failed: (Operation timed out|No route to host)/);
    expect(events.some((e) => e.action === 'drop' && e.reason === 'firewall' && e.rule === 600)).toBe(true);
  }, 60_000);
});
