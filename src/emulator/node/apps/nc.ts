// nc(1) as FreeBSD ships it (OpenBSD netcat): a TCP client (`nc HOST PORT`), a one-shot
// server (`-l PORT`), a port scanner (`-z`, ports and ranges), UDP (`-u`), and -v reports
// in netcat's wording, over IPv4 or IPv6 (-6). Typed lines (the job's stdin) go to the peer; received bytes are
// printed. Uses only the node's socket ports; no protocol logic here.

import { errnoText, type AppPort, type Errno } from './port';
import { formatTcpAddr, type TcpAddr, type TcpPort, type TcpSocketHandle } from './tcp-port';
import { encodeUtf8, Utf8Stream } from './text-codec';
import { sameAddr, udpBindAny, udpSendAny } from './udp-any';

export interface NcOptions {
  listen: boolean;
  udp: boolean;
  verbose: boolean;
  scan: boolean;
  /** Client: the address to reach and what the user typed for it. */
  dst: TcpAddr;
  hostText: string;
  /** Client: ports (several with -z); server: the one port to listen on. */
  ports: number[];
  /** -u -l: the families to listen on (-4, -6; both when neither is given). */
  listenFamilies?: { v4: boolean; v6: boolean };
}

export interface NcJob {
  interrupt(): void;
  input(text: string): void;
}

const SERVICES: Record<number, string> = { 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 179: 'bgp', 443: 'https', 5201: '*' };

function service(port: number): string {
  return SERVICES[port] ?? '*';
}

export function startNc(app: AppPort, tcp: TcpPort, o: NcOptions, out: (s: string) => void, finish: (code: number) => void): NcJob {
  if (o.udp) return startUdp(app, o, out, finish);
  if (o.scan) return startScan(tcp, o, out, finish);
  return startStream(tcp, o, out, finish);
}

/** A TCP conversation: connect or accept one peer, then relay both ways until EOF. */
function startStream(tcp: TcpPort, o: NcOptions, out: (s: string) => void, finish: (code: number) => void): NcJob {
  let sock: TcpSocketHandle | null = null;
  let connected = false;
  let done = false;
  const pending: Uint8Array[] = [];
  const text = new Utf8Stream();
  const end = (code: number): void => {
    if (done) return;
    done = true;
    finish(code);
  };
  const pump = (): void => {
    while (sock !== null && connected && pending.length > 0) {
      const r = tcp.send(sock, pending[0]);
      if (typeof r !== 'number') return end(1);
      if (r === 0) return;
      if (r < pending[0].length) pending[0] = pending[0].subarray(r);
      else pending.shift();
    }
  };
  const handlers = {
    connected: () => {
      connected = true;
      if (o.verbose && !o.listen) out(`Connection to ${o.hostText} ${o.ports[0]} port [tcp/${service(o.ports[0])}] succeeded!\n`);
      pump();
    },
    readable: () => {
      for (;;) {
        if (sock === null) return;
        const d = tcp.recv(sock);
        if (d === null) {
          // The peer finished: netcat closes its side and exits.
          tcp.close(sock);
          sock = null;
          return end(0);
        }
        if (d.length === 0) return;
        out(text.decode(d));
      }
    },
    writable: pump,
    closed: (errno: Errno | null) => {
      sock = null;
      if (!connected && !o.listen) {
        out(`nc: connect to ${o.hostText} port ${o.ports[0]} (tcp) failed: ${errnoText(errno ?? 'ECONNREFUSED')}\n`);
        return end(1);
      }
      end(errno === null ? 0 : 1);
    },
  };
  if (o.listen) {
    const l = tcp.listen(o.ports[0], 1, () => {
      const s = tcp.accept(l as never, handlers);
      if (s === null) return;
      tcp.unlisten(l as never); // netcat serves one connection (no -k)
      sock = s;
      connected = true;
      const p = tcp.peer(s);
      if (o.verbose) out(`Connection from ${formatTcpAddr(p.addr)} ${p.port} received!\n`);
      pump();
      handlers.readable(); // bytes (or a FIN) may have arrived before the accept
    });
    if ('errno' in l) {
      out(`nc: ${errnoText(l.errno)}\n`);
      end(1);
      return { interrupt: () => {}, input: () => {} };
    }
    return {
      interrupt: () => {
        tcp.unlisten(l);
        if (sock !== null) tcp.close(sock);
        end(130);
      },
      input: (t) => {
        pending.push(encodeUtf8(t));
        pump();
      },
    };
  }
  const s = tcp.connect(o.dst, o.ports[0], handlers);
  if ('errno' in s) {
    out(`nc: connect to ${o.hostText} port ${o.ports[0]} (tcp) failed: ${errnoText(s.errno)}\n`);
    end(1);
    return { interrupt: () => {}, input: () => {} };
  }
  sock = s;
  return {
    interrupt: () => {
      if (sock !== null) tcp.close(sock);
      sock = null;
      end(130);
    },
    input: (t) => {
      pending.push(encodeUtf8(t));
      pump();
    },
  };
}

