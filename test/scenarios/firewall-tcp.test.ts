// Scenario tests of the per-node firewall with real TCP (issue 15): stateful
// allow-outbound/deny-inbound for TCP (setup + keep-state, established) next to UDP and
// ICMP, using nc over the engine's TCP; dynamic-rule lifetimes per TCP phase as FreeBSD's
// ip_fw_dynamic.c sets them (dyn_syn/ack/fin/rst_lifetime); reject versus reset versus deny
// for TCP, as the sender sees it.

import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { runCommand } from '../../src/emulator/shell';
import { hostRouterHost } from './topologies';
import { ncPair, shellSession } from '../support/shell-session';

const S = 1e9;

function lab(params: Parameters<typeof hostRouterHost>[0] = {}) {
  const w = new World(hostRouterHost(params), { seed: 4 });
  const events: TrafficEvent[] = [];
  w.onTraffic((e) => void events.push(e));
  const sh = (node: string, line: string) => runCommand(w, node, line);
  const session = (node: string) => shellSession(w, node);
  const run = (sec: number) => w.sim.runUntil(w.sim.now() + sec * S);
  return { w, events, sh, session, run };
}

/** The office policy of FreeBSD's handbook: LAN (eth0) may open TCP, UDP and ICMP flows out; nothing comes in unasked. */
function officePolicy(sh: (n: string, l: string) => { exitCode: number; output: string }): void {
  for (const rule of [
    'ipfw -q add 100 check-state',
    'ipfw -q add 200 allow tcp from 10.0.0.0/24 to any setup in via eth0 keep-state',
    'ipfw -q add 300 allow udp from 10.0.0.0/24 to any in via eth0 keep-state',
    'ipfw -q add 400 allow icmp from 10.0.0.0/24 to any in via eth0 keep-state',
    'ipfw -q add 500 deny ip from any to any in via eth1',
    'ipfw -q add 600 allow ip from any to any out',
  ]) {
    expect(sh('router1', rule).exitCode, rule).toBe(0);
  }
}

