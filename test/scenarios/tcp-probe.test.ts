// The connection panel's sample log on a real bulk transfer through a bottleneck router:
// recorded only while watched; cwnd grows in slow start, NewReno
// halves on three duplicate ACKs and CUBIC keeps 70% (RFC 5681 §3.2, RFC 9438 §4.6), every
// retransmitted segment carries why, and reading is bounded and resumable.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { TcpWatches } from '../../src/emulator/engine/inspect-tcp';
import type { TcpProbeSample } from '../../src/emulator/engine/protocol';
import { tcpSetCcAlgorithm, tcpSetSackEnabled } from '../../src/emulator/stack/tcp';
import { bulkTransfer, pattern } from '../stack/tcp/tcp-helpers';
import { builder } from './topologies';

/** pc1 —(100 Mbit/s)— router1 —(10 Mbit/s, 10 ms, 10-packet queue)— pc2: the queue overflows in slow start. */
function bottleneck() {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24', params: { bandwidthBps: 100_000_000, delayUs: 1000 } });
  b.link(r1, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24', params: { bandwidthBps: 10_000_000, delayUs: 10_000, queuePackets: 10 } });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  return b.doc;
}

function run(cc: 'newreno' | 'cubic', watch = true) {
  const w = new World(bottleneck(), { seed: 1 });
  const pc1 = w.nodeByName('pc1')!;
  tcpSetCcAlgorithm(pc1.stack!, cc);
  const t = bulkTransfer(pc1.stack!, w.nodeByName('pc2')!.stack!, 0x0a000114, 5001, pattern(3_000_000, 2));
  const watches = new TcpWatches();
  if (watch) watches.watch(pc1, t.client.key, true);
  w.sim.runUntil(20e9);
  expect(t.done()).toBe(true);
  const samples: TcpProbeSample[] = [];
  let since = 0;
  for (;;) {
    if (!watch) break;
    const r = watches.samples(pc1, t.client.key, since);
    expect(r.lost).toBe(0);
    samples.push(...r.samples);
    if (r.next === since) break;
    since = r.next;
  }
  return { samples, t, watches, pc1 };
}

const ins = (s: TcpProbeSample[]) => s.filter((x): x is Extract<TcpProbeSample, { kind: 'in' }> => x.kind === 'in');

describe('tcp sample log', () => {
  it('records nothing unless watched', () => {
    const { t } = run('newreno', false);
    expect(t.client.probe).toBeNull();
  });

  it('NewReno: cwnd grows in slow start, then three duplicate ACKs halve cwnd; retransmissions say why', () => {
    const { samples } = run('newreno');
    const firstLoss = samples.findIndex((s) => s.kind === 'loss');
    expect(firstLoss).toBeGreaterThan(0);
    const loss = samples[firstLoss] as Extract<TcpProbeSample, { kind: 'loss' }>;
    expect(loss.cause).toBe('dupack');
    expect(loss.dupAcks).toBe(3);
    // Slow start: cwnd only grows before the loss, from 10 segments to many times that.
    const before = ins(samples.slice(0, firstLoss)).filter((s) => s.flags & 0x10);
    const cw = before.map((s) => s.cwnd);
    for (let k = 1; k < cw.length; k++) expect(cw[k]).toBeGreaterThanOrEqual(cw[k - 1]!);
    expect(cw[cw.length - 1]! / cw[0]!).toBeGreaterThan(3);
    // Halving (RFC 5681 eq. 4): ssthresh = FlightSize / 2, rounded down to whole segments.
    const flight = before[before.length - 1]!.flight;
    const mss = 1448;
    expect(loss.ssthresh).toBeGreaterThanOrEqual(Math.floor(flight / 2 / mss) * mss - mss);
    expect(loss.ssthresh).toBeLessThanOrEqual(Math.ceil(flight / 2 / mss) * mss + mss);
    const rexmits = samples.filter((s) => s.kind === 'out' && s.rexmit !== null);
    expect(rexmits.length).toBeGreaterThan(0);
    expect(rexmits.every((s) => s.kind === 'out' && (s.rexmit === 'sack' || s.rexmit === 'rto'))).toBe(true);
    // The first retransmission follows the third duplicate ACK, at snd_una; with SACK on, recovery is SACK recovery's.
    const firstRexmit = samples.findIndex((s) => s.kind === 'out' && s.rexmit !== null);
    expect(firstRexmit).toBeGreaterThan(firstLoss);
    expect(samples[firstRexmit]).toMatchObject({ rexmit: 'sack', seq: loss.seq });
    // Sequence numbers are relative: the first data byte is 1, SACK blocks lie above the ACK.
    expect(samples.find((s) => s.kind === 'out' && s.len > 0)!.kind === 'out' && (samples.find((s) => s.kind === 'out' && s.len > 0) as { seq: number }).seq).toBe(1);
    const withSack = ins(samples).find((s) => s.sack.length > 0)!;
    expect(withSack.sack[0]![0]).toBeGreaterThan(withSack.ack);
  });

  it('CUBIC halves at its first loss as FreeBSD does, then cuts to 70% (β) or less, and its cwnd curve differs from NewReno', () => {
    const reno = run('newreno').samples;
    const cubic = run('cubic').samples;
    const losses = (s: TcpProbeSample[]) => s.filter((x): x is Extract<TcpProbeSample, { kind: 'loss' }> => x.kind === 'loss' && x.cause === 'dupack');
    const flightAt = (s: TcpProbeSample[], l: TcpProbeSample) => ins(s.slice(0, s.indexOf(l))).pop()!.flight;
    const ratios = (s: TcpProbeSample[]) => losses(s).map((l) => l.ssthresh / flightAt(s, l));
    const [renoFirst] = ratios(reno);
    expect(renoFirst).toBeGreaterThan(0.4);
    expect(renoFirst).toBeLessThan(0.55);
    const [first, ...later] = ratios(cubic);
    // cubic_ssthresh_update: ssthresh = cwnd / 2 at the first congestion event, then β·cwnd
    // (β·(1 + β)/2·cwnd with fast convergence, when the window had not regained W_max).
    expect(first).toBeGreaterThan(0.4);
    expect(first).toBeLessThan(0.55);
    expect(later.length).toBeGreaterThan(0);
    for (const r of later) {
      expect(r).toBeGreaterThan(0.55);
      expect(r).toBeLessThan(0.75);
    }
    const cwndAt = (s: TcpProbeSample[], tNs: number) => ins(s).filter((x) => x.tNs <= tNs).pop()?.cwnd ?? 0;
    const t = losses(reno)[0].tNs + 2e9;
    expect(cwndAt(cubic, t)).not.toBe(cwndAt(reno, t));
  });

  it('refuses unknown connections and bounds the number watched', () => {
    const { watches, pc1 } = run('newreno');
    expect(() => watches.samples(pc1, 'nope', 0)).toThrow(/not watched/);
    expect(() => watches.watch(pc1, 'nope', true)).toThrow(/no TCP connection/);
  });

  it('without SACK, NewReno answers partial ACKs with retransmissions that say so', () => {
    const w = new World(bottleneck(), { seed: 1 });
    const pc1 = w.nodeByName('pc1')!;
    tcpSetCcAlgorithm(pc1.stack!, 'newreno');
    tcpSetSackEnabled(pc1.stack!, false);
    const t = bulkTransfer(pc1.stack!, w.nodeByName('pc2')!.stack!, 0x0a000114, 5001, pattern(3_000_000, 2));
    const watches = new TcpWatches();
    watches.watch(pc1, t.client.key, true);
    w.sim.runUntil(30e9);
    expect(t.done()).toBe(true);
    const causes = new Set(watches.samples(pc1, t.client.key, 0).samples.flatMap((s) => (s.kind === 'out' && s.rexmit ? [s.rexmit] : [])));
    expect(causes.has('dupack')).toBe(true);
    expect(causes.has('partial-ack')).toBe(true);
    expect(causes.has('sack')).toBe(false);
  });
});
