import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etherInput } from '../../../src/emulator/stack/index';
import { tcpAccept, tcpConnect, tcpListen, tcpRecv, tcpSend, tcpShutdown, TCP_STATE, type TcpConn } from '../../../src/emulator/stack/tcp';
import { buildEthernetFrame } from '../../../src/emulator/wire/ethernet';
import { buildIpv4Packet, IP_PROTO } from '../../../src/emulator/wire/ipv4';
import { buildTcp, TCP_FLAG } from '../../../src/emulator/wire/tcp';
import { hostRouterHost, ip, TestNet } from '../harness';
import { pattern, tcpSegments } from './tcp-helpers';

const SEC = 1_000_000_000;

/** pc1 — pc2 on one /24, no router. */
function lan(): TestNet {
  const n = new TestNet();
  n.add('pc1', false, 1);
  n.add('pc2', false, 1);
  n.link('pc1', 0, 'pc2', 0);
  n.addr('pc1', 'eth0', '10.0.0.20/24');
  n.addr('pc2', 'eth0', '10.0.0.21/24');
  return n;
}

/** A frame from 10.0.0.20:sport to pc2 as if pc1 sent it (pc2's MAC from its interface). */
function forge(n: TestNet, seg: { srcPort: number; dstPort: number; seq: number; ack: number; flags: number; window?: number; payload?: Uint8Array }, src = '10.0.0.20'): Uint8Array {
  const pc2 = n.get('pc2');
  const tcp = buildTcp({ window: 1000, urgent: 0, payload: new Uint8Array(0), ...seg }, ip(src), ip('10.0.0.21'));
  const ipv4 = buildIpv4Packet({ src: ip(src), dst: ip('10.0.0.21'), proto: IP_PROTO.TCP, ttl: 64, tos: 0, id: 1, dontFragment: true, moreFragments: false, fragOffset: 0 }, tcp);
  return buildEthernetFrame({ dst: pc2.ifaces[0].mac, src: n.get('pc1').ifaces[0].mac, etherType: 0x0800 }, ipv4);
}

describe('tcp robustness', () => {
  it('a SYN flood on a listener is bounded by its backlog', () => {
    const n = lan();
    const l = tcpListen(n.get('pc2'), 80, 5, null);
    if ('errno' in l) throw new Error(l.errno);
    n.run(0.01 * SEC);
    for (let i = 0; i < 200; i++) etherInput(n.get('pc2'), 0, forge(n, { srcPort: 1000 + i, dstPort: 80, seq: i * 7919, ack: 0, flags: TCP_FLAG.SYN }, `10.0.0.${100 + (i % 50)}`));
    expect(l.synCount).toBe(5);
    expect(n.get('pc2').tcp!.conns.size).toBe(5);
    expect(n.dropsOf('listen-queue-full', 'pc2')).toHaveLength(195);
    expect(n.get('pc2').tcp!.stats.listenOverflows).toBe(195);
    // The embryonic connections time out (connection-establishment timer), freeing the backlog.
    n.run(80 * SEC);
    expect(l.synCount).toBe(0);
    expect(n.get('pc2').tcp!.conns.size).toBe(0);
  });

  it('simultaneous open reaches ESTABLISHED on both sides (RFC 9293 figure 8)', () => {
    const n = lan();
    const a = tcpConnect(n.get('pc1'), ip('10.0.0.21'), 7000, {}, 7001) as TcpConn;
    const b = tcpConnect(n.get('pc2'), ip('10.0.0.20'), 7001, {}, 7000) as TcpConn;
    n.run(1 * SEC);
    expect(a.state).toBe(TCP_STATE.ESTABLISHED);
    expect(b.state).toBe(TCP_STATE.ESTABLISHED);
    for (const node of ['pc1', 'pc2']) {
      const flags = tcpSegments(n, node).map((s) => s.text.replace(/ <.*>/, '').replace(/ win \d+/, ''));
      expect(flags.slice(0, 2)).toEqual([`${node} [SYN] len 0`, `${node} [SYN, ACK] len 0`]);
    }
  });

  it('half-close: the side that shut down keeps receiving', () => {
    const n = hostRouterHost();
    let server: TcpConn | null = null;
    const l = tcpListen(n.get('pc2'), 9, 4, () => (server = tcpAccept(l as never)));
    const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 9, {}) as TcpConn;
    n.run(0.1 * SEC);
    tcpShutdown(c);
    n.run(0.1 * SEC);
    expect(c.state).toBe(TCP_STATE.FIN_WAIT_2);
    expect(server!.state).toBe(TCP_STATE.CLOSE_WAIT);
    expect(tcpRecv(server!)).toBeNull(); // EOF
    expect(tcpSend(server!, pattern(5000))).toBe(5000);
    n.run(0.1 * SEC);
    expect(tcpRecv(c)).toEqual(pattern(5000));
    tcpShutdown(server!);
    n.run(0.1 * SEC);
    expect(c.state).toBe(TCP_STATE.TIME_WAIT);
    expect(server!.state).toBe(TCP_STATE.CLOSED);
  });

  it('random segments aimed at an open connection never throw or desynchronise it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seqOff: fc.integer({ min: -70000, max: 70000 }),
            ackOff: fc.integer({ min: -70000, max: 70000 }),
            flags: fc.integer({ min: 0, max: 0xff }),
            window: fc.nat(0xffff),
            len: fc.nat(100),
            spoofPort: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        (attacks) => {
          const n = lan();
          let server: TcpConn | null = null;
          const got: Uint8Array[] = [];
          const l = tcpListen(n.get('pc2'), 80, 4, () => {
            server = tcpAccept(l as never, {
              readable: () => {
                for (let d = tcpRecv(server!); d !== null && d.length > 0; d = tcpRecv(server!)) got.push(d);
              },
            });
          });
          const c = tcpConnect(n.get('pc1'), ip('10.0.0.21'), 80, {}) as TcpConn;
          n.run(0.1 * SEC);
          const s = server as TcpConn | null;
          expect(s?.state).toBe(TCP_STATE.ESTABLISHED);
          // Segments from another port never touch the connection, whatever they carry. Segments on
          // the connection's own 4-tuple with random numbers and control bits (no data, FIN or RST,
          // which any TCP accepts in window by design) may only be dropped or answered.
          for (const a of attacks) {
            const sport = a.spoofPort ? c.localPort + 1 : c.localPort;
            const flags = a.spoofPort ? a.flags : a.flags & ~(TCP_FLAG.RST | TCP_FLAG.FIN);
            const payload = a.spoofPort ? pattern(a.len, a.len) : new Uint8Array(0);
            const f = forge(n, { srcPort: sport, dstPort: 80, seq: (c.sndNxt + a.seqOff) >>> 0, ack: (c.rcvNxt + a.ackOff) >>> 0, flags, window: a.window, payload });
            etherInput(n.get('pc2'), 0, f);
            n.run(0.001 * SEC);
          }
          // The real sender still gets its data through, byte for byte.
          expect(s!.state).toBe(TCP_STATE.ESTABLISHED);
          expect(c.state).toBe(TCP_STATE.ESTABLISHED);
          {
            const before = got.reduce((x, g) => x + g.length, 0);
            tcpSend(c, pattern(3000, 99));
            n.run(30 * SEC);
            const all = new Uint8Array(got.reduce((x, g) => x + g.length, 0));
            let o = 0;
            for (const g of got) {
              all.set(g, o);
              o += g.length;
            }
            expect(all.subarray(before)).toEqual(pattern(3000, 99));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
