// named over TCP: two-byte length-prefixed DNS messages on port 53 (RFC 1035 §4.2.2,
// RFC 7766), the same answers as over UDP, and zone transfers out (AXFR, RFC 5936 §2.2:
// the SOA, every other record, the SOA again). Also the framing the secondary's
// transfer client (named-xfer.ts) reads with. Bounded in connections and buffered bytes.

import { tcpAbort, tcpAccept, tcpClose, tcpListen, tcpListenClose, tcpRecv, tcpSend, type TcpConn, type TcpListener } from '../../stack/tcp';
import { buildDns, DNS_RCODE, DNS_TYPE, dnsNameKey, dnsReply, parseDns, type DnsMessage, type DnsRecord } from '../../wire/dns';
import type { NamedServer } from './named-types';
import { matches } from './named-acl';

export const DNS_TYPE_AXFR = 252;
/** Open client connections per server (BIND: tcp-clients 150; labs are small). */
export const TCP_CLIENTS_MAX = 16;
/** Bytes one connection may hold unread: one whole message and its length. */
const TCP_BUFFER_MAX = 65_537;
/** Records per AXFR message. */
const AXFR_RECORDS_PER_MESSAGE = 64;

export interface NamedTcp {
  listener: TcpListener;
  conns: Set<TcpConn>;
}

/** A reader of length-prefixed messages from a TCP stream: feed bytes, get whole messages. */
export class DnsStream {
  private buf = new Uint8Array(0);
  overflow = false;

  push(chunk: Uint8Array): void {
    if (this.buf.length + chunk.length > TCP_BUFFER_MAX) {
      this.overflow = true;
      return;
    }
    const b = new Uint8Array(this.buf.length + chunk.length);
    b.set(this.buf);
    b.set(chunk, this.buf.length);
    this.buf = b;
  }

  /** The next whole message's bytes, or null until it has arrived. */
  next(): Uint8Array | null {
    if (this.buf.length < 2) return null;
    const len = (this.buf[0] << 8) | this.buf[1];
    if (this.buf.length < 2 + len) return null;
    const m = this.buf.slice(2, 2 + len);
    this.buf = this.buf.slice(2 + len);
    return m;
  }
}

/** A message with its two-byte length in front. */
export function framed(m: DnsMessage): Uint8Array {
  const b = buildDns(m);
  const out = new Uint8Array(b.length + 2);
  out[0] = b.length >>> 8;
  out[1] = b.length & 0xff;
  out.set(b, 2);
  return out;
}

/** How named answers a query, whatever the transport (named.ts's namedQuery). */
export type QueryHandler = (d: NamedServer, q: DnsMessage, src: number, send: (m: DnsMessage) => void) => void;

/** Listens on TCP 53; null when the port is taken (named then serves UDP only). */
export function namedTcpStart(d: NamedServer, query: QueryHandler): NamedTcp | null {
  const conns = new Set<TcpConn>();
  const l = tcpListen(d.stack, 53, TCP_CLIENTS_MAX, () => {
    for (;;) {
      const stream = new DnsStream();
      const c: TcpConn | null = tcpAccept(l as TcpListener, {
        readable: () => c && readable(d, query, c, stream, conns),
        closed: () => c && conns.delete(c),
      });
      if (c === null) return;
      if (conns.size >= TCP_CLIENTS_MAX) {
        tcpAbort(c);
        continue;
      }
      conns.add(c);
    }
  });
  if ('errno' in l) return null;
  return { listener: l, conns };
}

export function namedTcpStop(t: NamedTcp): void {
  tcpListenClose(t.listener);
  for (const c of t.conns) tcpAbort(c);
  t.conns.clear();
}

function readable(d: NamedServer, query: QueryHandler, c: TcpConn, stream: DnsStream, conns: Set<TcpConn>): void {
  for (;;) {
    const chunk = tcpRecv(c);
    if (chunk === null) {
      conns.delete(c);
      tcpClose(c);
      return;
    }
    if (chunk.length === 0) break;
    stream.push(chunk);
  }
  if (stream.overflow) {
    conns.delete(c);
    tcpAbort(c);
    return;
  }
  for (let bytes = stream.next(); bytes !== null; bytes = stream.next()) {
    const q = parseDns(bytes, 0, bytes.length);
    if (typeof q === 'string' || q.qr) {
      d.counters.badQueries++;
      continue;
    }
    const send = (m: DnsMessage): void => {
      if (conns.has(c)) tcpSend(c, framed(m));
    };
    if (q.questions.length === 1 && q.questions[0].type === DNS_TYPE_AXFR) axfr(d, q, c.remoteAddr, send);
    else query(d, q, c.remoteAddr, send);
  }
}

/** RFC 4034 §6.1: labels compared from the right, case folded. */
export function canonicalCompare(a: string, b: string): number {
  const la = a === '.' ? [] : a.slice(0, -1).split('.').reverse();
  const lb = b === '.' ? [] : b.slice(0, -1).split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i] < lb[i] ? -1 : 1;
  }
  return la.length - lb.length;
}

/** The whole zone in order: SOA, the rest, SOA (RFC 5936 §2.2); REFUSED when not ours. */
function axfr(d: NamedServer, q: DnsMessage, src: number, send: (m: DnsMessage) => void): void {
  d.counters.queries++;
  const key = dnsNameKey(q.questions[0].name);
  const z = d.zones.find((x) => x.zone.key === key);
  // allow-transfer: the zone's list, else the options' list, else anyone (BIND 9.18's default).
  if (!z || !z.zone.soa || !matches(d.stack, z.conf.allowTransfer ?? d.config.allowTransfer, src, true)) return send(dnsReply(q, DNS_RCODE.REFUSED));
  const records: DnsRecord[] = [z.zone.soa];
  // Names in DNSSEC canonical order, the apex first, as BIND walks its database (RFC 4034 §6.1).
  const names = [...z.zone.nodes.keys()].sort(canonicalCompare);
  for (const n of names) for (const [t, set] of z.zone.nodes.get(n)!) if (t !== DNS_TYPE.SOA) records.push(...set);
  records.push(z.zone.soa);
  const edns = q.additional.some((r) => r.type === DNS_TYPE.OPT);
  for (let i = 0; i < records.length; i += AXFR_RECORDS_PER_MESSAGE) {
    const m = dnsReply(q, DNS_RCODE.NOERROR);
    m.aa = true;
    m.answers = records.slice(i, i + AXFR_RECORDS_PER_MESSAGE);
    // EDNS0: the OPT goes back once, in the first message (RFC 6891 §6.1.1).
    if (edns && i === 0) m.additional = [{ name: '.', type: DNS_TYPE.OPT, class: 1232, ttl: 0, data: { type: DNS_TYPE.OPT, raw: new Uint8Array(0) } }];
    send(m);
  }
  d.counters.answered++;
}
