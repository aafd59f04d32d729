// RIPng output: the entries an interface is sent (simple split horizon, FRR ripngd's
// default), regular and triggered updates to ff02::9 from the link-local address, and
// answers to requests. Uses only the socket API. RFC 2080 §2.4.1 (requests), §2.5
// (output), §2.5.1 (triggered updates), §2.5.2 (link-local source, hop limit 255).

import { in6Addrs, in6Usable } from '../../stack/in6';
import { ifaceUsable } from '../../stack/route';
import { udp6Send } from '../../stack/udp6';
import type { Ipv6Addr } from '../../wire/ipv6-addr';
import { IPV6_HEADER_LEN } from '../../wire/ipv6';
import { UDP_HEADER_LEN } from '../../wire/udp';
import { buildRipng, RIPNG_COMMAND, RIPNG_ENTRY_LEN, RIPNG_GROUP, RIPNG_HEADER_LEN, RIPNG_INFINITY, RIPNG_PORT, RIPNG_VERSION, ripngWholeTableRequest, type RipngEntry } from '../../wire/ripng';
import { ripngKey, type RipngDaemon, type RipngRoute } from './ripngd-types';

/** The interface's usable link-local address (ripngd's source), or null while DAD runs. */
export function ripngSource(d: RipngDaemon, i: number): Ipv6Addr | null {
  return in6Addrs(d.stack, i).find((a) => a.linkLocal && in6Usable(a))?.addr ?? null;
}

/** Whether RIPng sends on interface `i` (enabled, up, not passive, its link-local ready). */
export function ripngSendsOn(d: RipngDaemon, i: number): boolean {
  const iface = d.stack.ifaces[i];
  return d.enabled.has(i) && ifaceUsable(iface) && !d.cfg.passive.has(iface.name) && ripngSource(d, i) !== null;
}

function entriesFor(d: RipngDaemon, i: number, onlyChanged: boolean): RipngEntry[] {
  const out: RipngEntry[] = [];
  for (const r of d.routes.values()) {
    if (onlyChanged && !r.changed) continue;
    // Simple split horizon: a route learned on (or owned by) this interface is not sent back on it.
    if (r.ifIndex === i && !r.inGc && (r.type === 'ripng' || r.ofInterface)) continue;
    out.push({ prefix: r.prefix, tag: r.tag, prefixLen: r.prefixLen, metric: r.inGc ? RIPNG_INFINITY : r.metric });
  }
  return out;
}

/** RTEs that fit the interface MTU in one datagram (RFC 2080 §2.1). */
function perPacket(d: RipngDaemon, i: number): number {
  return Math.max(1, Math.floor((d.stack.ifaces[i].mtu - IPV6_HEADER_LEN - UDP_HEADER_LEN - RIPNG_HEADER_LEN) / RIPNG_ENTRY_LEN));
}

function sendEntries(d: RipngDaemon, i: number, entries: RipngEntry[], to: { addr: Ipv6Addr; port: number } | null): void {
  const src = ripngSource(d, i);
  if (src === null) return;
  const n = perPacket(d, i);
  for (let k = 0; k < entries.length; k += n) {
    const payload = buildRipng({ command: RIPNG_COMMAND.RESPONSE, version: RIPNG_VERSION, entries: entries.slice(k, k + n) });
    udp6Send(d.stack, { dst: to?.addr ?? RIPNG_GROUP, dstPort: to?.port ?? RIPNG_PORT, srcPort: RIPNG_PORT, payload, hopLimit: 255, zone: i, src });
  }
}

/** A regular (all routes) or triggered (changed only) update on every RIPng interface. */
export function ripngSendUpdate(d: RipngDaemon, onlyChanged: boolean): void {
  for (let i = 0; i < d.stack.ifaces.length; i++) {
    if (!ripngSendsOn(d, i)) continue;
    const entries = entriesFor(d, i, onlyChanged);
    if (entries.length === 0) continue;
    sendEntries(d, i, entries, null);
    if (onlyChanged) d.counters.triggeredSent++;
    else d.counters.updatesSent++;
  }
  for (const r of d.routes.values()) r.changed = false;
}

/** Asks the neighbors on interface `i` for their whole table. */
export function ripngSendRequest(d: RipngDaemon, i: number): void {
  const src = ripngSource(d, i);
  if (!ripngSendsOn(d, i) || src === null) return;
  udp6Send(d.stack, { dst: RIPNG_GROUP, dstPort: RIPNG_PORT, srcPort: RIPNG_PORT, payload: buildRipng(ripngWholeTableRequest()), hopLimit: 255, zone: i, src });
}

/** Answers a request (§2.4.1): the whole table (split horizon applies), or each asked prefix's metric. */
export function ripngAnswerRequest(d: RipngDaemon, i: number, entries: RipngEntry[], from: { addr: Ipv6Addr; port: number }): void {
  const e0 = entries[0];
  const whole = entries.length === 1 && e0 !== undefined && e0.prefixLen === 0 && e0.metric === RIPNG_INFINITY && e0.prefix.every((b) => b === 0);
  if (whole) return sendEntries(d, i, entriesFor(d, i, false), from);
  const answer = entries.map((e) => {
    const r: RipngRoute | undefined = d.routes.get(ripngKey(e.prefix, e.prefixLen));
    return { ...e, metric: r === undefined || r.inGc ? RIPNG_INFINITY : r.metric };
  });
  sendEntries(d, i, answer, from);
}
