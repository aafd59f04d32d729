// iperf3 -u: the UDP half of a test. The sender paces datagrams at -b bits/s per stream,
// each starting with iperf3's header (send time sec/usec, sequence number); the receiver
// counts them, loss from sequence gaps and jitter as RFC 3550 §6.4.1 (iperf3's estimator).
// Streams open with iperf3's connect datagram and its reply. Sockets only (AppPort).

import type { TcpAddr } from './tcp-port';
import { udpSendAny } from './udp-any';
import type { TimerId } from '../../sim/scheduler';
import { HEADER_UDP, HEADER_UDP_SEND, IPERF_SEP, udpLine, udpSendLine, type IperfRow } from './iperf3-text';
import type { AppPort, UdpMessage } from './port';

/** iperf3's UDP_CONNECT_MSG and UDP_CONNECT_REPLY. */
export const UDP_CONNECT_MSG = 0x36373839;
export const UDP_CONNECT_REPLY = 0x39383736;
/** Default datagram payload (iperf3 DEFAULT_UDP_BLKSIZE). */
export const UDP_BLKSIZE = 1460;
/**
 * Over IPv6 iperf3 takes the control connection's MSS as the block size (1500 − 40 − 20 −
 * 12 timestamp bytes on Ethernet): a datagram of 1460 bytes would not fit one IPv6 packet.
 */
export const UDP6_BLKSIZE = 1428;