/** -z: connect to each port in turn and close at once; exit 0 when any port answered. */
function startScan(tcp: TcpPort, o: NcOptions, out: (s: string) => void, finish: (code: number) => void): NcJob {
  let i = 0;
  let anyOpen = false;
  let stopped = false;
  let current: TcpSocketHandle | null = null;
  const next = (): void => {
    if (stopped) return;
    if (i >= o.ports.length) {
      stopped = true;
      return finish(anyOpen ? 0 : 1);
    }
    const port = o.ports[i++];
    let opened = false;
    const s = tcp.connect(o.dst, port, {
      connected: () => {
        opened = true;
        anyOpen = true;
        if (o.verbose) out(`Connection to ${o.hostText} ${port} port [tcp/${service(port)}] succeeded!\n`);
        tcp.close(current!);
        current = null;
        next();
      },
      closed: (errno) => {
        if (opened) return;
        current = null;
        if (o.verbose) out(`nc: connect to ${o.hostText} port ${port} (tcp) failed: ${errnoText(errno ?? 'ECONNREFUSED')}\n`);
        next();
      },
    });
    if ('errno' in s) {
      if (o.verbose) out(`nc: connect to ${o.hostText} port ${port} (tcp) failed: ${errnoText(s.errno)}\n`);
      return next();
    }
    current = s;
  };
  next();
  return {
    interrupt: () => {
      if (current !== null) tcp.abort(current);
      if (!stopped) {
        stopped = true;
        finish(130);
      }
    },
    input: () => {},
  };
}

/** -u: datagrams over IPv4 or IPv6. The client sends each typed line to HOST:PORT; the server answers its first peer. */
function startUdp(app: AppPort, o: NcOptions, out: (s: string) => void, finish: (code: number) => void): NcJob {
  const dst = o.dst;
  let peer: { addr: TcpAddr; port: number; via: number } | null = o.listen ? null : { addr: dst, port: o.ports[0], via: 0 };
  const text = new Utf8Stream();
  // A client's socket is of its peer's family; a server listens on -4, -6 or both, and
  // answers its first peer from the socket that peer reached.
  const fams = o.listen ? (o.listenFamilies ?? { v4: true, v6: false }) : { v4: typeof dst === 'number', v6: typeof dst !== 'number' };
  const socks: { port: number; close(): void }[] = [];
  for (const v6 of [false, true]) {
    if (!(v6 ? fams.v6 : fams.v4)) continue;
    const via = socks.length;
    const sock = udpBindAny(app, v6, o.listen ? o.ports[0] : 0, (d) => {
      if (peer === null) {
        peer = { addr: d.src, port: d.srcPort, via };
        if (o.verbose) out(`Connection from ${formatTcpAddr(d.src)} ${d.srcPort} received!\n`);
      } else if (!sameAddr(peer.addr, d.src) || peer.port !== d.srcPort) return; // netcat is connected to its first peer
      out(text.decode(d.payload));
    });
    if ('errno' in sock) {
      for (const x of socks) x.close();
      out(`nc: ${errnoText(sock.errno)}\n`);
      finish(1);
      return { interrupt: () => {}, input: () => {} };
    }
    socks.push(sock);
  }
  const sock = socks[0];
  const closeAll = (): void => {
    for (const x of socks) x.close();
  };
  if (o.scan) {
    // A UDP "scan" can only send: netcat reports every port as open.
    for (const port of o.ports) {
      udpSendAny(app, { dst, dstPort: port, srcPort: sock.port, payload: encodeUtf8('X') });
      if (o.verbose) out(`Connection to ${o.hostText} ${port} port [udp/${service(port)}] succeeded!\n`);
    }
    closeAll();
    finish(0);
    return { interrupt: () => {}, input: () => {} };
  }
  return {
    interrupt: () => {
      closeAll();
      finish(130);
    },
    input: (t) => {
      if (peer === null) return;
      const r = udpSendAny(app, { dst: peer.addr, dstPort: peer.port, srcPort: socks[peer.via].port, payload: encodeUtf8(t) });
      if (!r.ok) out(`nc: write failed: ${errnoText(r.errno)}\n`);
    },
  };
}