describe('stateful TCP through ipfw (check-state, setup keep-state)', () => {
  it('the LAN opens a TCP connection out and talks both ways; the outside cannot connect in', () => {
    const { sh, session, run, events, w } = lab();
    officePolicy(sh);
    const server = session('pc2');
    const client = session('pc1');
    server.exec('nc -l 5000');
    run(0.1);
    client.exec('nc 10.0.1.20 5000');
    run(1);
    expect(client.s.input('from the LAN\n')).toBe(true);
    run(1);
    expect(server.out.text).toBe('from the LAN\n');
    expect(server.s.input('reply from outside\n')).toBe(true);
    run(1);
    expect(client.out.text).toBe('reply from outside\n');
    // One established TCP state (SYN both ways, ACKs both ways): dyn_ack_lifetime, 300 s.
    const dyn = sh('router1', 'ipfw -d show').output;
    expect(dyn).toMatch(/## Dynamic rules \(1\):\n00200 \d+ \d+ \((29\d|300)s\) STATE tcp 10\.0\.0\.20 49152 <-> 10\.0\.1\.20 5000 :default\n$/);
    // The other way: pc2 → pc1 has no state, its SYN dies at rule 500 and nc gives up (keepinit, 75 s).
    const inbound = session('pc1');
    inbound.exec('nc -l 6000');
    const outside = session('pc2');
    outside.exec('nc 10.0.0.20 6000');
    run(80);
    expect(outside.out.text).toBe('nc: connect to 10.0.0.20 port 6000 (tcp) failed: Operation timed out\n');
    const drops = events.filter((e) => e.action === 'drop' && e.reason === 'firewall' && e.proto === 'tcp');
    expect(drops.length).toBeGreaterThan(1);
    expect(drops.every((d) => d.rule === 500 && d.node === w.nodeByName('router1')!.id && d.iface === 'eth1')).toBe(true);
    // UDP and ICMP follow the same policy.
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(sh('pc2', 'ping -c 1 -t 2 10.0.0.20').output).toContain('0 packets received');
  });

  it('established without state: `allow tcp … established` lets replies of any TCP flow through, SYNs from outside not', () => {
    const { w, sh, session, run } = lab();
    for (const rule of [
      'ipfw -q add 100 allow tcp from any to any established',
      'ipfw -q add 200 allow tcp from 10.0.0.0/24 to any setup',
      'ipfw -q add 300 deny tcp from any to any',
      'ipfw -q add 400 allow ip from any to any',
    ]) {
      sh('router1', rule);
    }
    const { server: server, client: client } = ncPair(w, 'pc2', 'nc -l 5000', 'pc1', 'nc -v 10.0.1.20 5000');
    expect(client.out.text).toBe('Connection to 10.0.1.20 5000 port [tcp/*] succeeded!\n');
    session('pc1').exec('nc -l 6000');
    run(0.1);
    const r = session('pc2');
    r.exec('nc 10.0.0.20 6000');
    run(80);
    expect(r.out.text).toContain('Operation timed out');
    expect(sh('router1', 'ipfw show 300').output).toMatch(/^00300 [1-9]\d* \d+ deny tcp from any to any\n$/);
  });
});

describe('iperf3 through a stateful firewall', () => {
  it('iperf3 from the LAN runs through check-state at full speed with no firewall drop; from outside it cannot connect', () => {
    const { w, sh, session, run, events } = lab({ bandwidthBps: 10_000_000, delayUs: 5000 });
    officePolicy(sh);
    session('pc2').exec('iperf3 -s &');
    const c = session('pc1');
    c.exec('iperf3 -c 10.0.1.20 -t 3');
    run(2);
    // Two live states meanwhile: iperf3's control connection and its data stream (then FINs: 1 s).
    expect(sh('router1', 'ipfw -d show').output).toContain('## Dynamic rules (2):\n');
    run(6);
    expect(sh('router1', 'ipfw -d show').output).not.toContain('STATE');
    expect(c.out.code).toBe(0);
    const m = /^\[  5\]\s+0\.00-[0-9.]+\s+sec\s+[0-9.]+ [KMG]Bytes\s+([0-9.]+) ([KMG])bits\/sec\s+receiver$/m.exec(c.out.text);
    expect(m, c.out.text).not.toBeNull();
    expect(Number(m![1]) * (m![2] === 'M' ? 1 : m![2] === 'G' ? 1000 : 0.001)).toBeGreaterThan(9);
    expect(events.filter((e) => e.action === 'drop' && e.reason === 'firewall')).toEqual([]);
    const back = session('pc1');
    back.exec('iperf3 -s -1 &');
    const out = session('pc2');
    out.exec('iperf3 -c 10.0.0.20 -t 1');
    run(90);
    expect(out.out.code).not.toBe(0);
    expect(events.some((e) => e.action === 'drop' && e.rule === 500 && e.proto === 'tcp' && e.node === w.nodeByName('router1')!.id)).toBe(true);
  });
});

describe('dynamic TCP states live as long as FreeBSD keeps them (net.inet.ip.fw.dyn_*_lifetime)', () => {
  it('SYN only: dyn_syn_lifetime (20 s); refused with a RST: dyn_rst_lifetime (1 s); closed both ways: dyn_fin_lifetime (1 s)', () => {
    const { w, sh, session, run } = lab();
    officePolicy(sh);
    // A SYN toward a host that never answers: the state lives 20 s after its last SYN.
    const lost = session('pc1');
    lost.exec('nc 10.0.1.99 80');
    run(0.5);
    expect(sh('router1', 'ipfw -d show').output).toMatch(/\(20s\) STATE tcp 10\.0\.0\.20 \d+ <-> 10\.0\.1\.99 80 :default\n$/);
    lost.s.interrupt();
    run(25);
    expect(sh('router1', 'ipfw -d show').output).not.toContain('10.0.1.99');
    // A closed port: pc2 answers RST, the state drops to 1 s and is gone after it.
    expect(sh('pc1', 'nc 10.0.1.20 81').output).toBe('nc: connect to 10.0.1.20 port 81 (tcp) failed: Connection refused\n');
    expect(sh('router1', 'ipfw -d show').output).toMatch(/\(1s\) STATE tcp 10\.0\.0\.20 \d+ <-> 10\.0\.1\.20 81 :default\n$/);
    run(2);
    expect(sh('router1', 'ipfw -d show').output).not.toContain('STATE');
    // A connection that closes (FIN both ways): 1 s, then gone.
    const { server: server, client: client } = ncPair(w, 'pc2', 'nc -l 5000', 'pc1', 'nc 10.0.1.20 5000');
    client.s.interrupt();
    run(0.2);
    expect(sh('router1', 'ipfw -d show').output).toMatch(/\(1s\) STATE tcp 10\.0\.0\.20 \d+ <-> 10\.0\.1\.20 5000 :default\n$/);
    run(2);
    expect(sh('router1', 'ipfw -d show').output).not.toContain('STATE');
  });

  it('an idle established connection outlives dyn_ack_lifetime only while it talks; after it, the outside side is cut off', () => {
    const { w, sh, session, run, events } = lab();
    officePolicy(sh);
    expect(sh('router1', 'sysctl net.inet.ip.fw.dyn_ack_lifetime=30').output).toBe('net.inet.ip.fw.dyn_ack_lifetime: 300 -> 30\n');
    const { server: server, client: client } = ncPair(w, 'pc2', 'nc -l 5000', 'pc1', 'nc 10.0.1.20 5000');
    // Talking every 20 s keeps the state (each exchange renews 30 s).
    for (let k = 0; k < 3; k++) {
      server.s.input(`tick ${k}\n`);
      run(20);
    }
    expect(client.out.text).toBe('tick 0\ntick 1\ntick 2\n');
    // Silent for 40 s: the state expires, and pc2's next segment is dropped by rule 500.
    run(40);
    expect(sh('router1', 'ipfw -d show').output).not.toContain('STATE');
    const before = events.filter((e) => e.action === 'drop' && e.rule === 500).length;
    server.s.input('too late\n');
    run(2);
    expect(client.out.text).not.toContain('too late');
    expect(events.filter((e) => e.action === 'drop' && e.rule === 500 && e.proto === 'tcp').length).toBeGreaterThan(before);
  });
});

describe('reject, reset and deny for TCP: what the sender sees', () => {
  function refuse(action: string) {
    const l = lab();
    l.sh('router1', `ipfw -q add 100 ${action} tcp from any to 10.0.1.20 5000`);
    l.sh('router1', 'ipfw -q add 65000 allow ip from any to any');
    const server = l.session('pc2');
    server.exec('nc -l 5000');
    l.run(0.1);
    const client = l.session('pc1');
    const t0 = l.w.sim.now();
    client.exec('nc 10.0.1.20 5000');
    let doneNs = -1;
    for (let k = 0; k < 900 && client.out.code < 0; k++) l.run(0.1);
    if (client.out.code >= 0) doneNs = l.w.sim.now() - t0;
    const pc1 = l.w.nodeByName('pc1')!.id;
    const rx = l.events.filter((e) => e.node === pc1 && e.action === 'rx');
    return { ...l, client, doneNs, rx };
  }

  it('reset: a RST from the firewall in the server\'s name: nc says "Connection refused" at once', () => {
    const { client, doneNs, rx, sh } = refuse('reset');
    expect(sh('router1', 'ipfw list 100').output).toBe('00100 reset tcp from any to 10.0.1.20 5000\n');
    expect(client.out.text).toBe('nc: connect to 10.0.1.20 port 5000 (tcp) failed: Connection refused\n');
    expect(doneNs).toBeLessThan(0.2 * S);
    const rst = rx.filter((e) => e.proto === 'tcp');
    expect(rst.length).toBe(1);
    expect(rst[0].summary).toMatch(/^5000 → \d+ \[RST, ACK\] Seq=0 Ack=\d+ Win=0 Len=0$/);
  });

  it('reject: ICMP host unreachable (FreeBSD answers TCP with ICMP too), a soft error until the SYN has been resent 4 times: "No route to host"; deny: nothing, "Operation timed out"', () => {
    const rej = refuse('reject');
    const icmp = rej.rx.filter((e) => e.proto === 'icmp');
    expect(icmp.length).toBe(5); // the SYN and 4 retransmissions, each answered (tcp_notify: rxtshift > 3)
    expect(icmp[0].summary).toContain('Destination unreachable (Host unreachable)');
    expect(rej.client.out.text).toBe('nc: connect to 10.0.1.20 port 5000 (tcp) failed: No route to host\n');
    const deny = refuse('deny');
    expect(deny.rx.filter((e) => e.proto === 'icmp' || e.proto === 'tcp')).toEqual([]);
    expect(deny.client.out.text).toBe('nc: connect to 10.0.1.20 port 5000 (tcp) failed: Operation timed out\n');
  });

  it('unreach port: the SYN_SENT connection ends at once, "Connection refused"; unreach filter-prohib: "No route to host" (icmp_may_rst)', () => {
    const port = refuse('unreach port');
    expect(port.client.out.text).toBe('nc: connect to 10.0.1.20 port 5000 (tcp) failed: Connection refused\n');
    expect(port.doneNs).toBeLessThan(0.2 * S);
    const admin = refuse('unreach filter-prohib');
    expect(admin.client.out.text).toBe('nc: connect to 10.0.1.20 port 5000 (tcp) failed: No route to host\n');
    expect(admin.doneNs).toBeLessThan(0.2 * S);
  });

  it('a reset rule drops non-TCP silently (send_reject only answers TCP)', () => {
    const { sh } = lab();
    sh('router1', 'ipfw -q add 100 reset ip from any to 10.0.1.20');
    sh('router1', 'ipfw -q add 65000 allow ip from any to any');
    expect(sh('pc1', 'ping -c 1 -t 2 10.0.1.20').output).toMatch(/1 packets transmitted, 0 packets received/);
  });
});
