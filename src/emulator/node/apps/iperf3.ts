// iperf3 over the node's TCP: a server (`-s`, again after each test unless -1) and a
// client (`-c`) that runs one test of -t seconds or -n bytes over -P streams, forward or
// -R reverse, printing interval lines and the sender/receiver summary as iperf3 does.
// A control connection carries JSON lines (params, start, end, results), then the data
// connections follow on the same port, as iperf3's protocol is shaped. Rates use virtual
// time. Sockets only (TcpPort); text layout in iperf3-text.ts.

import type { Scheduler, TimerId } from '../../sim/scheduler';
import { formatIpv4 } from '../../wire/addr';
import { HEADER_RECV, HEADER_SEND, HEADER_SEND_CWND, IPERF_DASHES, IPERF_SEP, recvLine, sendLine, sendLineCwnd, type IperfRow } from './iperf3-text';
import { UDP_BLKSIZE, UDP_CONNECT_MSG, UDP_CONNECT_REPLY, UdpTest, isUdpWord, udpSummary, udpWord, type UdpResult, type UdpStream } from './iperf3-udp';
import { errnoText, type AppPort } from './port';
import type { TcpPort, TcpSocketHandle } from './tcp-port';
import { encodeUtf8, Utf8Stream } from './text-codec';

export const IPERF_PORT = 5201;
/** iperf3's default TCP block (128 KiB): what one write offers the socket. */
const BLOCK = new Uint8Array(128 * 1024);
/**
 * How fast the sending host hands blocks to its sockets (1 Gbit/s): a model of iperf3's
 * CPU cost, so a test over unlimited zero-delay links still advances virtual time.
 */
export const IPERF_WRITE_BPS = 1e9;

export interface IperfParams {
  /** Seconds of the test (ignored when `bytes` > 0). */
  time: number;
  bytes: number;
  parallel: number;
  reverse: boolean;
  /** Seconds between interval reports; 0: none. */
  interval: number;
  /** -u: UDP data at `rate` bits/s per stream (datagrams of UDP_BLKSIZE bytes). */
  udp: boolean;
  rate: number;
}

export interface IperfJob {
  interrupt(): void;
}

type Out = (s: string) => void;

