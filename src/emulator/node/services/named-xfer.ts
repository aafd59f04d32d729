// A secondary's zone transfer in (AXFR over TCP, RFC 5936 §2.2 and §4.1): connect to the
// first master that answers, read the zone until the closing SOA, load it, and retry
// every 30 s while it fails (BIND retries by the SOA's retry; no SOA is known yet). NOTIFY
// and serial-checked refresh are not built: a zone is transferred once per start.

import { tcpAbort, tcpClose, tcpConnect, tcpRecv, tcpSend, type TcpConn } from '../../stack/tcp';
import { DNS_RCODE, DNS_TYPE, dnsQuery, parseDns, type DnsRecord } from '../../wire/dns';
import { dnsQueryId } from './dns-client';
import { buildZone } from './dns-zone';
import type { ZoneConf } from './named-conf';
import { DNS_TYPE_AXFR, DnsStream, framed } from './named-tcp';
import type { NamedServer } from './named-types';
import { ZONE_RECORDS_MAX } from './zone-file';

const S = 1_000_000_000;
export const XFER_RETRY_NS = 30 * S;
/** A transfer that has not finished by then is abandoned (BIND: max-transfer-time-in is 2 h; a lab zone takes milliseconds). */
export const XFER_TIMEOUT_NS = 30 * S;

export interface Transfer {
  conf: ZoneConf;
  attempt: number;
  conn: TcpConn | null;
  timer: number;
  /** Why the last attempt failed, for Inspect and `named` output. */
  lastError: string | null;
}

/** Starts the transfer of each secondary zone that has no copy yet. */
export function startTransfers(d: NamedServer, zones: ZoneConf[]): void {
  for (const conf of zones) {
    const t: Transfer = { conf, attempt: 0, conn: null, timer: 0, lastError: null };
    d.transfers.push(t);
    transfer(d, t);
  }
}

export function stopTransfers(d: NamedServer): void {
  for (const t of d.transfers) {
    if (t.timer !== 0) d.stack.env.sim.cancel(t.timer);
    if (t.conn) tcpAbort(t.conn);
    t.conn = null;
  }
  d.transfers.length = 0;
}

function retry(d: NamedServer, t: Transfer, why: string): void {
  if (t.conn) tcpAbort(t.conn);
  t.conn = null;
  t.lastError = why;
  if (t.timer !== 0) d.stack.env.sim.cancel(t.timer);
  t.timer = d.running ? d.stack.env.sim.schedule(XFER_RETRY_NS, () => transfer(d, t)) : 0;
}

function transfer(d: NamedServer, t: Transfer): void {
  t.timer = 0;
  if (!d.running || t.conf.masters.length === 0) return;
  const master = t.conf.masters[t.attempt++ % t.conf.masters.length];
  const stream = new DnsStream();
  const records: DnsRecord[] = [];
  let soas = 0;
  const id = dnsQueryId(d.stack);
  const conn = tcpConnect(d.stack, master, 53, {
    connected: () => void tcpSend(conn as TcpConn, framed(dnsQuery(id, t.conf.name, DNS_TYPE_AXFR, false))),
    readable: () => {
      for (let chunk = tcpRecv(conn as TcpConn); chunk !== null && chunk.length > 0; chunk = tcpRecv(conn as TcpConn)) stream.push(chunk);
      if (stream.overflow) return retry(d, t, 'message too long');
      for (let bytes = stream.next(); bytes !== null; bytes = stream.next()) {
        const m = parseDns(bytes, 0, bytes.length);
        if (typeof m === 'string' || m.id !== id) return retry(d, t, 'bad message from the master');
        if (m.rcode !== DNS_RCODE.NOERROR) return retry(d, t, `master answered rcode ${m.rcode}`);
        for (const r of m.answers) {
          if (r.type === DNS_TYPE.SOA) soas++;
          if (soas < 2) records.push(r);
          if (records.length > ZONE_RECORDS_MAX) return retry(d, t, 'zone too large');
        }
        if (soas >= 2) return loaded(d, t, records);
      }
    },
    closed: (errno) => {
      if (t.conn === conn) retry(d, t, errno ?? 'connection closed before the zone ended');
    },
  });
  if ('errno' in conn) return retry(d, t, conn.errno);
  t.conn = conn;
  t.timer = d.stack.env.sim.schedule(XFER_TIMEOUT_NS, () => {
    t.timer = 0;
    retry(d, t, 'timed out');
  });
}

function loaded(d: NamedServer, t: Transfer, records: DnsRecord[]): void {
  const conn = t.conn;
  t.conn = null;
  if (t.timer !== 0) d.stack.env.sim.cancel(t.timer);
  t.timer = 0;
  if (conn) tcpClose(conn);
  const built = buildZone(t.conf.name, records, true);
  if (built.zone === null) return retry(d, t, built.problems.map((p) => p.message).join('; '));
  t.lastError = null;
  d.zones = [...d.zones.filter((z) => z.conf !== t.conf), { conf: t.conf, zone: built.zone }];
}

