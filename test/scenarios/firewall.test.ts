// Scenario tests of the per-node firewall (issue 15): ipfw syntax and output, counters,
// stateful allow-outbound/deny-inbound for UDP and ICMP, reject versus deny, tables, and
// firewall drops in the traffic record with their rule number.

import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { openShell, runCommand } from '../../src/emulator/shell';
import { udpBind, udpSend } from '../../src/emulator/stack';
import { hostRouterHost } from './topologies';

const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const PC1 = ip(10, 0, 0, 20);
const PC2 = ip(10, 0, 1, 20);
const S = 1_000_000_000;

function world(): { w: World; drops: TrafficEvent[]; sh: (node: string, line: string) => { output: string; exitCode: number } } {
  const w = new World(hostRouterHost(), { seed: 1 });
  const drops: TrafficEvent[] = [];
  w.onTraffic((e) => {
    if (e.action === 'drop') drops.push(e);
  });
  return { w, drops, sh: (node, line) => runCommand(w, node, line) };
}

/** Office policy on router1: anything from the LAN (eth0) out, replies back in by state, nothing else in on eth1. */
function statefulRouter(sh: (n: string, l: string) => { exitCode: number }): void {
  for (const rule of [
    'ipfw -q add 100 allow ip from any to any out',
    'ipfw -q add 200 allow icmp from 10.0.0.0/24 to any in via eth0 keep-state',
    'ipfw -q add 300 allow udp from 10.0.0.0/24 to any in via eth0 keep-state',
    'ipfw -q add 500 deny ip from any to any in via eth1',
    'ipfw -q add 600 allow ip from any to any',
  ]) {
    expect(sh('router1', rule).exitCode).toBe(0);
  }
}

