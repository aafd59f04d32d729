import { describe, expect, it } from 'vitest';
import { tcpSetSackEnabled } from '../../../src/emulator/stack/tcp';
import { hostRouterHost, ip } from '../harness';
import { bulkTransfer, pattern, tcpSegments } from './tcp-helpers';

function dataSeq(f: Uint8Array): number | null {
  if (f.length < 54 || f[23] !== 6) return null;
  const hl = (f[14] & 0x0f) * 4;
  const total = (f[16] << 8) | f[17];
  const t = 14 + hl;
  const thl = (f[t + 12] >>> 4) * 4;
  if (total - hl - thl === 0) return null;
  return ((f[t + 4] << 24) | (f[t + 5] << 16) | (f[t + 6] << 8) | f[t + 7]) >>> 0;
}

/** Loses data segments number 30, 33 and 36 (first transmissions only) in one window. */
function run(sack: boolean) {
  const n = hostRouterHost();
  if (!sack) tcpSetSackEnabled(n.get('pc1'), false);
  const seen = new Set<number>();
  let k = 0;
  n.impair = (node, _if, f) => {
    const s = node === 'pc1' ? dataSeq(f) : null;
    if (s === null || seen.has(s)) return [f];
    seen.add(s);
    k++;
    return k === 30 || k === 33 || k === 36 ? [] : [f];
  };
  const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5005, pattern(200_000));
  n.run(10e9);
  expect(t.done()).toBe(true);
  expect(Buffer.compare(Buffer.from(t.received()), Buffer.from(pattern(200_000)))).toBe(0);
  // Retransmissions: segments whose sequence number went out before.
  const sent = new Set<number>();
  const rexmit: number[] = [];
  for (const x of n.tx) {
    if (x.node !== 'pc1') continue;
    const s = dataSeq(x.frame);
    if (s === null) continue;
    if (sent.has(s)) rexmit.push(x.timeNs);
    sent.add(s);
  }
  return { n, rexmit, stats: n.get('pc1').tcp!.stats };
}

describe('SACK loss recovery', () => {
  it('repairs three losses in one window within one round trip, with no timeout and nothing resent twice', () => {
    const { n, rexmit, stats } = run(true);
    expect(stats.rexmtTimeouts).toBe(0);
    expect(stats.fastRetransmits).toBe(1);
    expect(rexmit).toHaveLength(3);
    const rttNs = 4_000_000; // two 1 ms links each way
    expect(rexmit[2] - rexmit[0]).toBeLessThan(rttNs);
    expect(tcpSegments(n, 'pc2').some((s) => /sack 1 \{\d+:\d+\}/.test(s.text))).toBe(true);
  });

  it('without SACK (net.inet.tcp.sack.enable=0) NewReno needs a round trip per loss', () => {
    const { rexmit, stats } = run(false);
    expect(stats.rexmtTimeouts).toBe(0);
    expect(rexmit).toHaveLength(3);
    expect(rexmit[2] - rexmit[0]).toBeGreaterThanOrEqual(2 * 4_000_000);
  });
});