export function udpWord(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

export function isUdpWord(p: Uint8Array, v: number): boolean {
  return p.length === 4 && new DataView(p.buffer, p.byteOffset, 4).getUint32(0) === v >>> 0;
}

export interface UdpStream {
  id: number;
  /** Our bound port and the peer's address. */
  localPort: number;
  peer: { addr: TcpAddr; port: number };
  bytes: number;
  packets: number;
  markBytes: number;
  markPackets: number;
  markLost: number;
  /** Receiver: highest sequence seen, out-of-order count, jitter (ns), last transit (ns). */
  maxSeq: number;
  jitterNs: number;
  prevTransit: number;
  /** Sender: next sequence number. */
  seq: number;
}

export interface UdpResult {
  bytes: number;
  secs: number;
  retr: number;
  packets: number;
  lost: number;
  jitterMs: number;
}

export class UdpTest {
  readonly streams: UdpStream[] = [];
  t0 = -1;
  sending = false;
  stoppedNs = -1;
  private timer: TimerId | null = null;
  private sendTimer: TimerId | null = null;
  private lastMark = 0;
  private headerShown = false;
  constructor(
    private readonly app: AppPort,
    private readonly out: (s: string) => void,
    readonly sender: boolean,
    private readonly p: { interval: number; rate: number; len: number; bytes: number },
    private readonly onSendLimit: () => void,
  ) {}

  add(localPort: number, peer: { addr: TcpAddr; port: number }): UdpStream {
    const s: UdpStream = { id: 5 + 2 * this.streams.length, localPort, peer, bytes: 0, packets: 0, markBytes: 0, markPackets: 0, markLost: 0, maxSeq: 0, jitterNs: 0, prevTransit: -1, seq: 1 };
    this.streams.push(s);
    return s;
  }

  private get gapNs(): number {
    return Math.max(1, Math.round((this.p.len * 8 * 1e9) / this.p.rate));
  }

  start(): void {
    const sim = this.app.sim;
    this.t0 = sim.now();
    if (this.p.interval > 0) this.timer = sim.schedule(Math.round(this.p.interval * 1e9), () => this.tick());
    if (this.sender) {
      this.sending = true;
      this.sendRound();
    }
  }

  /** One datagram per stream, then the next round after len·8/rate seconds. */
  private sendRound(): void {
    this.sendTimer = null;
    if (!this.sending) return;
    const now = this.app.sim.now();
    for (const s of this.streams) {
      if (this.p.bytes > 0 && this.total() >= this.p.bytes) {
        this.stopSending();
        return this.onSendLimit();
      }
      const d = new Uint8Array(this.p.len);
      const v = new DataView(d.buffer);
      const rel = now;
      v.setUint32(0, Math.floor(rel / 1e9));
      v.setUint32(4, Math.floor((rel % 1e9) / 1e3));
      v.setUint32(8, s.seq++);
      const r = udpSendAny(this.app, { dst: s.peer.addr, dstPort: s.peer.port, srcPort: s.localPort, payload: d });
      if (!r.ok) continue; // iperf3 ignores ENOBUFS-like failures and goes on
      s.bytes += d.length;
      s.packets++;
    }
    this.sendTimer = this.app.sim.schedule(this.gapNs, () => this.sendRound());
  }

  private total(): number {
    return this.streams.reduce((a, s) => a + s.bytes, 0);
  }

  stopSending(): void {
    if (!this.sending) return;
    this.sending = false;
    if (this.sendTimer !== null) this.app.sim.cancel(this.sendTimer);
    this.sendTimer = null;
    this.stoppedNs = this.app.sim.now();
  }

  /** A data datagram for stream `s` (the receiver's side). */
  deliver(s: UdpStream, m: Pick<UdpMessage, 'payload' | 'timeNs'>): void {
    if (this.sender || this.t0 < 0 || m.payload.length < 12) return;
    const v = new DataView(m.payload.buffer, m.payload.byteOffset, 12);
    const sentNs = v.getUint32(0) * 1e9 + v.getUint32(4) * 1e3;
    const seq = v.getUint32(8);
    s.bytes += m.payload.length;
    s.packets++;
    if (seq > s.maxSeq) s.maxSeq = seq;
    const transit = m.timeNs - sentNs;
    if (s.prevTransit >= 0) s.jitterNs += (Math.abs(transit - s.prevTransit) - s.jitterNs) / 16;
    s.prevTransit = transit;
  }

  /** UDP has no end of stream: the receiver is done when told. */
  allEof(): boolean {
    return true;
  }

  endNs(): number {
    return this.sender && this.stoppedNs >= 0 ? this.stoppedNs : this.app.sim.now();
  }

  private secs(ns: number): number {
    return (ns - this.t0) / 1e9;
  }

  private lost(s: UdpStream): number {
    return Math.max(0, s.maxSeq - s.packets);
  }

  private tick(): void {
    this.timer = null;
    this.report(this.app.sim.now());
    this.timer = this.app.sim.schedule(Math.round(this.p.interval * 1e9), () => this.tick());
  }

  report(nowNs: number): void {
    const from = this.lastMark;
    const to = this.secs(nowNs);
    this.lastMark = to;
    if (!this.headerShown) {
      this.out((this.sender ? HEADER_UDP_SEND : HEADER_UDP) + '\n');
      this.headerShown = true;
    } else if (this.streams.length > 1) this.out(IPERF_SEP + '\n');
    const sum = { bytes: 0, packets: 0, lost: 0, jitter: 0 };
    for (const s of this.streams) {
      const row: IperfRow = { id: s.id, from, to, bytes: s.bytes - s.markBytes };
      const packets = s.packets - s.markPackets;
      const lost = this.lost(s) - s.markLost;
      s.markBytes = s.bytes;
      s.markPackets = s.packets;
      s.markLost = this.lost(s);
      sum.bytes += row.bytes;
      sum.packets += packets;
      sum.lost += lost;
      sum.jitter += s.jitterNs / 1e6 / this.streams.length;
      this.out((this.sender ? udpSendLine(row, packets) : udpLine(row, s.jitterNs / 1e6, lost, packets + lost)) + '\n');
    }
    if (this.streams.length > 1) {
      const row: IperfRow = { id: 'SUM', from, to, bytes: sum.bytes };
      this.out((this.sender ? udpSendLine(row, sum.packets) : udpLine(row, sum.jitter, sum.lost, sum.packets + sum.lost)) + '\n');
    }
  }

  finishIntervals(endNs: number): void {
    if (this.timer !== null) this.app.sim.cancel(this.timer);
    this.timer = null;
    if (this.p.interval <= 0) return;
    const moved = this.streams.some((s) => s.bytes > s.markBytes);
    // A tail shorter than 1% of the interval (a last datagram or segment in flight) is not worth a line.
    if (moved && this.secs(endNs) - this.lastMark > 0.01 * this.p.interval) this.report(endNs);
  }

  results(): UdpResult[] {
    const end = this.endNs();
    return this.streams.map((s) => ({ bytes: s.bytes, secs: this.secs(end), retr: 0, packets: s.packets, lost: this.sender ? 0 : this.lost(s), jitterMs: this.sender ? 0 : s.jitterNs / 1e6 }));
  }

  close(_abort = false): void {
    if (this.timer !== null) this.app.sim.cancel(this.timer);
    this.timer = null;
    this.stopSending();
  }
}

/** The UDP summary block: sender and receiver lines per stream (jitter, lost/total), SUM for -P > 1. */
export function udpSummary(out: (s: string) => void, ids: number[], send: UdpResult[], recv: UdpResult[], roles: { send: boolean; recv: boolean }): void {
  out(IPERF_SEP + '\n' + HEADER_UDP + '\n');
  const line = (id: number | 'SUM', r: UdpResult, role: string) =>
    out(udpLine({ id, from: 0, to: r.secs, bytes: r.bytes }, r.jitterMs, r.lost, role === 'sender' ? r.packets : r.packets + r.lost, role) + '\n');
  for (let i = 0; i < ids.length; i++) {
    if (roles.send && send[i]) line(ids[i], send[i], 'sender');
    if (roles.recv && recv[i]) line(ids[i], recv[i], 'receiver');
  }
  if (ids.length > 1) {
    const sum = (rs: UdpResult[]): UdpResult => ({
      bytes: rs.reduce((a, r) => a + r.bytes, 0),
      secs: Math.max(0, ...rs.map((r) => r.secs)),
      retr: 0,
      packets: rs.reduce((a, r) => a + r.packets, 0),
      lost: rs.reduce((a, r) => a + r.lost, 0),
      jitterMs: rs.reduce((a, r) => a + r.jitterMs, 0) / Math.max(1, rs.length),
    });
    if (roles.send) line('SUM', sum(send), 'sender');
    if (roles.recv) line('SUM', sum(recv), 'receiver');
  }
}
