// A node's TCP connections for the connection panel (what netstat -an lists, plus each
// one's congestion state) and the sample logs of the connections the panel watches: a
// watch turns a connection's probe on, reading returns its new samples. Reads the stack's
// TCP table; changes nothing else. Bounded: at most TCP_WATCH_MAX watched at once.

import { formatIpv4 } from '../wire/addr';
import { tcpProbeRead, tcpProbeStart, tcpProbeStop, type TcpProbe } from '../stack/tcp/tcp-probe';
import { TCP_STATE, type TcpConn } from '../stack/tcp/tcp-types';
import { EngineError, ERROR_CODE } from './errors';
import type { EngineResults, TcpConnSnapshot } from './protocol';
import type { NodeRuntime } from './world';

/** Connections recorded at once (a panel watches one; a few panels may be open). */
export const TCP_WATCH_MAX = 8;
/** Samples returned per tcp/samples request; the reader asks again from `next`. */
export const TCP_SAMPLES_PER_READ = 8192;
/** FreeBSD's initial ssthresh stands for "no threshold yet". */
const SSTHRESH_UNSET = 0x3fffffff;

function endpoint(addr: number, port: number): string {
  return `${addr === 0 ? '*' : formatIpv4(addr)}.${port}`;
}

export function tcpConnSnapshot(c: TcpConn, watched: boolean): TcpConnSnapshot {
  return {
    conn: c.key,
    local: endpoint(c.localAddr, c.localPort),
    remote: endpoint(c.remoteAddr, c.remotePort),
    state: c.state,
    recvQ: c.rcvBufLen,
    sendQ: c.sndBufLen,
    cc: c.ccName,
    mss: c.maxSeg,
    cwnd: c.cwnd,
    ssthresh: c.ssthresh >= SSTHRESH_UNSET ? null : c.ssthresh,
    srttNs: c.srttNs,
    rtoNs: c.rtoNs,
    sndWnd: c.sndWnd,
    rexmitPack: c.rexmitPack,
    sackOn: c.sackOn,
    watched,
  };
}

interface Watch {
  conn: TcpConn;
  probe: TcpProbe;
}

/** The watched connections of one running network (dropped with it). */
export class TcpWatches {
  private readonly watches = new Map<string, Watch>();

  private static id(node: NodeRuntime, conn: string): string {
    return `${node.id}\u0000${conn}`;
  }

  connections(node: NodeRuntime): EngineResults['tcp/connections'] {
    const t = node.stack?.tcp;
    if (!t) return { connections: [], listening: [] };
    const connections = [...t.conns.values()].filter((c) => c.state !== TCP_STATE.LISTEN).map((c) => tcpConnSnapshot(c, this.watches.get(TcpWatches.id(node, c.key))?.conn === c));
    return { connections, listening: [...t.listeners.keys()].sort((a, b) => a - b) };
  }

  watch(node: NodeRuntime, conn: string, on: boolean): null {
    const id = TcpWatches.id(node, conn);
    const old = this.watches.get(id);
    if (!on) {
      if (old) tcpProbeStop(old.conn);
      this.watches.delete(id);
      return null;
    }
    const c = node.stack?.tcp?.conns.get(conn);
    if (c === undefined) {
      if (old) return null; // gone, but its log is still readable
      throw new EngineError(ERROR_CODE.UNKNOWN_CONNECTION, `${node.name} has no TCP connection ${conn}`);
    }
    if (old?.conn === c) return null;
    if (!old && this.watches.size >= TCP_WATCH_MAX) {
      throw new EngineError(ERROR_CODE.BAD_REQUEST, `at most ${TCP_WATCH_MAX} connections can be watched at once; close a connection panel first`);
    }
    this.watches.set(id, { conn: c, probe: tcpProbeStart(c) });
    return null;
  }

  samples(node: NodeRuntime, conn: string, since: number): EngineResults['tcp/samples'] {
    const w = this.watches.get(TcpWatches.id(node, conn));
    if (!w) throw new EngineError(ERROR_CODE.UNKNOWN_CONNECTION, `${node.name}: connection ${conn} is not watched (send tcp/watch first)`);
    const live = node.stack?.tcp?.conns.get(conn) === w.conn;
    const r = tcpProbeRead(w.probe, since, TCP_SAMPLES_PER_READ);
    return { conn: live ? tcpConnSnapshot(w.conn, true) : null, ...r };
  }

  clear(): void {
    for (const w of this.watches.values()) tcpProbeStop(w.conn);
    this.watches.clear();
  }
}
