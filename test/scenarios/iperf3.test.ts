// iperf3 between two pcs in one shell session each (issue 14): goodput through a
// 10 Mbit/s, 20 ms link (acceptance: >= 9.3 Mbit/s reported), iperf3's line layout,
// -P 2, -R, -n, -D and -1, and the server left running in the background with `&`.
import { describe, expect, it } from 'vitest';
import { expectUdp5M3sReport } from '../support/iperf3-udp';
import { World } from '../../src/emulator/engine/world';
import { openShell } from '../../src/emulator/shell/session';
import { iperfUnit } from '../../src/emulator/node/apps/iperf3-text';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { twoPcs } from './topologies';

function lab(bandwidthBps: number, delayUs: number): TopologyDoc {
  return twoPcs({ bandwidthBps, delayUs });
}

function setup(bandwidthBps = 10e6, delayUs = 20_000) {
  const world = new World(lab(bandwidthBps, delayUs), { seed: 3 });
  let client = '';
  let server = '';
  const pc1 = openShell(world, 'n0', { write: (t) => (client += t) });
  const pc2 = openShell(world, 'n1', { write: (t) => (server += t) });
  const exec = (sh: typeof pc1, line: string) => {
    const r = { code: -1 };
    sh.exec(line, (c) => (r.code = c));
    return r;
  };
  return { world, pc1, pc2, exec, client: () => client, server: () => server };
}

/** Mbit/s of a summary line ending in `role` for stream `id`. */
function rate(text: string, id: string, role: 'sender' | 'receiver'): number {
  const re = new RegExp(`^\\[${id}\\]\\s+0\\.00-[0-9.]+\\s+sec\\s+[0-9.]+ [KMG]?Bytes\\s+([0-9.]+) ([KMG]?)bits/sec.*${role}$`, 'm');
  const m = re.exec(text);
  if (!m) throw new Error(`no ${role} line for ${id} in:\n${text}`);
  return Number(m[1]) * ({ '': 1e-6, K: 1e-3, M: 1, G: 1e3 } as Record<string, number>)[m[2]];
}

