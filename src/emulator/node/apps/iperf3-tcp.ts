// iperf3's TCP measurement (the half both ends share): writes 128 KiB blocks paced at
// IPERF_WRITE_BPS to each data stream or reads them, counts bytes and retransmissions,
// prints interval lines, and the TCP summary block. Sockets only (TcpPort).

import type { TimerId } from '../../sim/scheduler';
import type { Timers } from '../proc-gate';
import type { IperfParams, Out } from './iperf3-types';
import { HEADER_RECV, HEADER_SEND, HEADER_SEND_CWND, IPERF_SEP, recvLine, sendLine, sendLineCwnd, type IperfRow } from './iperf3-text';
import type { TcpPort, TcpSocketHandle } from './tcp-port';

/** iperf3's default TCP block (128 KiB): what one write offers the socket. */
const BLOCK = new Uint8Array(128 * 1024);
/**
 * How fast the sending host hands blocks to its sockets (1 Gbit/s): a model of iperf3's
 * CPU cost, so a test over unlimited zero-delay links still advances virtual time.
 */
export const IPERF_WRITE_BPS = 1e9;

/** One data connection and what this end counted on it. */
export interface Stream {
  id: number;
  sock: TcpSocketHandle | null;
  bytes: number;
  /** Bytes and retransmissions at the last interval boundary. */
  markBytes: number;
  markRetr: number;
  retr: number;
  eof: boolean;
  endNs: number;
}

export interface StreamResult {
  bytes: number;
  secs: number;
  retr: number;
}

/** The measuring half both ends share: sends or receives on the streams, reports intervals. */
export class Test {
  readonly streams: Stream[] = [];
  t0 = -1;
  sending = false;
  stoppedNs = -1;
  private timer: TimerId | null = null;
  private lastMark = 0;
  private headerShown = false;
  /** Write pacing: the next block may go at `nextWriteNs`; `wake` is the pending wakeup. */
  private nextWriteNs = 0;
  private wake: TimerId | null = null;
  private rr = 0;
  /** The receiver's read buffer (iperf3's 128 KB block), made on first read. */
  private sink: Uint8Array | null = null;
  constructor(
    private readonly sim: Timers,
    private readonly tcp: TcpPort,
    private readonly out: Out,
    readonly sender: boolean,
    private readonly p: IperfParams,
    private readonly onRecvDone: () => void,
    private readonly onSendLimit: () => void,
  ) {}

  add(sock: TcpSocketHandle): Stream {
    const s: Stream = { id: 5 + 2 * this.streams.length, sock, bytes: 0, markBytes: 0, markRetr: 0, retr: 0, eof: false, endNs: -1 };
    this.streams.push(s);
    return s;
  }

  handlers(get: () => Stream) {
    return {
      readable: () => this.read(get()),
      writable: () => this.fill(),
      closed: () => {
        const s = get();
        s.sock = null;
        if (!this.sender && !s.eof) this.markEof(s);
      },
    };
  }

  start(): void {
    this.t0 = this.sim.now();
    this.lastMark = 0;
    if (this.p.interval > 0) this.timer = this.sim.schedule(Math.round(this.p.interval * 1e9), () => this.tick());
    if (this.sender) {
      this.sending = true;
      this.fill();
    }
    for (const s of this.streams) this.read(s);
  }

  private total(): number {
    return this.streams.reduce((a, s) => a + s.bytes, 0);
  }

  /** Offers blocks to the streams in turn, each write costing time at IPERF_WRITE_BPS. */
  fill(): void {
    if (!this.sending) return;
    const n = this.streams.length;
    for (let tried = 0; tried < n && this.sending; ) {
      const now = this.sim.now();
      if (now < this.nextWriteNs) {
        if (this.wake === null) {
          this.wake = this.sim.scheduleAt(this.nextWriteNs, () => {
            this.wake = null;
            this.fill();
          });
        }
        return;
      }
      if (this.p.bytes > 0 && this.total() >= this.p.bytes) {
        this.stopSending();
        this.onSendLimit();
        return;
      }
      const s = this.streams[this.rr % n];
      this.rr++;
      let chunk = BLOCK;
      if (this.p.bytes > 0) chunk = BLOCK.subarray(0, Math.min(BLOCK.length, this.p.bytes - this.total()));
      const r = s.sock === null ? 0 : this.tcp.send(s.sock, chunk);
      if (typeof r !== 'number' || r === 0) {
        tried++; // this stream's buffer is full (or it is gone): its `writable` calls back
        continue;
      }
      tried = 0;
      s.bytes += r;
      this.nextWriteNs = Math.max(this.nextWriteNs, now) + Math.ceil((r * 8 * 1e9) / IPERF_WRITE_BPS);
    }
  }

  /** The sender is done: its counts are final; FIN follows the queued data. */
  stopSending(): void {
    if (!this.sending) return;
    this.sending = false;
    if (this.wake !== null) this.sim.cancel(this.wake);
    this.wake = null;
    this.stoppedNs = this.sim.now();
    for (const s of this.streams) if (s.sock !== null) this.tcp.shutdown(s.sock);
  }

  private read(s: Stream): void {
    if (this.sender || s.sock === null) return;
    this.sink ??= new Uint8Array(BLOCK.length);
    for (;;) {
      const n = this.tcp.recvInto(s.sock!, this.sink);
      if (n === null) return this.markEof(s);
      if (n === 0) return;
      if (this.t0 >= 0 && !s.eof) s.bytes += n;
    }
  }

