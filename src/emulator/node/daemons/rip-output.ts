// RIP output processing: building the entries an interface is sent (split horizon, simple
// by default as in FRR, or with poisoned reverse; the next hop of §4.4), regular and triggered updates to 224.0.0.9, and answers to requests.
// Uses only the socket API. RFC 2453 §3.9.1 (requests), §3.10 (output), §3.10.1
// (triggered updates), §3.4.3 (split horizon / poisoned reverse), §5.1 (multicast).

import { udpSend } from '../../stack/udp';
import { ifaceUsable, maskOf } from '../../stack/route';
import {
  buildRip,
  RIP_AFI_INET,
  RIP_COMMAND,
  RIP_GROUP,
  RIP_INFINITY,
  RIP_MAX_ENTRIES,
  RIP_PORT,
  ripWholeTableRequest,
  type RipEntry,
} from '../../wire/rip';
import type { RipDaemon, RipRoute } from './rip-types';

/** Whether RIP sends on interface `i` (enabled, up, not passive). */
export function ripSendsOn(d: RipDaemon, i: number): boolean {
  const iface = d.stack.ifaces[i];
  if (!d.enabled.has(i) || !ifaceUsable(iface)) return false;
  return !(d.cfg.passiveDefault || d.cfg.passive.has(iface.name));
}

/**
 * Whether split horizon concerns `r` on interface `i` (§3.4.3), as FRR's ripd decides: a
 * route learned through `i`, or a connected subnet of `i`; never a redistributed route (a
 * static route through `i` is sent there with its metric).
 */
function splitHorizonApplies(r: RipRoute, i: number): boolean {
  return r.ifIndex === i && (r.type === 'rip' || r.type === 'connected');
}

/** The metric `r` is advertised with on interface `i`, or -1 when split horizon leaves it out. */
function outMetric(d: RipDaemon, r: RipRoute, i: number): number {
  if (!splitHorizonApplies(r, i)) return r.metric;
  // FRR's default is simple split horizon (`ip rip split-horizon`); poisoned reverse only when configured.
  const mode = d.splitHorizon.get(d.stack.ifaces[i].name) ?? 'simple';
  switch (mode) {
    case 'none':
      return r.metric;
    case 'simple':
      return -1;
    case 'poisoned':
      return RIP_INFINITY;
    default:
      return mode satisfies never;
  }
}

export function entriesFor(d: RipDaemon, i: number, onlyChanged: boolean): RipEntry[] {
  const out: RipEntry[] = [];
  for (const r of d.routes.values()) {
    if (onlyChanged && !r.changed) continue;
    const metric = outMetric(d, r, i);
    if (metric < 0) continue;
    // §4.4 next hop: the route's own gateway when it lies through this interface (as FRR
    // sends it), else 0, "via the originator"; never beyond the link it was heard on.
    const nextHop = r.ifIndex === i ? r.nextHop : 0;
    out.push({ afi: RIP_AFI_INET, tag: r.tag, addr: r.dest, mask: maskOf(r.prefixLen), nextHop, metric });
  }
  return out;
}

/** Sends entries as RIPv2 responses of at most 25 entries each; multicast unless `to` is given. */
function sendEntries(d: RipDaemon, i: number, entries: RipEntry[], to: { addr: number; port: number } | null): void {
  for (let k = 0; k < entries.length; k += RIP_MAX_ENTRIES) {
    const payload = buildRip({ command: RIP_COMMAND.RESPONSE, version: 2, entries: entries.slice(k, k + RIP_MAX_ENTRIES) });
    if (to === null) udpSend(d.stack, { dst: RIP_GROUP, dstPort: RIP_PORT, srcPort: RIP_PORT, payload, ttl: 1, multicastIf: i });
    else udpSend(d.stack, { dst: to.addr, dstPort: to.port, srcPort: RIP_PORT, payload });
  }
}

/** A regular (all routes) or triggered (changed routes only) update on every RIP interface. */
export function ripSendUpdate(d: RipDaemon, onlyChanged: boolean): void {
  for (let i = 0; i < d.stack.ifaces.length; i++) {
    if (!ripSendsOn(d, i)) continue;
    const entries = entriesFor(d, i, onlyChanged);
    if (entries.length === 0) continue;
    sendEntries(d, i, entries, null);
    if (onlyChanged) d.counters.triggeredSent++;
    else d.counters.updatesSent++;
  }
  for (const r of d.routes.values()) r.changed = false;
}

/** Asks the neighbors on interface `i` for their whole table (sent when RIP starts on it). */
export function ripSendRequest(d: RipDaemon, i: number): void {
  if (!ripSendsOn(d, i)) return;
  udpSend(d.stack, { dst: RIP_GROUP, dstPort: RIP_PORT, srcPort: RIP_PORT, payload: buildRip(ripWholeTableRequest()), ttl: 1, multicastIf: i });
}

/** Answers a request (§3.9.1): the whole table with split horizon, or the metric of each asked entry. */
export function ripAnswerRequest(d: RipDaemon, i: number, entries: RipEntry[], from: { addr: number; port: number }): void {
  const whole = entries.length === 1 && entries[0].afi === 0 && entries[0].metric === RIP_INFINITY;
  if (whole) return sendEntries(d, i, entriesFor(d, i, false), from);
  const answer = entries.map((e) => {
    let metric = RIP_INFINITY;
    for (const r of d.routes.values()) if (r.dest === e.addr && maskOf(r.prefixLen) === e.mask) metric = r.metric;
    return { ...e, metric };
  });
  sendEntries(d, i, answer, from);
}
