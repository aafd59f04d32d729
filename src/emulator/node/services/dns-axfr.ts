// Fetching a whole zone by AXFR over TCP (RFC 5936 §2.2, §4.1; RFC 1035 §4.2.2 framing):
// connect to port 53, send the query, read messages until the closing SOA. Shared by a
// secondary's transfer (named-xfer.ts) and `dig … AXFR`. Bounded in records and time.

import { tcpAbort, tcpClose, tcpConnect, tcpRecv, tcpSend, type TcpConn } from '../../stack/tcp';
import type { NetStack } from '../../stack/types';
import { DNS_RCODE, DNS_TYPE, dnsQuery, parseDns, type DnsRecord } from '../../wire/dns';
import { dnsQueryId, type Exchange } from './dns-client';
import { DNS_TYPE_AXFR, DnsStream, framed } from './named-tcp';
import { ZONE_RECORDS_MAX } from './zone-file';

export type AxfrResult =
  | { ok: true; records: DnsRecord[]; messages: number; bytes: number; rttNs: number }
  | { ok: false; error: string; rcode?: number };

/** Transfers `zone` from `server`; `done` is called once (unless cancelled). Records end with the closing SOA. */
export function axfrFetch(stack: NetStack, server: number, zone: string, timeoutNs: number, done: (r: AxfrResult) => void, edns = false): Exchange {
  const sim = stack.env.sim;
  const start = sim.now();
  const stream = new DnsStream();
  const records: DnsRecord[] = [];
  const id = dnsQueryId(stack);
  let soas = 0;
  let messages = 0;
  let bytes = 0;
  let over = false;
  let timer = 0;
  const end = (r: AxfrResult, graceful: boolean): void => {
    if (over) return;
    over = true;
    if (timer !== 0) sim.cancel(timer);
    if (!('errno' in conn)) (graceful ? tcpClose : tcpAbort)(conn);
    done(r);
  };
  const conn = tcpConnect(stack, server, 53, {
    connected: () => {
      const q = dnsQuery(id, zone, DNS_TYPE_AXFR, false);
      if (edns) q.additional.push({ name: '.', type: DNS_TYPE.OPT, class: 1232, ttl: 0, data: { type: DNS_TYPE.OPT, raw: new Uint8Array(0) } });
      tcpSend(conn as TcpConn, framed(q));
    },
    readable: () => {
      for (let chunk = tcpRecv(conn as TcpConn); chunk !== null && chunk.length > 0; chunk = tcpRecv(conn as TcpConn)) stream.push(chunk);
      if (stream.overflow) return end({ ok: false, error: 'message too long' }, false);
      for (let b = stream.next(); b !== null; b = stream.next()) {
        const m = parseDns(b, 0, b.length);
        if (typeof m === 'string' || m.id !== id) return end({ ok: false, error: 'bad message' }, false);
        if (m.rcode !== DNS_RCODE.NOERROR) return end({ ok: false, error: 'refused', rcode: m.rcode }, true);
        messages++;
        bytes += b.length;
        for (const r of m.answers) {
          if (r.type === DNS_TYPE.SOA) soas++;
          records.push(r);
          if (records.length > ZONE_RECORDS_MAX) return end({ ok: false, error: 'zone too large' }, false);
          if (soas >= 2) return end({ ok: true, records, messages, bytes, rttNs: sim.now() - start }, true);
        }
      }
    },
    closed: (errno) => end({ ok: false, error: errno ?? 'connection closed before the zone ended' }, false),
  });
  if ('errno' in conn) {
    const errno = conn.errno;
    timer = sim.schedule(0, () => end({ ok: false, error: errno }, false));
  } else timer = sim.schedule(timeoutNs, () => end({ ok: false, error: 'timed out' }, false));
  return {
    cancel: () => {
      if (over) return;
      over = true;
      if (timer !== 0) sim.cancel(timer);
      if (!('errno' in conn)) tcpAbort(conn);
    },
  };
}
