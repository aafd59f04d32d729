// iperf3 over the node's TCP: a server (`-s`, again after each test unless -1) and a
// client (`-c`) that runs one test of -t seconds or -n bytes over -P streams, forward or
// -R reverse, printing interval lines and the sender/receiver summary as iperf3 does.
// A control connection carries JSON lines (iperf3-control.ts), then the data streams
// follow on the same port (TCP: iperf3-tcp.ts; -u: iperf3-udp.ts), as iperf3's protocol
// is shaped. Rates use virtual time. Sockets only; text layout in iperf3-text.ts.

import { sameAddr, udpBindAny, udpSendAny } from './udp-any';
import type { TimerId } from '../../sim/scheduler';
import { asResults, Control, num, printSummary, type AnyTest } from './iperf3-control';
import { Test, type Stream } from './iperf3-tcp';
import { IPERF_DASHES } from './iperf3-text';
import type { IperfJob, IperfParams, Out } from './iperf3-types';
import { UDP6_BLKSIZE, UDP_BLKSIZE, UDP_CONNECT_MSG, UDP_CONNECT_REPLY, UdpTest, isUdpWord, udpWord, type UdpResult, type UdpStream } from './iperf3-udp';
import { errnoText, type AppPort } from './port';
import { formatTcpAddr, type TcpAddr, type TcpPort, type TcpSocketHandle } from './tcp-port';

export type { IperfJob, IperfParams } from './iperf3-types';
export { IPERF_WRITE_BPS } from './iperf3-tcp';

export const IPERF_PORT = 5201;

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
          const ut = new UdpTest(app, out, p.reverse, { ...p, len: Math.min(Math.max(Math.floor(num(m.len, UDP_BLKSIZE)), 16), 65_507) }, () => undefined);
          test = ut;
          // The UDP socket is of the control connection's family (-6 on the client).
          const v6 = ctl?.sock ? typeof tcp.peer(ctl.sock).addr !== 'number' : false;
          const bound = udpBindAny(app, v6, o.port, (d) => {
            const known = ut.streams.find((x) => sameAddr(x.peer.addr, d.src) && x.peer.port === d.srcPort);
            if (known) return ut.deliver(known, d);
            if (!isUdpWord(d.payload, UDP_CONNECT_MSG) || ut.streams.length >= p.parallel || ut.t0 >= 0) return;
            const st = ut.add(o.port, { addr: d.src, port: d.srcPort });
            udpSendAny(app, { dst: d.src, dstPort: d.srcPort, srcPort: o.port, payload: udpWord(UDP_CONNECT_REPLY) });
            const local = tcp.info && ctl?.sock ? formatTcpAddr(tcp.info(ctl.sock).localAddr) : '0.0.0.0';
            out(`[${String(st.id).padStart(3)}] local ${local} port ${o.port} connected to ${formatTcpAddr(d.src)} port ${d.srcPort}\n`);
          });
          if ('errno' in bound) {
            out(`iperf3: error - unable to bind UDP socket: ${errnoText(bound.errno)}\n`);
            return reset();
          }
          udpSock = bound;
          ctl?.send({ cmd: 'udp-ready' });
        } else {
          test = new Test(sim, tcp, out, p.reverse, p, maybeReport, () => undefined);
          // iperf3's CREATE_STREAMS: the client connects its streams only now, so a stream
          // can never reach the server before the parameters it belongs to (a lost segment).
          ctl?.send({ cmd: 'create-streams' });
        }
      } else if (m.cmd === 'start' && test && test.t0 < 0) {
        test.start();
      } else if (m.cmd === 'end' && test) {
        ended = true;
        test.stopSending();
        if (test instanceof Test) test.endReceiving();
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
        out(`Accepted connection from ${formatTcpAddr(peer.addr)}, port ${peer.port}\n`);
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
      const local = tcp.info ? formatTcpAddr(tcp.info(s).localAddr) : '0.0.0.0';
      out(`[${String(st.id).padStart(3)}] local ${local} port ${o.port} connected to ${formatTcpAddr(peer.addr)} port ${peer.port}\n`);
      // iperf3's TEST_START comes from the server once every stream is here: the client's
      // own view (its handshakes done) can be ahead when a stream's last ACK was lost.
      if (test.streams.length === (params?.parallel ?? 1)) {
        test.start();
        ctl?.send({ cmd: 'start' });
      }
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
  /** IPv4 (number) or IPv6 (16 bytes, TCP only). */
  dst: TcpAddr;
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
    if (test instanceof Test) test.endReceiving();
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
  const udpLen = typeof o.dst === 'number' ? UDP_BLKSIZE : UDP6_BLKSIZE;
  const test: AnyTest = o.udp
    ? new UdpTest(app, out, !o.reverse, { ...o, len: udpLen }, () => sendEnd())
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
    const dst = o.dst;
    for (let i = 0; i < o.parallel; i++) {
      let st: UdpStream | null = null;
      const bound = udpBindAny(app, typeof dst !== 'number', 0, (d) => {
        if (st === null || !sameAddr(d.src, dst)) return;
        if (!connected.has(st.id) && isUdpWord(d.payload, UDP_CONNECT_REPLY)) {
          const local = tcp.info && ctl.sock ? formatTcpAddr(tcp.info(ctl.sock).localAddr) : '0.0.0.0';
          out(`[${String(st.id).padStart(3)}] local ${local} port ${st.localPort} connected to ${formatTcpAddr(dst)} port ${o.port}\n`);
          connected.add(st.id);
          if (connected.size === o.parallel) begin();
          return;
        }
        ut.deliver(st, d);
      });
      if ('errno' in bound) return fail(`unable to bind UDP socket: ${errnoText(bound.errno)}`);
      udpSocks.push(bound);
      st = ut.add(bound.port, { addr: dst, port: o.port });
      udpSendAny(app, { dst, dstPort: o.port, srcPort: bound.port, payload: udpWord(UDP_CONNECT_MSG) });
    }
  };
  const startData = (): void => {
    ctl.send({ cmd: 'params', time: o.time, bytes: o.bytes, parallel: o.parallel, reverse: o.reverse, interval: o.interval, udp: o.udp, rate: o.rate, len: udpLen });
  };
  /** The server has the parameters (its CREATE_STREAMS): one TCP connection per stream. */
  const startTcp = (): void => {
    if (test instanceof UdpTest || test.streams.length > 0) return;
    for (let i = 0; i < o.parallel; i++) {
      let st: Stream | null = null;
      const h = test.handlers(() => st!);
      const s = tcp.connect(o.dst, o.port, {
        connected: () => {
          const p = tcp.peer(s as TcpSocketHandle);
          const local = tcp.info ? formatTcpAddr(tcp.info(s as TcpSocketHandle).localAddr) : '0.0.0.0';
          out(`[${String(st!.id).padStart(3)}] local ${local} port ${p.localPort} connected to ${formatTcpAddr(p.addr)} port ${p.port}\n`);
          connected.add(st!.id);
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
  /** UDP: the client starts when every stream's hello was answered; TCP: on the server's start. */
  const begin = (): void => {
    if (test instanceof UdpTest) ctl.send({ cmd: 'start' });
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
        if (m.cmd === 'create-streams') startTcp();
        if (m.cmd === 'start' && test instanceof Test && test.t0 < 0) begin();
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