describe('ipfw syntax and output (FreeBSD ipfw(8))', () => {
  it('echoes added rules, lists them with the default rule 65535 deny, and shows counters aligned', () => {
    const { sh } = world();
    expect(sh('router1', 'ipfw add 100 allow icmp from 10.0.0.0/24 to any in via eth0 keep-state')).toMatchObject({
      exitCode: 0,
      output: '00100 allow icmp from 10.0.0.0/24 to any in via eth0 keep-state :default\n',
    });
    expect(sh('router1', 'ipfw add deny udp from any 1000-2000,53 to 10.0.1.20 53 out xmit eth1').output).toBe('00200 deny udp from any 53,1000-2000 to 10.0.1.20 53 out xmit eth1\n'.replace('53,1000-2000', '1000-2000,53'));
    expect(sh('router1', 'ipfw add 300 reject icmp from not me to any icmptypes 0,8').output).toBe('00300 reject icmp from not me to any icmptypes 0,8\n');
    expect(sh('router1', 'ipfw add 400 unreach port udp from any to any').output).toBe('00400 unreach port udp from any to any\n');
    expect(sh('router1', 'ipfw add 450 skipto 600 ip from any to table(3)').output).toBe('00450 skipto 600 ip from any to table(3)\n');
    expect(sh('router1', 'ipfw add 460 count log ip from any to any').output).toBe('00460 count log ip from any to any\n');
    expect(sh('router1', 'ipfw add 470 check-state').output).toBe('00470 check-state :default\n');
    expect(sh('router1', 'ipfw list').output).toBe(
      [
        '00100 allow icmp from 10.0.0.0/24 to any in via eth0 keep-state :default',
        '00200 deny udp from any 1000-2000,53 to 10.0.1.20 53 out xmit eth1',
        '00300 reject icmp from not me to any icmptypes 0,8',
        '00400 unreach port udp from any to any',
        '00450 skipto 600 ip from any to table(3)',
        '00460 count log ip from any to any',
        '00470 check-state :default',
        '65535 deny ip from any to any',
        '',
      ].join('\n'),
    );
    sh('router1', 'ipfw -q flush');
    sh('router1', 'ipfw -q add 100 allow ip from any to any');
    sh('pc1', 'ping -c 3 10.0.1.20');
    // 3 requests and 3 replies, each seen on the in and the out pass: 12 packets of 84 bytes.
    expect(sh('router1', 'ipfw show').output).toBe('00100 12 1008 allow ip from any to any\n65535  0    0 deny ip from any to any\n');
    expect(sh('router1', 'ipfw show 100').output).toBe('00100 12 1008 allow ip from any to any\n');
    expect(sh('router1', 'ipfw zero 100').output).toBe('Entry 100 cleared.\n');
    expect(sh('router1', 'ipfw show').output).toBe('00100 0 0 allow ip from any to any\n65535 0 0 deny ip from any to any\n');
    expect(sh('router1', 'ipfw zero').output).toBe('Accounting cleared.\n');
  });

  it('refuses a bad rule with the message ipfw prints and changes nothing', () => {
    const { sh } = world();
    sh('pc1', 'ipfw -q add 100 allow ip from any to any');
    const before = sh('pc1', 'ipfw list').output;
    const bad: [string, string, number][] = [
      ['ipfw add 10 deny foo from any to any', "ipfw: invalid protocol ``foo''\n", 65],
      ['ipfw add 10 frob icmp from any to any', 'ipfw: invalid action frob\n', 65],
      ['ipfw add 10 deny icmp to any', "ipfw: missing ``from''\n", 64],
      ['ipfw add 10 deny icmp from any', "ipfw: missing ``to''\n", 64],
      ['ipfw add 10 deny icmp from bogus to any', "ipfw: hostname ``bogus'' unknown\n", 68],
      ['ipfw add 10 deny icmp from any to any 80', 'ipfw: only TCP and UDP protocols are valid with port specifications\n', 65],
      ['ipfw add 10 deny udp from any to any 53 sideways', 'ipfw: unrecognised option [-1] sideways\n', 65],
      ['ipfw add 10 unreach bogus ip from any to any', "ipfw: unknown ICMP unreachable code ``bogus''\n", 65],
      ['ipfw add 70000 deny ip from any to any', 'ipfw: illegal rule number 70000\n', 64],
      ['ipfw add 300 skipto 200 ip from any to any', 'ipfw: skipto: rule number 200 is not greater than 300\n', 65],
      ['ipfw delete 7', 'ipfw: no rules rules number 7\n', 69],
      ['ipfw show 7', 'ipfw: rule 7 does not exist\n', 69],
      ['ipfw add 10 divert 8668 ip from any to any', 'ipfw: action divert is not supported by VirtNet\n', 69],
      ['ipfw queue 1 config pipe 1 weight 1000', 'ipfw: weight must be <= 100\n', 65],
      ['ipfw queue 1 config weight 10', 'ipfw: queue needs a pipe: ipfw queue N config pipe P weight W\n', 64],
    ];
    for (const [line, message, code] of bad) expect(sh('pc1', line), line).toMatchObject({ output: message, exitCode: code });
    expect(sh('pc1', 'ipfw list').output).toBe(before);
  });

  it('deletes and flushes rules; tables hold address sets for table(N)', () => {
    const { sh } = world();
    sh('router1', 'ipfw -q add 100 deny icmp from any to table(1)');
    sh('router1', 'ipfw -q add 200 allow ip from any to any');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(sh('router1', 'ipfw table 1 add 10.0.1.0/24').output).toBe('added: 10.0.1.0/24 0\n');
    expect(sh('router1', 'ipfw table 1 add 10.0.1.0/24')).toMatchObject({ output: 'exists: 10.0.1.0/24 0\nipfw: Adding record failed: record already exists\n', exitCode: 69 });
    expect(sh('router1', 'ipfw table 1 list').output).toBe('--- table(1), set(0) ---\n10.0.1.0/24 0\n');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('0 packets received');
    expect(sh('router1', 'ipfw table 1 delete 10.0.1.0/24').output).toBe('deleted: 10.0.1.0/24 0\n');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(sh('router1', 'ipfw delete 200').exitCode).toBe(0);
    expect(sh('router1', 'ipfw list').output).toBe('00100 deny icmp from any to table(1)\n65535 deny ip from any to any\n');
    expect(sh('router1', 'ipfw flush').output).toBe('Flushed all rules.\n');
    expect(sh('router1', 'ipfw list').output).toBe('65535 deny ip from any to any\n');
  });

  it('numbers rules automatically by autoinc_step 100 and skipto jumps forward', () => {
    const { sh } = world();
    expect(sh('router1', 'ipfw add count ip from any to any').output).toBe('00100 count ip from any to any\n');
    expect(sh('router1', 'ipfw add skipto 1000 icmp from any to any').output).toBe('00200 skipto 1000 icmp from any to any\n');
    sh('router1', 'ipfw -q add 300 deny icmp from any to any');
    sh('router1', 'ipfw -q add 1000 allow ip from any to any');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(sh('router1', 'ipfw show 300').output).toBe('00300 0 0 deny icmp from any to any\n');
  });
});

