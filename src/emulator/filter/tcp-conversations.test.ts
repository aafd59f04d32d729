// The capture-wide TCP analysis on hostile input: random bytes and mutated real segments
// never throw, and every answer stays within its bounds (fast-check; a failure prints its seed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../wire/decode';
import { buildEthernetFrame, ETHERTYPE } from '../wire/ethernet';
import { buildIpv4Packet, IP_PROTO } from '../wire/ipv4';
import { buildTcp, TCP_FLAG } from '../wire/tcp';
import { emitTcpOptions } from '../wire/tcp-options';
import { annotateTcpTree, FOLLOW_BYTES_MAX, TcpConversations, tcpConversationFields } from './tcp-conversations';

function segment(seq: number, flags: number, payload: Uint8Array, sack = false): Uint8Array {
  const options = sack ? emitTcpOptions({ sack: [{ left: seq + 100, right: seq + 200 }], tsVal: 1, tsEcr: 2 }) : emitTcpOptions({ mss: 1460, wscale: 6, sackPermitted: true });
  const tcp = buildTcp({ srcPort: 40000, dstPort: 80, seq, ack: 7, flags, window: 1000, urgent: 0, options, payload }, 0x0a000014, 0x0a000114);
  const ip = buildIpv4Packet({ src: 0x0a000014, dst: 0x0a000114, proto: IP_PROTO.TCP, ttl: 64, tos: 0, id: 1, dontFragment: true, moreFragments: false, fragOffset: 0 }, tcp);
  return buildEthernetFrame({ dst: 2, src: 1, etherType: ETHERTYPE.IPV4 }, ip);
}

describe('TcpConversations on hostile input', () => {
  it('never throws on random bytes or mutated segments, and the tree annotation holds', () => {
    const base = [segment(1000, TCP_FLAG.SYN, new Uint8Array(0)), segment(1001, TCP_FLAG.ACK, new Uint8Array(50).fill(65), true), segment(1051, TCP_FLAG.ACK | TCP_FLAG.FIN, new Uint8Array(3))];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.tuple(fc.nat(2), fc.nat(200), fc.integer({ min: 0, max: 255 })).map(([k, at, v]) => {
          const f = base[k]!.slice();
          if (at < f.length) f[at] = v;
          return f;
        })), { maxLength: 30 }),
        (frames) => {
          const conv = new TcpConversations();
          for (const f of frames) {
            const i = conv.add(f);
            if (i === null) continue;
            expect(i.seqRel).toBeGreaterThanOrEqual(0);
            expect(i.seqRel).toBeLessThan(2 ** 32);
            tcpConversationFields(i);
            annotateTcpTree(decodeFrame(f), i);
          }
          for (let s = 0; conv.stream(s) !== null; s++) {
            const follow = conv.followStream(s)!;
            expect(follow.chunks.reduce((a, c) => a + c.bytes.length, 0)).toBeLessThanOrEqual(FOLLOW_BYTES_MAX);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps at most FOLLOW_BYTES_MAX of a stream and says it was cut', () => {
    const conv = new TcpConversations();
    conv.add(segment(0, TCP_FLAG.SYN, new Uint8Array(0)));
    const chunk = new Uint8Array(1400);
    for (let seq = 1; seq < FOLLOW_BYTES_MAX + 10_000; seq += chunk.length) conv.add(segment(seq, TCP_FLAG.ACK, chunk));
    const f = conv.followStream(0)!;
    expect(f.cut).toBe(true);
    expect(f.chunks).toHaveLength(1);
    expect(f.chunks[0]!.bytes.length).toBe(FOLLOW_BYTES_MAX);
    expect(conv.stream(0)!.bytes[0]).toBeGreaterThan(FOLLOW_BYTES_MAX);
  });
});
