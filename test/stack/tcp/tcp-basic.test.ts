import { describe, expect, it } from 'vitest';
import { tcpAccept, tcpClose, tcpConnect, tcpListen, tcpRecvInto, tcpSend, TCP_STATE, type TcpConn } from '../../../src/emulator/stack/tcp';
import { hostRouterHost, ip } from '../harness';
import { bulkTransfer, pattern, tcpSegments } from './tcp-helpers';

const SEC = 1_000_000_000;

describe('tcp basics', () => {
  it('recv into the reader buffer: every byte in order across the ring wrap, then end of stream', () => {
    const n = hostRouterHost();
    const data = pattern(300_000);
    const got = new Uint8Array(data.length);
    let at = 0;
    let eof = false;
    const buf = new Uint8Array(1000); // smaller than a segment: reads come in pieces
    const l = tcpListen(n.get('pc2'), 5000, 1, () => {
      const c = tcpAccept(l as never, {
        readable: () => {
          for (let k = tcpRecvInto(c!, buf); k !== 0; k = tcpRecvInto(c!, buf)) {
            if (k === null) return void (eof = true);
            got.set(buf.subarray(0, k), at);
            at += k;
          }
        },
      });
    });
    let off = 0;
    const pump = (): void => {
      for (let k = 1; off < data.length && k > 0; off += k) k = tcpSend(client, data.subarray(off)) as number;
      if (off === data.length) tcpClose(client);
    };
    const client = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 5000, { connected: pump, writable: pump }) as TcpConn;
    n.run(5 * SEC);
    expect(at).toBe(data.length);
    expect(got).toEqual(data);
    expect(eof).toBe(true);
  });

  it('handshake, a small transfer and an orderly close, segment by segment', () => {
    const n = hostRouterHost();
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5000, pattern(3000));
    n.run(1 * SEC);
    expect(t.done()).toBe(true);
    expect(t.received()).toEqual(pattern(3000));
    const lines = tcpSegments(n).filter((s) => s.node !== 'r1').map((s) => s.text);
    expect(lines[0]).toMatch(/^pc1 \[SYN\] win 65535 <mss 1460,wscale 6,sackOK,TS val \d+ ecr 0> len 0$/);
    expect(lines[1]).toMatch(/^pc2 \[SYN, ACK\] win 65535 <mss 1460,wscale 6,sackOK,TS val \d+ ecr \d+> len 0$/);
    expect(lines[2]).toMatch(/^pc1 \[ACK\] win 1024 <TS val \d+ ecr \d+> len 0$/);
    // Data in MSS-less-timestamp segments, the last with PSH and the FIN; one ACK per two segments.
    expect(lines.slice(3).map((l) => l.replace(/ <TS val \d+ ecr \d+>/, ''))).toEqual([
      'pc1 [ACK] win 1024 len 1448',
      'pc1 [ACK] win 1024 len 1448',
      'pc1 [FIN, PSH, ACK] win 1024 len 104',
      'pc2 [ACK] win 1001 len 0',
      'pc2 [ACK] win 1022 len 0',
      'pc2 [FIN, ACK] win 1024 len 0',
      'pc1 [ACK] win 1024 len 0',
    ]);
    // Sequence numbers: the SYN and each FIN take one; acks name the next byte expected.
    const segs = tcpSegments(n).filter((s) => s.node !== 'r1').map((s) => s.repr);
    const iss = segs[0].seq;
    const irs = segs[1].seq;
    expect(segs[1].ack).toBe((iss + 1) >>> 0);
    expect(segs[5].seq).toBe((iss + 1 + 2896) >>> 0);
    expect(segs[7].ack).toBe((iss + 1 + 3000 + 1) >>> 0);
    expect(segs[9].ack).toBe((irs + 2) >>> 0);
  });

  it('handshake, 10 bytes and teardown byte for byte (seed 1: ISS and timestamp offsets are fixed)', () => {
    const n = hostRouterHost();
    bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5000, pattern(10));
    n.run(1 * SEC);
    const hex = n.tx
      .filter((t) => t.node !== 'r1' && t.frame[23] === 6)
      .map((t) => {
        const f = t.frame;
        const hl = (f[14] & 15) * 4;
        return `${t.node} ${Buffer.from(f.subarray(14 + hl, 14 + ((f[16] << 8) | f[17]))).toString('hex')}`;
      });
    expect(hex).toEqual([
      // SYN: data offset 10 words, win 65535, <mss 1460, nop, wscale 6, sackOK, TS val ecr 0>
      'pc1 c0001388eb08414100000000a002ffffd98a0000020405b4010303060402080a100c497000000000',
      // SYN-ACK: ack ISS+1, the same option layout, TS echoing pc1's
      'pc2 1388c000a9d3a07aeb084142a012ffffa8b40000020405b4010303060402080ace5c181a100c4970',
      // ACK (window 1024 << 6), then the data with PSH, then FIN: <nop, nop, TS>
      'pc1 c0001388eb084142a9d3a07b80100400d37800000101080a100c4977ce5c181a',
      'pc1 c0001388eb084142a9d3a07b80180400c03300000101080a100c4977ce5c181acc262a587f8d7d7c1faa',
      'pc1 c0001388eb08414ca9d3a07b80110400d36d00000101080a100c4977ce5c181a',
      // pc2 acknowledges data and FIN at once, then closes its side; pc1's last ACK
      'pc2 1388c000a9d3a07beb08414d80100400d36900000101080ace5c181e100c4977',
      'pc2 1388c000a9d3a07beb08414d80110400d36800000101080ace5c181e100c4977',
      'pc1 c0001388eb08414da9d3a07c80100400d36400000101080a100c497bce5c181e',
    ]);
  });

  it('RST to a closed port refuses the connection', () => {
    const n = hostRouterHost();
    let err: string | null | undefined;
    tcpConnect(n.get('pc1'), ip('10.0.1.20'), 81, { closed: (e) => (err = e) });
    n.run(1 * SEC);
    expect(err).toBe('ECONNREFUSED');
    const segs = tcpSegments(n).filter((s) => s.node !== 'r1').map((s) => s.text);
    expect(segs[1]).toBe('pc2 [RST, ACK] win 0 len 0');
    expect(n.dropsOf('port-unreachable', 'pc2')).toHaveLength(1);
  });

  it('TIME_WAIT holds the active closer for 2×MSL (60 s)', () => {
    const n = hostRouterHost();
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5000, pattern(10));
    n.run(1 * SEC);
    expect(t.done()).toBe(true);
    const c = t.client as TcpConn;
    expect(c.state).toBe(TCP_STATE.TIME_WAIT);
    n.run(58 * SEC);
    expect(c.state).toBe(TCP_STATE.TIME_WAIT);
    n.run(2 * SEC);
    expect(c.state).toBe(TCP_STATE.CLOSED);
    expect(n.get('pc1').tcp!.conns.size).toBe(0);
    expect(n.get('pc2').tcp!.conns.size).toBe(0);
  });

  it('a closed socket does not wait in FIN_WAIT_2 forever when the peer never closes (60 s)', () => {
    const n = hostRouterHost();
    tcpListen(n.get('pc2'), 6000, 1, null); // never accepted, never closed
    const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 6000, {}) as TcpConn;
    n.run(0.1 * SEC);
    tcpClose(c);
    n.run(1 * SEC);
    expect(c.state).toBe(TCP_STATE.FIN_WAIT_2);
    n.run(60 * SEC);
    expect(c.state).toBe(TCP_STATE.CLOSED);
  });
});