  /**
   * A timed test is over (TEST_END sent or received): the receiver stops counting now, as
   * iperf3's does; bytes still in flight or being repaired do not count (iperf_server_api.c
   * closes the streams on TEST_END). A byte-count test (-n) waits for every stream's EOF.
   */
  endReceiving(): void {
    if (this.sender || this.p.bytes > 0) return;
    for (const s of this.streams) this.markEof(s);
  }

  private markEof(s: Stream): void {
    if (s.eof) return;
    s.eof = true;
    s.endNs = this.sim.now();
    if (this.allEof()) this.onRecvDone();
  }

  allEof(): boolean {
    return this.streams.length > 0 && this.streams.every((s) => s.eof);
  }

  private secs(ns: number): number {
    return (ns - this.t0) / 1e9;
  }

  private retrOf(s: Stream): number {
    if (s.sock !== null && this.tcp.info) s.retr = this.tcp.info(s.sock).rexmits;
    return s.retr;
  }

  private tick(): void {
    this.timer = null;
    this.report(this.sim.now());
    this.timer = this.sim.schedule(Math.round(this.p.interval * 1e9), () => this.tick());
  }

  /** One interval's lines, from the last mark to `nowNs`. */
  report(nowNs: number): void {
    const from = this.lastMark;
    const to = this.secs(nowNs);
    this.lastMark = to;
    if (!this.headerShown) {
      this.out((this.sender ? HEADER_SEND_CWND : HEADER_RECV) + '\n');
      this.headerShown = true;
    } else if (this.streams.length > 1) {
      this.out(IPERF_SEP + '\n'); // between the interval blocks of -P streams
    }
    let sumBytes = 0;
    let sumRetr = 0;
    for (const s of this.streams) {
      const row: IperfRow = { id: s.id, from, to, bytes: s.bytes - s.markBytes };
      const retr = this.retrOf(s);
      const dRetr = retr - s.markRetr;
      s.markBytes = s.bytes;
      s.markRetr = retr;
      sumBytes += row.bytes;
      sumRetr += dRetr;
      const cwnd = s.sock !== null && this.tcp.info ? this.tcp.info(s.sock).cwnd : 0;
      this.out((this.sender ? sendLineCwnd(row, dRetr, cwnd) : recvLine(row)) + '\n');
    }
    if (this.streams.length > 1) {
      const row: IperfRow = { id: 'SUM', from, to, bytes: sumBytes };
      this.out((this.sender ? sendLine(row, sumRetr) : recvLine(row)) + '\n');
    }
  }

  /** Stops the interval clock; prints the last part interval when it moved bytes. */
  finishIntervals(endNs: number): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    if (this.p.interval <= 0) return;
    const moved = this.streams.some((s) => s.bytes > s.markBytes);
    // A tail shorter than 1% of the interval (a last datagram or segment in flight) is not worth a line.
    if (moved && this.secs(endNs) - this.lastMark > 0.01 * this.p.interval) this.report(endNs);
  }

  endNs(): number {
    return this.sender ? this.stoppedNs : Math.max(...this.streams.map((s) => s.endNs));
  }

  /** This end's per-stream totals: the sender over its sending time, the receiver until each EOF. */
  results(): StreamResult[] {
    const end = this.sender ? (this.stoppedNs >= 0 ? this.stoppedNs : this.sim.now()) : -1;
    return this.streams.map((s) => ({ bytes: s.bytes, secs: this.secs(this.sender ? end : s.endNs >= 0 ? s.endNs : this.sim.now()), retr: this.retrOf(s) }));
  }

  close(abort: boolean): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    this.sending = false;
    if (this.wake !== null) this.sim.cancel(this.wake);
    this.wake = null;
    for (const s of this.streams) {
      if (s.sock !== null) (abort ? this.tcp.abort : this.tcp.close)(s.sock);
      s.sock = null;
    }
  }
}

/** The summary block: per stream sender then receiver, then SUM lines for -P > 1. */
export function summary(out: Out, ids: number[], send: StreamResult[], recv: StreamResult[], roles: { send: boolean; recv: boolean }): void {
  out(IPERF_SEP + '\n');
  out((roles.send ? HEADER_SEND : HEADER_RECV) + '\n');
  for (let i = 0; i < ids.length; i++) {
    if (roles.send && send[i]) out(sendLine({ id: ids[i], from: 0, to: send[i].secs, bytes: send[i].bytes }, send[i].retr, 'sender') + '\n');
    if (roles.recv && recv[i]) out(recvLine({ id: ids[i], from: 0, to: recv[i].secs, bytes: recv[i].bytes }, 'receiver') + '\n');
  }
  if (ids.length > 1) {
    const sum = (rs: StreamResult[]) => ({ bytes: rs.reduce((a, r) => a + r.bytes, 0), secs: Math.max(0, ...rs.map((r) => r.secs)), retr: rs.reduce((a, r) => a + r.retr, 0) });
    if (roles.send) {
      const s = sum(send);
      out(sendLine({ id: 'SUM', from: 0, to: s.secs, bytes: s.bytes }, s.retr, 'sender') + '\n');
    }
    if (roles.recv) {
      const r = sum(recv);
      out(recvLine({ id: 'SUM', from: 0, to: r.secs, bytes: r.bytes }, 'receiver') + '\n');
    }
  }
}
