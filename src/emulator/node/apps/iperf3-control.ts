// iperf3's control connection: newline-delimited JSON messages (params, udp-ready, start,
// end, results), parsing of the peer's results, and the summary for either kind of test.
// Must not touch data streams.

import { summary, Test } from './iperf3-tcp';
import type { Out } from './iperf3-types';
import { UdpTest, udpSummary, type UdpResult } from './iperf3-udp';
import type { TcpPort, TcpSocketHandle } from './tcp-port';
import { encodeUtf8, Utf8Stream } from './text-codec';

export type AnyTest = Test | UdpTest;

export function printSummary(t: AnyTest, out: Out, send: UdpResult[], recv: UdpResult[], roles: { send: boolean; recv: boolean }): void {
  const ids = t.streams.map((s) => s.id);
  if (t instanceof UdpTest) udpSummary(out, ids, send, recv, roles);
  else summary(out, ids, send, recv, roles);
}

export function asResults(v: unknown): UdpResult[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((r) => {
    const x = (r ?? {}) as Record<string, unknown>;
    return { bytes: num(x.bytes, 0), secs: num(x.secs, 0), retr: num(x.retr, 0), packets: num(x.packets, 0), lost: num(x.lost, 0), jitterMs: num(x.jitterMs, 0) };
  });
}

/** Newline-delimited JSON messages on the control connection. */
export class Control {
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

export function num(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt;
}