describe('iperf3', () => {
  it('formats units as iperf3 unit_snprintf does', () => {
    expect(iperfUnit(1.12 * 1048576, false)).toBe('1.12 MByte');
    expect(iperfUnit(11.2 * 1048576, false)).toBe('11.2 MByte');
    expect(iperfUnit(119 * 1048576, false)).toBe(' 119 MByte');
    expect(iperfUnit(67174, false)).toBe('65.6 KByte');
    expect(iperfUnit(9.39e6 / 8, true)).toBe('9.39 Mbit');
    expect(iperfUnit(0, true)).toBe('0.00 bit');
  });

  it('reaches >= 9.3 Mbit/s through a 10 Mbit/s, 20 ms link, with iperf3 lines on both ends', () => {
    const s = setup();
    expect(s.exec(s.pc2, 'iperf3 -s &').code).toBe(0);
    const c = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -t 10');
    s.world.sim.runUntil(15e9);
    expect(c.code).toBe(0);
    const out = s.client();
    expect(out).toMatch(/^Connecting to host 10\.0\.0\.21, port 5201\n\[  5\] local 10\.0\.0\.20 port \d+ connected to 10\.0\.0\.21 port 5201\n\[ ID\] Interval           Transfer     Bitrate         Retr  Cwnd\n/);
    expect(out).toMatch(/^\[  5\]   0\.00-1\.00   sec  \d\.\d\d MBytes  \d\.\d\d Mbits\/sec  +\d+ +[0-9.]+ [KM]Bytes {7}$/m);
    expect(out).toMatch(/^\[  5\]   9\.00-10\.00  sec /m);
    expect(out).toContain('- - - - - - - - - - - - - - - - - - - - - - - - -\n[ ID] Interval           Transfer     Bitrate         Retr\n');
    expect(out).toMatch(/^\[  5\]   0\.00-10\.00  sec  \d+\.\d MBytes  \d\.\d\d Mbits\/sec +\d+ {13}sender$/m);
    expect(out).toMatch(/^\[  5\]   0\.00-10\.\d\d  sec  \d+\.\d MBytes  \d\.\d\d Mbits\/sec {18}receiver\n\niperf Done\.\n$/m);
    const goodput = rate(out, '  5', 'receiver');
    expect(goodput).toBeGreaterThanOrEqual(9.3);
    expect(goodput).toBeLessThanOrEqual(10);
    // cwnd grows only while it limits sending (FreeBSD's CCF_CWND_LIMITED): never past the
    // peer's window (2 MB at most here) plus one increment, however long the test runs.
    const cwnds = [...out.matchAll(/ ([0-9.]+) ([KM])Bytes {7}$/gm)].map((m) => Number(m[1]) * (m[2] === 'M' ? 1048576 : 1024));
    expect(cwnds.length).toBe(10);
    expect(Math.max(...cwnds)).toBeLessThanOrEqual(2.1 * 1048576);
    // The server printed its side and listens again.
    const srv = s.server();
    expect(srv).toMatch(/^\[1\] 1001\n-{59}\nServer listening on 5201 \(test #1\)\n-{59}\nAccepted connection from 10\.0\.0\.20, port \d+\n/);
    expect(srv).toMatch(/^\[ ID\] Interval           Transfer     Bitrate\n\[  5\]   0\.00-1\.00   sec /m);
    expect(rate(srv, '  5', 'receiver')).toBeCloseTo(goodput, 1);
    expect(srv).toMatch(/Server listening on 5201 \(test #2\)\n-{59}\n$/);
  });

  it('-P 2 prints both streams and SUM lines; -R makes the server send', () => {
    const s = setup();
    s.exec(s.pc2, 'iperf3 -s &');
    const c = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -t 3 -P 2 -R');
    s.world.sim.runUntil(8e9);
    expect(c.code).toBe(0);
    const out = s.client();
    expect(out).toContain('Reverse mode, remote host 10.0.0.21 is sending\n');
    expect(out).toMatch(/^\[  7\] local 10\.0\.0\.20 port \d+ connected to 10\.0\.0\.21 port 5201$/m);
    expect(out).toMatch(/^\[SUM\]   0\.00-1\.00   sec  .* {18}$/m);
    const sum = rate(out, 'SUM', 'receiver');
    expect(sum).toBeGreaterThan(8);
    expect(rate(out, '  5', 'receiver') + rate(out, '  7', 'receiver')).toBeCloseTo(sum, 0);
    expect(rate(out, 'SUM', 'sender')).toBeGreaterThan(8);
    // In reverse mode the server is the sender: its intervals carry Retr and Cwnd.
    expect(s.server()).toContain('[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n');
    expect(s.server()).toMatch(/^\[SUM\]   0\.00-3\.\d\d   sec .* sender$/m);
  });

  it('-n sends a byte count; -1 serves one test and exits; -D detaches the server', () => {
    const s = setup();
    const srv = s.exec(s.pc2, 'iperf3 -s -1 -p 5300');
    expect(srv.code).toBe(-1);
    const c = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -p 5300 -n 1M');
    s.world.sim.runUntil(5e9);
    expect(c.code).toBe(0);
    expect(srv.code).toBe(0);
    expect(s.client(), s.client()).toMatch(/^\[  5\]   0\.00-0\.\d\d   sec  1\.00 MBytes .* sender$/m);
    expect(s.client()).toMatch(/^\[  5\]   0\.00-0\.\d\d   sec  1\.00 MBytes .* receiver$/m);
    const quiet = s.server();
    const d = s.exec(s.pc2, 'iperf3 -s -D');
    expect(d.code).toBe(0);
    const c2 = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -t 1');
    s.world.sim.runUntil(10e9);
    expect(c2.code).toBe(0);
    // The server starts (TEST_START) half a round trip before the client hears it: 1.0x-1.1x s.
    expect(s.client()).toMatch(/1\.00-1\.[01]\d +sec .*receiver\n\niperf Done\.\n$|0\.00-1\.[01]\d +sec .*receiver\n\niperf Done\.\n$/);
    // A daemon's output goes nowhere (iperf3 -D closes its terminal).
    expect(s.server()).toBe(quiet);
    expect(s.exec(s.pc2, 'jobs').code).toBe(0);
    // The daemon is in no job table: ps ax finds its PID (the foreground `iperf3 -s -1` had 1001).
    const before = s.server().length;
    expect(s.exec(s.pc2, 'ps ax').code).toBe(0);
    expect(s.server().slice(before)).toBe('  PID TT  STAT    TIME COMMAND\n 1002  -  Ss   0:00.00 iperf3 -s -D\n');
    expect(s.exec(s.pc2, 'kill 1002').code).toBe(0);
    expect(s.exec(s.pc2, 'kill 1002').code).toBe(1);
    expect(s.server()).toContain('kill: 1002: No such process\n');
    const c3 = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -t 1');
    s.world.sim.runUntil(12e9);
    expect(c3.code).toBe(1);
    expect(s.client()).toContain('iperf3: error - unable to connect to server: Connection refused\n');
    // A daemon that cannot listen says why (port 5300 is free again, 5201 is taken by a job).
    s.exec(s.pc2, 'iperf3 -s &');
    expect(s.exec(s.pc2, 'iperf3 -s -D').code).toBe(1);
    expect(s.server()).toContain('iperf3: error - unable to start listener for connections: Address already in use\n');
  });

  it('finishes whatever segment of the set-up is lost: streams wait for the server (CREATE_STREAMS, TEST_START)', () => {
    // 2% loss, 30 seeds: before, a lost params segment let the stream's SYN reach the server
    // first (refused), and a lost last handshake ACK let the client start before the server
    // accepted its stream (refused too); either left the client waiting forever.
    const stuck: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const world = new World(twoPcs({ bandwidthBps: 10e6, delayUs: 5_000, lossPercent: 2 }), { seed });
      const pc1 = openShell(world, 'n0', { write: () => undefined });
      const pc2 = openShell(world, 'n1', { write: () => undefined });
      pc2.exec('iperf3 -s &', () => undefined);
      let code = -1;
      pc1.exec('iperf3 -c 10.0.0.21 -t 1', (c) => (code = c));
      world.sim.runUntil(10e9);
      if (code !== 0) stuck.push(seed);
    }
    expect(stuck).toEqual([]);
  });

  it('a timed test ends at TEST_END: the receiver does not wait for the lossy tail to be repaired', () => {
    // iperf3's server closes its streams on TEST_END; repairs of the last window (an RTO on
    // a lost tail) do not stretch the receiver's interval. Before: 2.11-2.83 s over these seeds.
    for (let seed = 1; seed <= 10; seed++) {
      const world = new World(twoPcs({ bandwidthBps: 10e6, delayUs: 5_000, lossPercent: 2 }), { seed });
      let out = '';
      const pc1 = openShell(world, 'n0', { write: (t) => (out += t) });
      const pc2 = openShell(world, 'n1', { write: () => undefined });
      pc2.exec('iperf3 -s &', () => undefined);
      pc1.exec('iperf3 -c 10.0.0.21 -t 2', () => undefined);
      world.sim.runUntil(10e9);
      const m = /^\[  5\]   0\.00-([0-9.]+) +sec .*receiver$/m.exec(out);
      expect(m, out).not.toBeNull();
      // Start skew and TEST_END's trip: 5 ms each way; a lost TEST_END costs one RTO more.
      expect(Number(m![1]), `seed ${seed}`).toBeLessThanOrEqual(2.3);
    }
  });

  it('Retr counts the retransmissions of each connection (a lossy link)', () => {
    const world = new World(twoPcs({ bandwidthBps: 10e6, delayUs: 5_000, lossPercent: 1 }), { seed: 9 });
    let out = '';
    const pc1 = openShell(world, 'n0', { write: (t) => (out += t) });
    const pc2 = openShell(world, 'n1', { write: () => undefined });
    pc2.exec('iperf3 -s &', () => undefined);
    let code = -1;
    pc1.exec('iperf3 -c 10.0.0.21 -t 5', (c) => (code = c));
    world.sim.runUntil(20e9);
    expect(code).toBe(0);
    const m = /^\[  5\]   0\.00-5\.00   sec .*Mbits\/sec +(\d+) +sender$/m.exec(out);
    expect(m, out).not.toBeNull();
    const retr = Number(m![1]);
    expect(retr).toBeGreaterThan(0);
    // The node's count also has the control connection's few retransmissions.
    const nodeTotal = world.nodeByName('pc1')!.stack!.tcp!.stats.sndRexmitPack;
    expect(retr).toBeLessThanOrEqual(nodeTotal);
    expect(retr).toBeGreaterThanOrEqual(nodeTotal - 3);
    const intervals = [...out.matchAll(/^\[  5\] +\d+\.\d\d-\d+\.\d\d +sec .*Mbits\/sec +(\d+) +\S+ [KM]Bytes {7}$/gm)].map((x) => Number(x[1]));
    // Segments resent after the last interval (while the tail drains) count only in the summary.
    const inIntervals = intervals.reduce((a, n) => a + n, 0);
    expect(inIntervals).toBeGreaterThan(0);
    expect(inIntervals).toBeLessThanOrEqual(retr);
  });

  it('-u -b sends datagrams at the rate; the receiver reports jitter and lost/total, loss when the link is too slow', () => {
    const s = setup();
    s.exec(s.pc2, 'iperf3 -s &');
    const c = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -u -b 5M -t 3');
    s.world.sim.runUntil(6e9);
    expect(c.code).toBe(0);
    const out = s.client();
    expectUdp5M3sReport(out);
    expect(s.server()).toMatch(/^\[  5\]   1\.00-2\.00   sec   6\d\d KBytes  5\.0\d Mbits\/sec  0\.000 ms  0\/4\d\d \(0%\)  $/m);

    // 20 Mbit/s into a 10 Mbit/s link: about half is lost, and the receiver says so.
    const c2 = s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -u -b 20M -t 2');
    s.world.sim.runUntil(12e9);
    expect(c2.code).toBe(0);
    const m = /^\[  5\]   0\.00-2\.\d\d   sec .* Mbits\/sec  [0-9.]+ ms  (\d+)\/(\d+) \(([0-9.]+)%\)  receiver$/m.exec(s.client());
    expect(m, s.client()).not.toBeNull();
    expect(Number(m![3])).toBeGreaterThan(40);
    expect(Number(m![3])).toBeLessThan(60);
  });

  it('is deterministic: the same seed prints the same report', () => {
    const once = () => {
      const s = setup(10e6, 5_000);
      s.exec(s.pc2, 'iperf3 -s &');
      s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -t 2 -P 2');
      s.world.sim.runUntil(5e9);
      return s.client() + s.server();
    };
    const a = once();
    expect(a).toContain('iperf Done.');
    expect(once()).toBe(a);
  });

  it('reports option errors with iperf3 wording', () => {
    const s = setup();
    expect(s.exec(s.pc1, 'iperf3').code).toBe(1);
    expect(s.client()).toContain('iperf3: parameter error - must either be a client (-c) or server (-s)\n');
    expect(s.exec(s.pc1, 'iperf3 -c 10.0.0.21 -P 0').code).toBe(1);
    expect(s.client()).toContain('iperf3: parameter error - number of parallel streams too large (maximum = 128)\n');
  });
});