/** One data connection and what this end counted on it. */
interface Stream {
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

interface StreamResult {
  bytes: number;
  secs: number;
  retr: number;
}

/** The measuring half both ends share: sends or receives on the streams, reports intervals. */
class Test {
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
  constructor(
    private readonly sim: Scheduler,
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
    for (;;) {
      const d = this.tcp.recv(s.sock!);
      if (d === null) return this.markEof(s);
      if (d.length === 0) return;
      if (this.t0 >= 0) s.bytes += d.length;
    }
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
function summary(out: Out, ids: number[], send: StreamResult[], recv: StreamResult[], roles: { send: boolean; recv: boolean }): void {
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

type AnyTest = Test | UdpTest;

function printSummary(t: AnyTest, out: Out, send: UdpResult[], recv: UdpResult[], roles: { send: boolean; recv: boolean }): void {
  const ids = t.streams.map((s) => s.id);
  if (t instanceof UdpTest) udpSummary(out, ids, send, recv, roles);
  else summary(out, ids, send, recv, roles);
}

function asResults(v: unknown): UdpResult[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((r) => {
    const x = (r ?? {}) as Record<string, unknown>;
    return { bytes: num(x.bytes, 0), secs: num(x.secs, 0), retr: num(x.retr, 0), packets: num(x.packets, 0), lost: num(x.lost, 0), jitterMs: num(x.jitterMs, 0) };
  });
}

/** Newline-delimited JSON messages on the control connection. */
class Control {
  private text = new Utf8Stream();
  private buf = '';
  constructor(
    private readonly tcp: TcpPort,
    public sock: TcpSocketHandle | null,
  ) {}
  send(msg: object): void {
    if (this.sock !== null) this.tcp.send(this.sock, encodeUtf8(JSON.stringify(msg) + '\n'));
  }
  /** Messages now readable, and whether the peer closed (or the socket is gone). */
  read(): { msgs: Record<string, unknown>[]; eof: boolean } {
    const msgs: Record<string, unknown>[] = [];
    let eof = false;
    for (;;) {
      if (this.sock === null) {
        eof = true;
        break;
      }
      const d = this.tcp.recv(this.sock);
      if (d === null) {
        eof = true;
        break;
      }
      if (d.length === 0) break;
      this.buf += this.text.decode(d);
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      try {
        const m: unknown = JSON.parse(line);
        if (m !== null && typeof m === 'object') msgs.push(m as Record<string, unknown>);
      } catch {
        // Not ours: ignored, as iperf3 drops a malformed control message.
      }
    }
    return { msgs, eof };
  }
}

function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt;
}

export interface IperfServerOptions {
  port: number;
  oneOff: boolean;
}

/** `iperf3 -s`: serves one test at a time, again and again (once with -1). */
export function startIperfServer(app: AppPort, tcp: TcpPort, o: IperfServerOptions, out: Out, finish: (code: number) => void): IperfJob {
  const sim = app.sim;
  let udpSock: { port: number; close(): void } | null = null;
  let done = false;
  let testNo = 0;
  let ctl: Control | null = null;
  let test: AnyTest | null = null;
  let params: IperfParams | null = null;
  let ended = false;
  let reported = false;
  const end = (code: number): void => {
    if (done) return;
    done = true;
    finish(code);
  };
  const banner = (): void => {
    testNo++;
    out(`${IPERF_DASHES}\nServer listening on ${o.port} (test #${testNo})\n${IPERF_DASHES}\n`);
  };
  const reset = (): void => {
    test?.close(false);
    udpSock?.close();
    udpSock = null;
    if (ctl?.sock) tcp.close(ctl.sock);
    ctl = null;
    test = null;
    params = null;
    ended = false;
    reported = false;
    if (o.oneOff) {
      tcp.unlisten(l as never);
      return end(0);
    }
    banner();
  };
  /** After END: the receiver waits for every stream's EOF; then results go to the client. */
  const maybeReport = (): void => {
    if (!test || !ended || reported) return;
    if (!test.sender && !test.allEof()) return;
    reported = true;
    const mine = test.results() as UdpResult[];
    test.finishIntervals(test.endNs());
    ctl?.send({ cmd: 'results', streams: mine });
    printSummary(test, out, mine, mine, { send: test.sender, recv: !test.sender });
  };
  const onControl = (c: Control): void => {
    if (ctl !== c) return;
    const { msgs, eof } = c.read();
    for (const m of msgs) {
      if (m.cmd === 'params' && params === null) {
        params = {
          time: num(m.time, 10),
          bytes: num(m.bytes, 0),
          parallel: Math.max(1, Math.floor(num(m.parallel, 1))),
          reverse: m.reverse === true,
          interval: num(m.interval, 1),
          udp: m.udp === true,
          rate: Math.max(1, num(m.rate, 1e6)),
        };
        const p = params;
        if (p.udp) {
          const ut = new UdpTest(app, out, p.reverse, { ...p, len: UDP_BLKSIZE }, () => undefined);
          test = ut;
          const bound = app.udpBind(o.port, (d) => {
            const known = ut.streams.find((x) => x.peer.addr === d.src && x.peer.port === d.srcPort);
            if (known) return ut.deliver(known, d);
            if (!isUdpWord(d.payload, UDP_CONNECT_MSG) || ut.streams.length >= p.parallel || ut.t0 >= 0) return;
            const st = ut.add(o.port, { addr: d.src, port: d.srcPort });
            app.udpSend({ dst: d.src, dstPort: d.srcPort, srcPort: o.port, payload: udpWord(UDP_CONNECT_REPLY) });
            const local = tcp.info && ctl?.sock ? formatIpv4(tcp.info(ctl.sock).localAddr) : '0.0.0.0';
            out(`[${String(st.id).padStart(3)}] local ${local} port ${o.port} connected to ${formatIpv4(d.src)} port ${d.srcPort}\n`);
          });
          if ('errno' in bound) {
            out(`iperf3: error - unable to bind UDP socket: ${errnoText(bound.errno)}\n`);
            return reset();
          }
          udpSock = bound;
          ctl?.send({ cmd: 'udp-ready' });
        } else {
          test = new Test(sim, tcp, out, p.reverse, p, maybeReport, () => undefined);
        }
      } else if (m.cmd === 'start' && test && test.t0 < 0) {
        test.start();
      } else if (m.cmd === 'end' && test) {
        ended = true;
        test.stopSending();
        maybeReport();
      }
    }
    // The client closed the control connection: the test is over.
    if (eof) reset();
  };
  const l = tcp.listen(o.port, 16, () => {
    for (;;) {
      let stream: IperfStreamRef | null = null;
      let mine: Control | null = null;
      const s = tcp.accept(l as never, {
        readable: () => (stream ? stream.readable() : mine && onControl(mine)),
        writable: () => stream?.writable(),
        closed: () => {
          if (stream) return stream.closed();
          if (mine === null || ctl !== mine) return;
          mine.sock = null;
          reset();
        },
      });
      if (s === null) return;
      const peer = tcp.peer(s);
      if (ctl === null) {
        tcp.noDelay?.(s, true); // iperf3 sets TCP_NODELAY on the control connection
        mine = new Control(tcp, s);
        ctl = mine;
        out(`Accepted connection from ${formatIpv4(peer.addr)}, port ${peer.port}\n`);
        onControl(mine);
        continue;
      }
      if (!(test instanceof Test) || test.streams.length >= (params?.parallel ?? 1) || test.t0 >= 0) {
        tcp.abort(s); // busy: a second client, or more streams than announced
        continue;
      }
      const st = test.add(s);
      const h = test.handlers(() => st);
      stream = h;
      const local = tcp.info ? formatIpv4(tcp.info(s).localAddr) : '0.0.0.0';
      out(`[${String(st.id).padStart(3)}] local ${local} port ${o.port} connected to ${formatIpv4(peer.addr)} port ${peer.port}\n`);
    }
  });
  if ('errno' in l) {
    out(`iperf3: error - unable to start listener for connections: ${errnoText(l.errno)}\niperf3: exiting\n`);
    end(1);
    return { interrupt: () => undefined };
  }
  banner();
  return {
    interrupt: () => {
      test?.close(true);
      udpSock?.close();
      if (ctl?.sock) tcp.abort(ctl.sock);
      tcp.unlisten(l);
      out('iperf3: interrupt - the server has terminated\n');
      end(1);
    },
  };
}

export interface IperfStreamRef {
  readable(): void;
  writable(): void;
  closed(): void;
}

export interface IperfClientOptions extends IperfParams {
  dst: number;
  hostText: string;
  port: number;
}

/** `iperf3 -c HOST`: one test, then the summary and `iperf Done.`. */
export function startIperfClient(app: AppPort, tcp: TcpPort, o: IperfClientOptions, out: Out, finish: (code: number) => void): IperfJob {
  const sim = app.sim;
  const udpSocks: { port: number; close(): void }[] = [];
  let done = false;
  let endTimer: TimerId | null = null;
  let ended = false;
  let results: UdpResult[] | null = null;
  const connected = new Set<number>();
  const end = (code: number): void => {
    if (done) return;
    done = true;
    if (endTimer !== null) sim.cancel(endTimer);
    finish(code);
  };
  const fail = (why: string): void => {
    out(`iperf3: error - ${why}\n`);
    test.close(true);
    for (const u of udpSocks) u.close();
    if (ctl.sock) tcp.abort(ctl.sock);
    ctl.sock = null;
    end(1);
  };
  /** Tell the server the test is over (time up, bytes sent, or every stream ended). */
  const sendEnd = (): void => {
    if (ended) return;
    ended = true;
    if (endTimer !== null) sim.cancel(endTimer);
    endTimer = null;
    test.stopSending();
    ctl.send({ cmd: 'end' });
    maybeDone();
  };
  const maybeDone = (): void => {
    if (done || results === null || (!test.sender && !test.allEof())) return;
    const mine = test.results() as UdpResult[];
    test.finishIntervals(test.endNs());
    printSummary(test, out, test.sender ? mine : results, test.sender ? results : mine, { send: true, recv: true });
    out('\niperf Done.\n');
    test.close(false);
    for (const u of udpSocks) u.close();
    if (ctl.sock) tcp.close(ctl.sock);
    ctl.sock = null;
    end(0);
  };
  const test: AnyTest = o.udp
    ? new UdpTest(app, out, !o.reverse, { ...o, len: UDP_BLKSIZE }, () => sendEnd())
    : new Test(
        sim,
        tcp,
        out,
        !o.reverse,
        o,
        () => (o.reverse ? (ended ? maybeDone() : sendEnd()) : undefined),
        () => sendEnd(),
      );
  const ctl = new Control(tcp, null);
  /** -u: one bound socket per stream; each says hello with iperf3's connect datagram. */
  const startUdp = (ut: UdpTest): void => {
    for (let i = 0; i < o.parallel; i++) {
      let st: UdpStream | null = null;
      const bound = app.udpBind(0, (d) => {
        if (st === null || d.src !== o.dst) return;
        if (!connected.has(st.id) && isUdpWord(d.payload, UDP_CONNECT_REPLY)) {
          const local = tcp.info && ctl.sock ? formatIpv4(tcp.info(ctl.sock).localAddr) : '0.0.0.0';
          out(`[${String(st.id).padStart(3)}] local ${local} port ${st.localPort} connected to ${formatIpv4(o.dst)} port ${o.port}\n`);
          connected.add(st.id);
          if (connected.size === o.parallel) begin();
          return;
        }
        ut.deliver(st, d);
      });
      if ('errno' in bound) return fail(`unable to bind UDP socket: ${errnoText(bound.errno)}`);
      udpSocks.push(bound);
      st = ut.add(bound.port, { addr: o.dst, port: o.port });
      app.udpSend({ dst: o.dst, dstPort: o.port, srcPort: bound.port, payload: udpWord(UDP_CONNECT_MSG) });
    }
  };
  const startData = (): void => {
    ctl.send({ cmd: 'params', time: o.time, bytes: o.bytes, parallel: o.parallel, reverse: o.reverse, interval: o.interval, udp: o.udp, rate: o.rate });
    if (test instanceof UdpTest) return; // the streams open once the server's UDP socket is ready
    for (let i = 0; i < o.parallel; i++) {
      let st: Stream | null = null;
      const h = test.handlers(() => st!);
      const s = tcp.connect(o.dst, o.port, {
        connected: () => {
          const p = tcp.peer(s as TcpSocketHandle);
          const local = tcp.info ? formatIpv4(tcp.info(s as TcpSocketHandle).localAddr) : '0.0.0.0';
          out(`[${String(st!.id).padStart(3)}] local ${local} port ${p.localPort} connected to ${formatIpv4(p.addr)} port ${p.port}\n`);
          connected.add(st!.id);
          if (connected.size === o.parallel) begin();
        },
        readable: h.readable,
        writable: h.writable,
        closed: (errno) => {
          if (!connected.has(st!.id)) return fail(`unable to connect stream: ${errnoText(errno ?? 'ECONNREFUSED')}`);
          h.closed();
        },
      });
      if ('errno' in s) return fail(`unable to connect stream: ${errnoText(s.errno)}`);
      st = test.add(s);
    }
  };
  const begin = (): void => {
    ctl.send({ cmd: 'start' });
    test.start();
    if (o.bytes <= 0) endTimer = sim.schedule(Math.round(o.time * 1e9), () => sendEnd());
  };
  out(`Connecting to host ${o.hostText}, port ${o.port}\n`);
  if (o.reverse) out(`Reverse mode, remote host ${o.hostText} is sending\n`);
  const c = tcp.connect(o.dst, o.port, {
    connected: () => startData(),
    readable: () => {
      const { msgs, eof } = ctl.read();
      for (const m of msgs) {
        if (m.cmd === 'udp-ready' && test instanceof UdpTest && test.streams.length === 0) startUdp(test);
        if (m.cmd === 'results') {
          results = asResults(m.streams);
          if (results !== null) maybeDone();
        }
      }
      if (eof && !done && results === null) fail('the server has terminated');
    },
    closed: (errno) => {
      const wasUp = ctl.sock !== null && test.t0 >= 0;
      ctl.sock = null;
      if (done || results !== null) return;
      if (!wasUp && test.streams.length === 0) fail(`unable to connect to server: ${errnoText(errno ?? 'ECONNREFUSED')}`);
      else fail('the server has terminated');
    },
  });
  if ('errno' in c) {
    out(`iperf3: error - unable to connect to server: ${errnoText(c.errno)}\n`);
    end(1);
    return { interrupt: () => undefined };
  }
  ctl.sock = c;
  tcp.noDelay?.(c, true);
  return {
    interrupt: () => {
      out('iperf3: interrupt - the client has terminated\n');
      test.close(true);
      for (const u of udpSocks) u.close();
      if (ctl.sock) tcp.abort(ctl.sock);
      ctl.sock = null;
      end(1);
    },
  };
}
