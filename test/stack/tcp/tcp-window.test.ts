import { describe, expect, it } from 'vitest';
import { tcpAccept, tcpConnect, tcpListen, tcpRecv, tcpSend, tcpSetRecvSpace, type TcpConn } from '../../../src/emulator/stack/tcp';
import { hostRouterHost, ip } from '../harness';
import { bulkTransfer, isFlag, pattern, TCP_FLAG, tcpSegments } from './tcp-helpers';

const SEC = 1e9;

/** pc1 sends `bytes` to pc2, which accepts and never reads, for 30 s; `push` writes what pc1's buffer takes. */
function stalledReader(n: ReturnType<typeof hostRouterHost>, bytes: number) {
  let server: TcpConn | null = null;
  const l = tcpListen(n.get('pc2'), 7, 1, () => (server = tcpAccept(l as never)));
  const data = pattern(bytes);
  const s = { c: null as unknown as TcpConn, data, off: 0, server: (): TcpConn => server!, push: (): void => {} };
  s.push = (): void => {
    for (;;) {
      const k = tcpSend(s.c, data.subarray(s.off));
      if (typeof k !== 'number' || k === 0) return;
      s.off += k;
    }
  };
  s.c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 7, { writable: s.push }) as TcpConn;
  n.run(0.1 * SEC);
  s.push();
  n.run(30 * SEC);
  return s;
}

describe('flow control and backpressure', () => {
  it('net.inet.tcp.recvspace sets the receive buffer new connections start with: a stalled reader holds that much', () => {
    const n = hostRouterHost();
    expect(tcpSetRecvSpace(n.get('pc2'), 0)).toBe(false);
    expect(tcpSetRecvSpace(n.get('pc2'), 4 * 1024 * 1024)).toBe(false);
    expect(tcpSetRecvSpace(n.get('pc2'), 1 << 20)).toBe(true);
    const { server } = stalledReader(n, 3_000_000);
    // Nobody reads: pc2 buffers its whole 1 MB before the window closes (64 KB by default).
    expect(server().rcvBufMax).toBe(1 << 20);
    expect(server().rcvBufLen).toBeGreaterThan((1 << 20) - 1448);
  });

  it('a receiver that stops reading closes the window; the sender buffer fills, sends report 0; reading resumes the stream', () => {
    const n = hostRouterHost();
    const st = stalledReader(n, 400_000);
    const { c, data, push } = st;
    const server = st.server();
    // Nobody reads on pc2: its buffer fills to within an MSS, it advertises a zero window
    // (never a silly small one), and pc1's bounded send buffer holds the rest.
    expect(server.rcvBufLen).toBeGreaterThan(65536 - 1448);
    expect(st.off).toBeLessThan(data.length);
    expect(tcpSend(c, data.subarray(st.off))).toBe(0);
    const zeroWin = tcpSegments(n, 'pc2').filter((s) => s.repr.window === 0 && s.repr.payload.length === 0);
    expect(zeroWin.length).toBeGreaterThan(0);
    // The sender probes the closed window with one byte (persist timer) rather than giving up.
    expect(tcpSegments(n, 'pc1').filter((s) => s.repr.payload.length === 1).length).toBeGreaterThan(0);
    expect(c.state).toBe('ESTABLISHED');
    // Reading resumes the transfer to the end.
    const got: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < 200 && total < data.length; i++) {
      for (let d = tcpRecv(server); d !== null && d.length > 0; d = tcpRecv(server)) {
        got.push(d);
        total += d.length;
      }
      push();
      n.run(0.05 * SEC);
    }
    const all = Buffer.concat(got);
    expect(all.length).toBe(data.length);
    expect(Buffer.compare(all, Buffer.from(data))).toBe(0);
  });
});

describe('window updates (FreeBSD tcp_output)', () => {
  it('a reader that keeps up sends no standalone window updates: one ACK per two full segments, as delayed ACK gives', () => {
    const n = hostRouterHost();
    const data = pattern(2_000_000);
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 9, data);
    n.run(10 * SEC);
    expect(t.done()).toBe(true);
    expect(Buffer.compare(Buffer.from(t.received()), Buffer.from(data))).toBe(0);
    const full = tcpSegments(n, 'pc1').filter((s) => s.repr.payload.length > 0).length;
    const acks = tcpSegments(n, 'pc2').filter((s) => s.repr.payload.length === 0 && !isFlag(s.repr, TCP_FLAG.SYN) && !isFlag(s.repr, TCP_FLAG.FIN)).length;
    // Each read opens the window by what it took, but the ACKs of arriving data carry that:
    // an update of its own would add a segment for every few data segments.
    expect(acks).toBeGreaterThanOrEqual(Math.floor(full / 2));
    expect(acks).toBeLessThanOrEqual(Math.ceil(full / 2) + 4);
  });

  it('a reader that empties a full buffer sends the window update at once, before any persist probe', () => {
    const n = hostRouterHost();
    const st = stalledReader(n, 400_000);
    const server = st.server();
    expect(server.rcvBufLen).toBeGreaterThan(65536 - 1448);
    const before = tcpSegments(n, 'pc2').length;
    const probesBefore = tcpSegments(n, 'pc1').filter((s) => s.repr.payload.length === 1).length;
    for (let d = tcpRecv(server); d !== null && d.length > 0; d = tcpRecv(server));
    const update = tcpSegments(n, 'pc2').slice(before);
    // Sent in the read itself (no simulated time passed): a bare ACK opening the window again.
    expect(update).toHaveLength(1);
    expect(update[0].repr.payload.length).toBe(0);
    expect(update[0].repr.window << 0).toBeGreaterThan(0);
    n.run(0.01 * SEC);
    expect(tcpSegments(n, 'pc1').filter((s) => s.repr.payload.length === 1).length).toBe(probesBefore);
    expect(tcpSegments(n, 'pc1').filter((s) => s.repr.payload.length > 1).length).toBeGreaterThan(0);
  });
});
