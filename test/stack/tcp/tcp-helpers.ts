// Helpers for TCP scenario tests: decode the TCP segments a node sent (from the harness's
// tx record), and a bulk sender / sink pair built only on the socket API.

import { tcpAccept, tcpClose, tcpConnect, tcpListen, tcpRecv, tcpSend, tcpShutdown, type TcpConn } from '../../../src/emulator/stack/tcp';
import type { NetStack } from '../../../src/emulator/stack/index';
import { parseTcp, TCP_FLAG, tcpFlagsText, type TcpRepr } from '../../../src/emulator/wire/tcp';
import { parseTcpOptions, formatTcpOptions } from '../../../src/emulator/wire/tcp-options';
import type { TestNet } from '../harness';

export interface SegLine {
  node: string;
  repr: TcpRepr;
  text: string;
}

/** Every TCP segment a node put on a link, as `flags seq ack win [options] len`. */
export function tcpSegments(n: TestNet, node?: string): SegLine[] {
  const out: SegLine[] = [];
  for (const t of n.tx) {
    if (node !== undefined && t.node !== node) continue;
    const f = t.frame;
    if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0x00 || f[23] !== 6) continue;
    const hl = (f[14] & 0x0f) * 4;
    const total = (f[16] << 8) | f[17];
    const r = parseTcp(f, 14 + hl, total - hl);
    if (r === null) continue;
    const opts = r.options ? formatTcpOptions(parseTcpOptions(r.options, 0, r.options.length).options) : '';
    out.push({ node: t.node, repr: r, text: `${t.node} [${tcpFlagsText(r.flags)}] win ${r.window}${opts ? ` <${opts}>` : ''} len ${r.payload.length}` });
  }
  return out;
}

export function isFlag(r: TcpRepr, f: number): boolean {
  return (r.flags & f) !== 0;
}
export { TCP_FLAG };

export function pattern(size: number, seed = 7): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

export interface Transfer {
  received: () => Uint8Array;
  done: () => boolean;
  client: TcpConn;
  serverConn: () => TcpConn | null;
  closedErr: () => string | null | undefined;
}

/** `from` connects to `to:port` and sends `data`, then closes; `to` reads everything until EOF. */
export function bulkTransfer(from: NetStack, to: NetStack, dst: number, port: number, data: Uint8Array): Transfer {
  const chunks: Uint8Array[] = [];
  let eof = false;
  let server: TcpConn | null = null;
  let closedErr: string | null | undefined;
  const l = tcpListen(to, port, 8, () => {
    const c = tcpAccept(l as never, {
      readable: () => {
        for (;;) {
          const d = tcpRecv(c!);
          if (d === null) {
            if (!eof) tcpShutdown(c!);
            eof = true;
            return;
          }
          if (d.length === 0) return;
          chunks.push(d);
        }
      },
      closed: (e) => (closedErr = e),
    });
    server = c;
  });
  if ('errno' in l) throw new Error(l.errno);
  let off = 0;
  const pump = (): void => {
    while (off < data.length) {
      const n = tcpSend(client, data.subarray(off));
      if (typeof n !== 'number') throw new Error(n.errno);
      if (n === 0) return;
      off += n;
    }
    tcpClose(client);
  };
  const client = tcpConnect(from, dst, port, { connected: pump, writable: pump }) as TcpConn;
  if ('errno' in client) throw new Error(String(client.errno));
  return {
    received: () => {
      const total = chunks.reduce((a, c) => a + c.length, 0);
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    },
    done: () => eof,
    client,
    serverConn: () => server,
    closedErr: () => closedErr,
  };
}

/** TCP headers of raw Ethernet frames (e.g. a capture's), skipping anything else. */
export function tcpSegmentsOf(frames: Uint8Array[]): TcpRepr[] {
  const out: TcpRepr[] = [];
  for (const f of frames) {
    if (f.length < 34 || f[12] !== 0x08 || f[13] !== 0x00 || f[23] !== 6) continue;
    const hl = (f[14] & 0x0f) * 4;
    const total = (f[16] << 8) | f[17];
    const r = parseTcp(f, 14 + hl, total - hl);
    if (r !== null) out.push(r);
  }
  return out;
}
