// Loss recovery as FreeBSD 14 does it (issue 14): limited transmit (RFC 3042), RFC 6675's
// "more than two segments SACKed" trigger, the rescue retransmission (RFC 6675 §4 NextSeg
// rule 4), Proportional Rate Reduction (RFC 6937, tcp_do_prr_ack) and ssthresh after a
// series of retransmission timeouts (FreeBSD CC_RTO, RFC 9438 §4.8).
import { describe, expect, it } from 'vitest';
import { tcpConnect, tcpListen, type TcpConn } from '../../../src/emulator/stack/tcp';
import { ccFind } from '../../../src/emulator/stack/tcp/tcp-cc';
import { prrSegments } from '../../../src/emulator/stack/tcp/tcp-sack';
import { hostRouterHost, ip, type TestNet } from '../harness';
import { bulkTransfer, pattern } from './tcp-helpers';

/** Sequence number of a TCP data segment (IPv4, Ethernet), else null. */
function dataSeq(f: Uint8Array): number | null {
  if (f.length < 54 || f[23] !== 6) return null;
  const hl = (f[14] & 0x0f) * 4;
  const total = (f[16] << 8) | f[17];
  const t = 14 + hl;
  if (total - hl - (f[t + 12] >>> 4) * 4 === 0) return null;
  return ((f[t + 4] << 24) | (f[t + 5] << 16) | (f[t + 6] << 8) | f[t + 7]) >>> 0;
}

/** A pure ACK (no SYN) carrying a SACK option (header longer than the 32 bytes of one with timestamps). */
function isSackAck(f: Uint8Array): boolean {
  if (f.length < 54 || f[23] !== 6) return false;
  const t = 14 + (f[14] & 0x0f) * 4;
  return dataSeq(f) === null && (f[t + 13] & 0x02) === 0 && (f[t + 12] >>> 4) * 4 > 32;
}

/**
 * pc1 sends `segments` full segments to pc2 and closes. `lose(k)` drops the first
 * transmission of data segment k (1-based); `dropAck(k)` the k-th SACK-bearing ACK of pc2.
 */
function transfer(segments: number, lose: (k: number) => boolean, dropAck: (k: number) => boolean = () => false) {
  const n = hostRouterHost();
  const seen = new Set<number>();
  let k = 0;
  let acks = 0;
  n.impair = (node, _if, f) => {
    if (node === 'pc2' && isSackAck(f)) return dropAck(++acks) ? [] : [f];
    const s = node === 'pc1' ? dataSeq(f) : null;
    if (s === null || seen.has(s)) return [f];
    seen.add(s);
    return lose(++k) ? [] : [f];
  };
  const data = pattern(segments * 1448);
  const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5005, data);
  n.run(20e9);
  expect(t.done()).toBe(true);
  expect(Buffer.compare(Buffer.from(t.received()), Buffer.from(data))).toBe(0);
  return { n, stats: n.get('pc1').tcp!.stats, sends: dataSends(n) };
}

/** pc1's data segments in order: sequence number, whether that sequence went out before, when. */
function dataSends(n: TestNet): { seq: number; rexmit: boolean; timeNs: number }[] {
  const sent = new Set<number>();
  const out: { seq: number; rexmit: boolean; timeNs: number }[] = [];
  for (const x of n.tx) {
    if (x.node !== 'pc1') continue;
    const s = dataSeq(x.frame);
    if (s === null) continue;
    out.push({ seq: s, rexmit: sent.has(s), timeNs: x.timeNs });
    sent.add(s);
  }
  return out;
}

/** An established pc1 → pc2 connection whose control block a test then sets by hand. */
function established(mss: number): TcpConn {
  const n = hostRouterHost();
  tcpListen(n.get('pc2'), 9, 1, null);
  const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 9, {}) as TcpConn;
  n.run(100e6);
  c.maxSeg = mss;
  return c;
}

