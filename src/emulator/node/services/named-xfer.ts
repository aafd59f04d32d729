// A secondary's zone transfer in (AXFR over TCP, RFC 5936 §2.2 and §4.1): connect to the
// first master that answers, read the zone until the closing SOA, load it, and retry
// every 30 s while it fails (BIND retries by the SOA's retry; no SOA is known yet). NOTIFY
// and serial-checked refresh are not built: a zone is transferred once per start.

import type { Exchange } from './dns-client';
import { axfrFetch } from './dns-axfr';
import { buildZone } from './dns-zone';
import type { ZoneConf } from './named-conf';
import type { NamedServer } from './named-types';

const S = 1_000_000_000;
export const XFER_RETRY_NS = 30 * S;
/** A transfer that has not finished by then is abandoned (BIND: max-transfer-time-in is 2 h; a lab zone takes milliseconds). */
export const XFER_TIMEOUT_NS = 30 * S;

export interface Transfer {
  conf: ZoneConf;
  attempt: number;
  fetch: Exchange | null;
  timer: number;
  /** Why the last attempt failed, for Inspect and `named` output. */
  lastError: string | null;
}

/** Starts the transfer of each secondary zone that has no copy yet. */
export function startTransfers(d: NamedServer, zones: ZoneConf[]): void {
  for (const conf of zones) {
    const t: Transfer = { conf, attempt: 0, fetch: null, timer: 0, lastError: null };
    d.transfers.push(t);
    transfer(d, t);
  }
}

export function stopTransfers(d: NamedServer): void {
  for (const t of d.transfers) {
    if (t.timer !== 0) d.stack.env.sim.cancel(t.timer);
    t.fetch?.cancel();
    t.fetch = null;
  }
  d.transfers.length = 0;
}

function transfer(d: NamedServer, t: Transfer): void {
  t.timer = 0;
  if (!d.running || t.conf.masters.length === 0) return;
  const master = t.conf.masters[t.attempt++ % t.conf.masters.length];
  t.fetch = axfrFetch(d.stack, master, t.conf.name, XFER_TIMEOUT_NS, (r) => {
    t.fetch = null;
    const built = r.ok ? buildZone(t.conf.name, r.records.slice(0, -1), true) : null;
    if (built?.zone) {
      t.lastError = null;
      d.zones = [...d.zones.filter((z) => z.conf !== t.conf), { conf: t.conf, zone: built.zone }];
      return;
    }
    t.lastError = r.ok ? (built?.problems.map((p) => p.message).join('; ') ?? 'bad zone') : r.error;
    if (d.running) t.timer = d.stack.env.sim.schedule(XFER_RETRY_NS, () => transfer(d, t));
  });
}
