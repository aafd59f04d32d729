// A secondary's zone transfer in (AXFR over TCP, RFC 5936 §2.2 and §4.1): connect to the
// masters in turn, read the zone until the closing SOA, load it; retry every 30 s while it
// fails (no SOA is known yet). Once loaded, every SOA refresh interval the master's serial
// is asked over UDP and a greater one (RFC 1982 serial arithmetic) is transferred again;
// a failed check is retried after the SOA retry interval (RFC 1034 §4.3.5). NOTIFY and
// zone expiry are not built.

import { DNS_TYPE, dnsQuery } from '../../wire/dns';
import { dnsExchange, dnsQueryId, type Exchange } from './dns-client';
import { axfrFetch } from './dns-axfr';
import { buildZone } from './dns-zone';
import type { ZoneConf } from './named-conf';
import type { NamedServer } from './named-types';

const S = 1_000_000_000;
export const XFER_RETRY_NS = 30 * S;
/** A transfer that has not finished by then is abandoned (BIND: max-transfer-time-in is 2 h; a lab zone takes milliseconds). */
export const XFER_TIMEOUT_NS = 30 * S;
/** Wait for the master's SOA at a refresh. */
const REFRESH_QUERY_TIMEOUT_NS = 5 * S;

export interface Transfer {
  conf: ZoneConf;
  attempt: number;
  fetch: Exchange | null;
  timer: number;
  /** Why the last attempt failed, for Inspect and `named` output. */
  lastError: string | null;
  /** Set when named stops or reloads: late answers and timers of this transfer do nothing. */
  stopped: boolean;
}

/** Starts the transfer of each secondary zone that has no copy yet. */
export function startTransfers(d: NamedServer, zones: ZoneConf[]): void {
  for (const conf of zones) {
    const t: Transfer = { conf, attempt: 0, fetch: null, timer: 0, lastError: null, stopped: false };
    d.transfers.push(t);
    transfer(d, t);
  }
}

export function stopTransfers(d: NamedServer): void {
  for (const t of d.transfers) {
    t.stopped = true;
    if (t.timer !== 0) d.stack.env.sim.cancel(t.timer);
    t.fetch?.cancel();
    t.fetch = null;
  }
  d.transfers.length = 0;
}

function transfer(d: NamedServer, t: Transfer): void {
  t.timer = 0;
  if (!d.running || t.stopped || t.conf.masters.length === 0) return;
  const master = t.conf.masters[t.attempt++ % t.conf.masters.length];
  t.fetch = axfrFetch(d.stack, master, t.conf.name, XFER_TIMEOUT_NS, (r) => {
    t.fetch = null;
    if (t.stopped) return;
    const built = r.ok ? buildZone(t.conf.name, r.records.slice(0, -1), true) : null;
    if (built?.zone) {
      t.lastError = null;
      d.zones = [...d.zones.filter((z) => z.conf !== t.conf), { conf: t.conf, zone: built.zone }];
      return scheduleRefresh(d, t, 'refresh');
    }
    t.lastError = r.ok ? (built?.problems.map((p) => p.message).join('; ') ?? 'bad zone') : r.error;
    if (d.running) t.timer = d.stack.env.sim.schedule(XFER_RETRY_NS, () => transfer(d, t));
  });
}

/** Times of the loaded copy's SOA, bounded below by 1 s so a zero never spins. */
function soaTimes(d: NamedServer, t: Transfer): { serial: number; refreshS: number; retryS: number } | null {
  const soa = d.zones.find((z) => z.conf === t.conf)?.zone.soa?.data;
  if (!soa || soa.type !== DNS_TYPE.SOA || !('serial' in soa)) return null;
  return { serial: soa.serial, refreshS: Math.max(1, soa.refresh), retryS: Math.max(1, soa.retry) };
}

function scheduleRefresh(d: NamedServer, t: Transfer, which: 'refresh' | 'retry'): void {
  const times = soaTimes(d, t);
  if (!d.running || t.stopped || times === null) return;
  const delayS = which === 'refresh' ? times.refreshS : times.retryS;
  t.timer = d.stack.env.sim.schedule(delayS * S, () => refresh(d, t));
}

/** RFC 1982 §3.2: `a` is greater than `b` in 32-bit serial arithmetic. */
export function serialGreater(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff !== 0 && diff < 0x80000000;
}

function refresh(d: NamedServer, t: Transfer): void {
  t.timer = 0;
  const times = soaTimes(d, t);
  if (!d.running || t.stopped || times === null) return;
  const master = t.conf.masters[t.attempt++ % t.conf.masters.length];
  const ex = dnsExchange(d.stack, master, dnsQuery(dnsQueryId(d.stack), t.conf.name, DNS_TYPE.SOA, false), REFRESH_QUERY_TIMEOUT_NS, (r) => {
    d.inFlight.delete(ex);
    if (t.stopped) return;
    const soa = r.ok ? r.msg.answers.find((a) => a.type === DNS_TYPE.SOA)?.data : undefined;
    if (!soa || soa.type !== DNS_TYPE.SOA || !('serial' in soa)) {
      t.lastError = r.ok ? 'no SOA in the refresh answer' : r.error;
      return scheduleRefresh(d, t, 'retry');
    }
    if (serialGreater(soa.serial, times.serial)) transfer(d, t);
    else scheduleRefresh(d, t, 'refresh');
  });
  d.inFlight.add(ex);
}