describe('TCP loss recovery (FreeBSD 14 base stack)', () => {
  it('limited transmit: the first two duplicate ACKs each send a new segment before the fast retransmit', () => {
    const { stats, sends } = transfer(30, (k) => k === 1);
    expect(stats.rexmtTimeouts).toBe(0);
    expect(stats.fastRetransmits).toBe(1);
    const firstRexmit = sends.findIndex((s) => s.rexmit);
    const firsts = sends.filter((s) => !s.rexmit).map((s) => s.seq);
    // The initial window is 10 segments; segments 11 and 12 go on duplicate ACKs 1 and 2.
    const seg11 = sends.findIndex((s) => s.seq === firsts[10]);
    const seg12 = sends.findIndex((s) => s.seq === firsts[11]);
    expect(seg11).toBeGreaterThan(0);
    expect(seg11).toBeLessThan(firstRexmit);
    expect(seg12).toBeLessThan(firstRexmit);
  });

  it('enters recovery on two duplicate ACKs when more than two segments are SACKed (RFC 6675), not after a timeout', () => {
    // Five segments, the second lost, the first SACK-bearing ACK lost: only two duplicate
    // ACKs come back, but they SACK three segments.
    const { stats, sends } = transfer(5, (k) => k === 2, (k) => k === 1);
    expect(stats.fastRetransmits).toBe(1);
    // One round trip (4 ms) after the data left, not the 230 ms of a timeout. (The FIN, sent
    // behind the hole, is dropped out of order by the receiver and needs the timer.)
    const rexmits = sends.filter((s) => s.rexmit);
    expect(rexmits).toHaveLength(1);
    expect(rexmits[0].timeNs - sends[0].timeNs).toBeLessThan(10e6);
  });

  it('the rescue retransmission repairs a lost tail after a partial ACK without a timeout', () => {
    // Ten segments: the third and the last three lost. The retransmitted third brings a
    // partial ACK without SACK blocks; the rescue resends the last segment, whose SACK shows the rest.
    const { stats, sends } = transfer(10, (k) => k === 3 || k >= 8);
    expect(stats.fastRetransmits).toBe(1);
    const rexmits = sends.filter((s) => s.rexmit);
    expect(rexmits).toHaveLength(4);
    // Three round trips (fast retransmit, rescue, the holes it shows), no 230 ms timeout.
    for (const r of rexmits) expect(r.timeNs - sends[0].timeNs).toBeLessThan(20e6);
  });

  it('PRR lets out ssthresh/RecoverFS of what is delivered while the pipe is above ssthresh, then slow-starts to ssthresh', () => {
    const mss = 1000;
    const c = established(mss);
    // 20 segments outstanding, the first lost, ssthresh 14 (CUBIC's 0.7), one segment retransmitted.
    c.sndMax = (c.sndUna + 20 * mss) >>> 0;
    c.sndNxt = c.sndMax;
    c.ssthresh = 14 * mss;
    c.recoverFs = 20 * mss;
    c.prrDelivered = mss;
    c.prrOut = mss;
    c.sackRexmitNxt = (c.sndUna + mss) >>> 0;
    c.sackNewLoss = false;
    const sent: number[] = [];
    for (let i = 1; i <= 19; i++) {
      c.sackBlocks = [{ left: (c.sndUna + mss) >>> 0, right: (c.sndUna + (1 + i) * mss) >>> 0 }];
      const segs = prrSegments(c, mss);
      c.prrOut += segs * mss;
      c.sndMax = (c.sndMax + segs * mss) >>> 0; // new data: the pipe grows by what was sent
      sent.push(segs);
    }
    // Proportional: 0.7 of each delivered segment, rounded up per ACK, never a burst.
    expect(Math.max(...sent)).toBe(1);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(Math.ceil((20 * 14) / 20) - 1);
    // Below ssthresh (pipe 4 segments, 10 under): one segment more than delivered (PRR-SSRB) ...
    c.sndMax = (c.sndUna + 5 * mss) >>> 0;
    c.sackRexmitNxt = c.sndUna;
    c.sackBlocks = [{ left: (c.sndUna + mss) >>> 0, right: (c.sndUna + 2 * mss) >>> 0 }];
    c.prrDelivered = c.prrOut;
    expect(prrSegments(c, 2 * mss)).toBe(3);
    // ... but only what was delivered when the ACK reports a new loss (PRR-CRB).
    c.prrDelivered = c.prrOut;
    c.sackNewLoss = true;
    expect(prrSegments(c, 2 * mss)).toBe(2);
  });

  it('a timeout that ACKs sent before it prove spurious is undone: cwnd, ssthresh back, no go-back-N (RFC 3522 with timestamps, FreeBSD CC_RTO_ERR)', () => {
    const n = hostRouterHost();
    // pc2's ACKs are held for a while (a stalled return path); the first frame pc2 sends after
    // that, its answer to the timeout's retransmission, lets them all through ahead of itself.
    let held: Uint8Array[] | null = null;
    n.impair = (node, _if, f) => {
      if (node !== 'pc2' || held === null) return [f];
      if (n.sim.now() < releaseAt) {
        held.push(f);
        return [];
      }
      const out = [...held, f];
      held = null;
      return out;
    };
    let releaseAt = 0;
    const data = pattern(1024 * 1448);
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5006, data);
    n.run(20e6);
    const c = t.client;
    expect(t.done()).toBe(false);
    held = [];
    releaseAt = n.sim.now() + 200e6; // before the timer fires (about 230 ms after the last ACK)
    n.run(20e6);
    const cwnd = c.cwnd;
    const ssthresh = c.ssthresh;
    const st = n.get('pc1').tcp!.stats;
    n.run(300e6);
    expect(st.rexmtTimeouts).toBe(1);
    expect(st.sndRexmitBad).toBe(1);
    expect(c.cwnd).toBeGreaterThanOrEqual(cwnd);
    expect(c.ssthresh).toBe(ssthresh);
    n.run(20e9);
    expect(t.done()).toBe(true);
    expect(Buffer.compare(Buffer.from(t.received()), Buffer.from(data))).toBe(0);
    // Only the timeout's one segment went out twice: the undo sent on from snd_max.
    expect(c.rexmitPack).toBe(1);
    expect(dataSends(n).filter((x) => x.rexmit)).toHaveLength(1);
  });

  it('a series of retransmission timeouts cuts ssthresh once, from the data in flight; CUBIC restarts with K = 0', () => {
    for (const name of ['newreno', 'cubic']) {
      const algo = ccFind(name)!;
      const mss = 1000;
      const c = established(mss);
      algo.init(c);
      c.cwnd = 40 * mss;
      c.sndWnd = 1 << 20;
      c.sndMax = (c.sndUna + 40 * mss) >>> 0;
      const beta = name === 'cubic' ? 0.7 : 0.5;
      c.rxtShift = 1;
      algo.congSignal(c, 'rto');
      expect(c.cwnd).toBe(mss);
      expect(c.ssthresh).toBe(Math.floor(40 * beta) * mss);
      c.rxtShift = 2; // the retransmission timed out too: ssthresh stays
      algo.congSignal(c, 'rto');
      expect(c.ssthresh, name).toBe(Math.floor(40 * beta) * mss);
      expect(c.cwnd).toBe(mss);
      if (name !== 'cubic') continue;
      // Slow start back to ssthresh, then the curve starts there: W_max = cwnd, K = 0 (FreeBSD CUBICFLAG_RTO_EVENT).
      c.sndNxt = c.sndMax;
      c.rttUpdated = 8; // CUBIC trusts the smoothed RTT from the eighth sample on
      while (c.cwnd <= c.ssthresh) algo.ackReceived(c, 2 * mss, true);
      algo.ackReceived(c, mss, true);
      expect(c.cc.kNs).toBe(0);
      expect(c.cc.wMaxBytes).toBeGreaterThan(c.ssthresh);
    }
  });
});