describe('stateful filtering: allow outbound, deny inbound', () => {
  it('ICMP: the LAN pings out and gets replies; the outside cannot ping in; drops carry reason firewall and rule 500', () => {
    const { sh, drops } = world();
    statefulRouter(sh);
    expect(sh('pc1', 'ping -c 2 10.0.1.20').output).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(sh('pc2', 'ping -c 2 -t 3 10.0.0.20').output).toContain('0 packets received');
    const fw = drops.filter((d) => d.reason === 'firewall');
    expect(fw.length).toBeGreaterThan(0);
    expect(fw.every((d) => d.rule === 500 && d.node !== undefined && d.iface === 'eth1')).toBe(true);
    expect(sh('router1', 'ipfw show 500').output).toMatch(/^00500 \d+ \d+ deny ip from any to any in via eth1\n$/);
  });

  it('UDP: replies pass while the state lives (10 s), are dropped after it expires, and unsolicited datagrams never pass', () => {
    const { w, sh, drops } = world();
    statefulRouter(sh);
    const pc1 = w.nodeByName('pc1')!.stack!;
    const pc2 = w.nodeByName('pc2')!.stack!;
    const got: number[] = [];
    const s1 = udpBind(pc1, 5000, (d) => got.push(d.payload[0]));
    const s2 = udpBind(pc2, 9, (d) => void udpSend(pc2, { dst: d.src, dstPort: d.srcPort, srcPort: 9, payload: Uint8Array.of(d.payload[0] + 100) }));
    expect('errno' in s1 || 'errno' in s2).toBe(false);
    udpSend(pc1, { dst: PC2, dstPort: 9, srcPort: 5000, payload: Uint8Array.of(1) });
    w.sim.runUntil(w.sim.now() + S);
    expect(got).toEqual([101]); // the reply came back through the state
    // Unsolicited: pc2 → pc1:5000 from another port has no state.
    udpSend(pc2, { dst: PC1, dstPort: 5000, srcPort: 7777, payload: Uint8Array.of(2) });
    w.sim.runUntil(w.sim.now() + S);
    expect(got).toEqual([101]);
    // The same flow as the state, 8 s after its last packet: still alive (each packet refreshes 10 s).
    w.sim.runUntil(w.sim.now() + 6 * S);
    udpSend(pc2, { dst: PC1, dstPort: 5000, srcPort: 9, payload: Uint8Array.of(3) });
    w.sim.runUntil(w.sim.now() + S);
    expect(got).toEqual([101, 3]);
    // After more than dyn_udp_lifetime (10 s) of silence it is gone.
    w.sim.runUntil(w.sim.now() + 11 * S);
    udpSend(pc2, { dst: PC1, dstPort: 5000, srcPort: 9, payload: Uint8Array.of(4) });
    w.sim.runUntil(w.sim.now() + S);
    expect(got).toEqual([101, 3]);
    expect(drops.filter((d) => d.reason === 'firewall' && d.proto === 'udp').map((d) => d.rule)).toEqual([500, 500]);
  });

  it('lists live dynamic rules with ipfw -d show', () => {
    const { sh } = world();
    statefulRouter(sh);
    sh('pc1', 'ping -c 1 10.0.1.20');
    const out = sh('router1', 'ipfw -d show').output;
    expect(out).toMatch(/## Dynamic rules \(1\):\n00200 2 168 \(\d+s\) STATE icmp 10\.0\.0\.20 \d+ <-> 10\.0\.1\.20 \d+ :default\n$/);
  });
});

describe('reject versus deny: what the sender sees', () => {
  it('reject answers with ICMP host unreachable; deny is silent until the timeout; a local deny is EACCES', () => {
    const { sh } = world();
    sh('router1', 'ipfw -q add 100 reject icmp from any to 10.0.1.20');
    sh('router1', 'ipfw -q add 65000 allow ip from any to any');
    const rej = sh('pc1', 'ping -c 1 10.0.1.20').output;
    expect(rej).toContain('92 bytes from router1 (10.0.0.1): Destination Host Unreachable');
    sh('router1', 'ipfw -q flush');
    sh('router1', 'ipfw -q add 100 unreach port icmp from any to 10.0.1.20');
    sh('router1', 'ipfw -q add 65000 allow ip from any to any');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('Destination Port Unreachable');
    sh('router1', 'ipfw -q flush');
    sh('router1', 'ipfw -q add 100 deny icmp from any to 10.0.1.20');
    sh('router1', 'ipfw -q add 65000 allow ip from any to any');
    const deny = sh('pc1', 'ping -c 1 -t 2 10.0.1.20').output;
    expect(deny).not.toContain('Unreachable');
    expect(deny).toContain('1 packets transmitted, 0 packets received, 100.0% packet loss');
    sh('pc1', 'ipfw -q add 100 deny icmp from any to any out');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('ping: sendto: Permission denied');
  });

  it('a stack without rules has no firewall record (idle nodes pay nothing)', () => {
    const { w, sh } = world();
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(w.nodes.every((n) => n.stack === null || n.stack.fw === null)).toBe(true);
  });
});

describe('dummynet pipes (ipfw pipe)', () => {
  it('shapes a UDP flood to the pipe rate within 2%, delays by the pipe delay, and drops on a full queue', () => {
    const { w, sh, drops } = world();
    expect(sh('router1', 'ipfw pipe 1 config bw 1Mbit/s delay 20 queue 50')).toMatchObject({ exitCode: 0, output: '' });
    sh('router1', 'ipfw -q add 100 pipe 1 udp from any to any out xmit eth1');
    sh('router1', 'ipfw -q add 200 allow ip from any to any');
    const pc1 = w.nodeByName('pc1')!.stack!;
    const pc2 = w.nodeByName('pc2')!.stack!;
    let bytes = 0;
    let first = -1;
    let last = 0;
    udpBind(pc2, 9, (d) => {
      bytes += d.payload.length + 28; // IP length, as dummynet counts it
      if (first < 0) first = d.timeNs;
      last = d.timeNs;
    });
    const t0 = w.sim.now();
    // Offered 2 Mbit/s for 5 s: a 1000-byte datagram every 4 ms, twice what the pipe carries.
    for (let k = 0; k < 1250; k++) w.sim.schedule(k * 4_000_000, () => void udpSend(pc1, { dst: PC2, dstPort: 9, srcPort: 5000, payload: new Uint8Array(972) }));
    w.sim.runUntil(t0 + 7 * S);
    // First datagram: 8 ms on the 1 Mbit/s transmitter plus 20 ms of delay (the links add nothing).
    expect(first - t0).toBe(28_000_000);
    const rate = ((bytes - 1000) * 8) / ((last - first) / 1e9);
    expect(Math.abs(rate - 1e6) / 1e6).toBeLessThan(0.02);
    const full = drops.filter((d) => d.reason === 'queue-full');
    expect(full.length).toBeGreaterThan(400);
    expect(full.every((d) => d.rule === 100)).toBe(true);
    const show = sh('router1', 'ipfw pipe show').output.split('\n');
    expect(show.slice(0, 4)).toEqual([
      '00001:   1.000 Mbit/s   20 ms burst 0',
      'q131073  50 sl. 1 flows (1 buckets) sched 65537 weight 0 lmax 0 pri 0 droptail',
      ' sched 65537 type FIFO flags 0x0 16 buckets 1 active',
      'BKT Prot ___Source IP/port____ ____Dest. IP/port____ Tot_pkt/bytes Pkt/Byte Drp',
    ]);
    const delivered = bytes / 1000;
    expect(show[4]).toBe(`  0 ip               0.0.0.0/0             0.0.0.0/0 ${String(delivered).padStart(4)} ${String(delivered * 1000).padStart(8)}  0    0 ${String(full.length).padStart(3)}`);
  });

  it('shapes an iperf3 TCP transfer to the pipe rate within 2% (goodput = rate × payload / IP bytes), counted in ipfw pipe show', () => {
    const { w, sh } = world();
    sh('router1', 'ipfw pipe 1 config bw 1Mbit/s delay 20 queue 50');
    sh('router1', 'ipfw -q add 100 pipe 1 tcp from 10.0.0.20 to 10.0.1.20 out xmit eth1');
    sh('router1', 'ipfw -q add 200 allow ip from any to any');
    let client = '';
    const pc1 = openShell(w, w.findNode('pc1')!.id, { write: (t) => (client += t) });
    const pc2 = openShell(w, w.findNode('pc2')!.id, { write: () => {} });
    pc2.exec('iperf3 -s &', () => {});
    let code = -1;
    pc1.exec('iperf3 -c 10.0.1.20 -t 10', (c) => (code = c));
    w.sim.runUntil(w.sim.now() + 20 * S);
    expect(code).toBe(0);
    const m = /^\[  5\]\s+0\.00-[0-9.]+\s+sec\s+[0-9.]+ [KM]Bytes\s+([0-9.]+) ([KM])bits\/sec\s+receiver$/m.exec(client);
    expect(m, client).not.toBeNull();
    const measuredBps = Number(m![1]) * (m![2] === 'M' ? 1e6 : 1e3);
    // dummynet counts whole IP datagrams: 1448 payload bytes (MSS with timestamps) ride in 1500.
    const expectedBps = (1e6 * 1448) / 1500;
    console.log(`pipe 1Mbit/s: iperf3 receiver ${(measuredBps / 1e3).toFixed(0)} Kbit/s, expected goodput ${(expectedBps / 1e3).toFixed(1)} Kbit/s (error ${((100 * (measuredBps - expectedBps)) / expectedBps).toFixed(2)}%)`);
    expect(Math.abs(measuredBps - expectedBps) / expectedBps).toBeLessThan(0.02);
    const show = sh('router1', 'ipfw pipe 1 show').output.split('\n');
    const bucket = /^ {2}0 ip +0\.0\.0\.0\/0 +0\.0\.0\.0\/0 +(\d+) +(\d+) +\d+ +\d+ +(\d+)$/.exec(show[4]);
    expect(bucket, show.join('\n')).not.toBeNull();
    const [pkts, bytes] = [Number(bucket![1]), Number(bucket![2])];
    expect(pkts).toBeGreaterThan(800);
    expect(bytes / pkts).toBeGreaterThan(1400); // full-sized segments
    expect(sh('router1', 'ipfw show 100').output).toBe(`00100 ${pkts + Number(bucket![3])} ${bytes} pipe 1 tcp from 10.0.0.20 to 10.0.1.20 out xmit eth1\n`);
  });

  it('queues share a pipe by weight (WF2Q+): 10 and 30 get a quarter and three quarters; alone, a queue gets it all; ipfw queue show counts', () => {
    const { w, sh } = world();
    sh('router1', 'ipfw pipe 1 config bw 1Mbit/s');
    expect(sh('router1', 'ipfw queue 1 config pipe 1 weight 10').exitCode).toBe(0);
    expect(sh('router1', 'ipfw queue 2 config pipe 1 weight 30 queue 20').exitCode).toBe(0);
    expect(sh('router1', 'ipfw add 100 queue 1 udp from any 5000 to any out xmit eth1').output).toBe('00100 queue 1 udp from any 5000 to any out xmit eth1\n');
    sh('router1', 'ipfw -q add 110 queue 2 udp from any 5001 to any out xmit eth1');
    sh('router1', 'ipfw -q add 200 allow ip from any to any');
    expect(sh('router1', 'ipfw queue show').output).toBe(
      'q00001  50 sl. 0 flows (1 buckets) sched 1 weight 10 lmax 0 pri 0 droptail\n' + 'q00002  20 sl. 0 flows (1 buckets) sched 1 weight 30 lmax 0 pri 0 droptail\n',
    );
    const pc1 = w.nodeByName('pc1')!.stack!;
    const pc2 = w.nodeByName('pc2')!.stack!;
    const t0 = w.sim.now();
    const got = [0, 0];
    // Bytes per flow in [from, to) seconds after t0 (IP length, as dummynet counts).
    const windowed: [number, number][] = [];
    for (const port of [5000, 5001]) udpBind(pc2, port, (d) => {
      const k = port - 5000;
      got[k] += d.payload.length + 28;
      windowed.push([k, (d.timeNs - t0) / S]);
    });
    // Each flow offers 1 Mbit/s (a 1000-byte datagram every 8 ms) for 6 s; flow 2 stops at 4 s.
    for (let k = 0; k < 750; k++) {
      w.sim.schedule(k * 8_000_000, () => void udpSend(pc1, { dst: PC2, dstPort: 5000, srcPort: 5000, payload: new Uint8Array(972) }));
      if (k < 500) w.sim.schedule(k * 8_000_000 + 1_000_000, () => void udpSend(pc1, { dst: PC2, dstPort: 5001, srcPort: 5001, payload: new Uint8Array(972) }));
    }
    w.sim.runUntil(t0 + 8 * S);
    const rate = (k: number, from: number, to: number) => (windowed.filter(([f, t]) => f === k && t >= from && t < to).length * 1000 * 8) / (to - from);
    const [a, b] = [rate(0, 1, 4), rate(1, 1, 4)];
    console.log(`WF2Q+ 1 Mbit/s, weights 10:30 → ${(a / 1e3).toFixed(1)} : ${(b / 1e3).toFixed(1)} Kbit/s; alone ${(rate(0, 4.5, 6) / 1e3).toFixed(1)} Kbit/s`);
    expect(Math.abs(a - 250_000) / 250_000).toBeLessThan(0.02);
    expect(Math.abs(b - 750_000) / 750_000).toBeLessThan(0.02);
    // Flow 2 has stopped: queue 1 gets the whole pipe (work-conserving).
    expect(Math.abs(rate(0, 4.5, 6) - 1e6) / 1e6).toBeLessThan(0.02);
    const show = sh('router1', 'ipfw queue 2 show').output.split('\n');
    expect(show[0]).toBe('q00002  20 sl. 1 flows (1 buckets) sched 1 weight 30 lmax 0 pri 0 droptail');
    const m = /^ {2}0 ip +0\.0\.0\.0\/0 +0\.0\.0\.0\/0 +(\d+) +(\d+) +0 +0 +(\d+)$/.exec(show[2]);
    expect(m, show.join('\n')).not.toBeNull();
    expect(Number(m![1])).toBe(got[1] / 1000);
    expect(Number(m![3])).toBe(500 - got[1] / 1000); // the rest overflowed its 20 slots
    expect(sh('router1', 'ipfw queue 2 delete').exitCode).toBe(0);
    expect(sh('router1', 'ipfw queue show').output).toMatch(/^q00001 /);
  });

  it('loses plr of the packets from its own random substream, the same on every run', () => {
    const lossRun = (): number => {
      const { w, sh, drops } = world();
      sh('router1', 'ipfw pipe 2 config plr 0.1');
      sh('router1', 'ipfw -q add 100 pipe 2 udp from any to any in recv eth0');
      sh('router1', 'ipfw -q add 200 allow ip from any to any');
      const pc1 = w.nodeByName('pc1')!.stack!;
      for (let k = 0; k < 2000; k++) w.sim.schedule(k * 1_000_000, () => void udpSend(pc1, { dst: PC2, dstPort: 9, srcPort: 5000, payload: new Uint8Array(10) }));
      w.sim.runUntil(w.sim.now() + 3 * S);
      return drops.filter((d) => d.reason === 'pipe-loss' && d.rule === 100).length;
    };
    const lost = lossRun();
    expect(lost).toBeGreaterThan(150);
    expect(lost).toBeLessThan(250);
    expect(lossRun()).toBe(lost);
  });

  it('refuses bad pipe configurations with ipfw messages and keeps the old one', () => {
    const { sh } = world();
    sh('router1', 'ipfw pipe 1 config bw 2Mbit/s');
    expect(sh('router1', 'ipfw pipe 1 config bw 2Mfurlongs')).toMatchObject({ exitCode: 65, output: "ipfw: bandwidth: unknown unit in ``2Mfurlongs''\n" });
    expect(sh('router1', 'ipfw pipe 1 config plr 2')).toMatchObject({ exitCode: 65, output: 'ipfw: plr must be in the range 0..1\n' });
    expect(sh('router1', 'ipfw pipe 1 config queue 500')).toMatchObject({ exitCode: 65, output: 'ipfw: 2 <= queue size <= 100\n' });
    expect(sh('router1', 'ipfw pipe 1 config colour red')).toMatchObject({ exitCode: 65, output: "ipfw: unrecognised option ``colour''\n" });
    expect(sh('router1', 'ipfw pipe 1 show').output).toContain('00001:   2.000 Mbit/s    0 ms burst 0\n');
    expect(sh('router1', 'ipfw pipe 1 config bw 64Kbit/s queue 8Kbytes').exitCode).toBe(0);
    expect(sh('router1', 'ipfw pipe show').output).toContain('00001:  64.000 Kbit/s    0 ms burst 0\nq131073 8 KB 0 flows');
    expect(sh('router1', 'ipfw pipe 1 delete').exitCode).toBe(0);
    expect(sh('router1', 'ipfw pipe show').output).toBe('');
  });

  it('a rule sending to a pipe that does not exist drops the packet as dummynet does', () => {
    const { sh, drops } = world();
    sh('router1', 'ipfw -q add 100 pipe 9 icmp from any to any');
    sh('router1', 'ipfw -q add 200 allow ip from any to any');
    expect(sh('pc1', 'ping -c 1 -t 2 10.0.1.20').output).toContain('0 packets received');
    expect(drops.some((d) => d.reason === 'firewall' && d.rule === 100)).toBe(true);
  });
});

describe('IMUNES nodes: the default rule', () => {
  // IMUNES loads no ipfw and never sets net.inet.ip.fw.default_to_accept (runtime/freebsd.tcl
  // loadKernelModules, nodes/router.tcl nodeInitConfigure), so FreeBSD's compiled-in default
  // applies: 65535 deny. See firewallOf in src/emulator/stack/ipfw/ruleset.ts.
  it('a router whose startup adds one allow rule denies everything else by rule 65535, as a FreeBSD node would', () => {
    const { sh, drops } = world();
    expect(sh('router1', 'sysctl net.inet.ip.fw.default_to_accept').output).toBe('net.inet.ip.fw.default_to_accept: 0\n');
    sh('router1', 'ipfw -q add 100 allow icmp from any to any');
    expect(sh('router1', 'ipfw list').output).toBe('00100 allow icmp from any to any\n65535 deny ip from any to any\n');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    expect(sh('pc1', 'traceroute -n -q 1 -w 1 -m 2 10.0.1.20').output).toContain(' 2  *');
    expect(drops.some((d) => d.reason === 'firewall' && d.rule === 65535 && d.proto === 'udp')).toBe(true);
  });
});

describe('sysctl net.inet.ip.fw.*', () => {
  it('reads FreeBSD defaults without loading the firewall; default_to_accept=1 makes rule 65535 allow', () => {
    const { w, sh } = world();
    expect(sh('router1', 'sysctl net.inet.ip.fw.default_to_accept net.inet.ip.fw.dyn_udp_lifetime').output).toBe('net.inet.ip.fw.default_to_accept: 0\nnet.inet.ip.fw.dyn_udp_lifetime: 10\n');
    sh('router1', 'sysctl -a');
    expect(w.nodeByName('router1')!.stack!.fw).toBeNull();
    expect(sh('router1', 'sysctl net.inet.ip.fw.default_to_accept=1').output).toBe('net.inet.ip.fw.default_to_accept: 0 -> 1\n');
    sh('router1', 'ipfw -q add 100 deny udp from any to any');
    expect(sh('router1', 'ipfw list').output).toBe('00100 deny udp from any to any\n65535 allow ip from any to any\n');
    expect(sh('pc2', 'ping -c 1 10.0.0.20').output).toContain('1 packets received');
    sh('router1', 'ipfw -q add 200 deny icmp from any to any');
    expect(sh('router1', 'sysctl net.inet.ip.fw.enable=0').exitCode).toBe(0);
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
  });
});
