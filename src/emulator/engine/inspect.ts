// Read-only snapshots of a running node for the inspector and the CLI: interfaces with
// the counters they keep themselves, ARP cache, routing table, a switch's MAC table, the
// services' tables (DHCP leases), named's DNS cache, and
// each link's own per-direction counters. Never mutates the World.
// Formats follow FreeBSD netstat -rn / arp -an conventions where they apply.

import { formatCidr, formatIpv4, formatMac } from '../wire/addr';
import { routeList } from '../stack/route';
import { Bridge } from '../node/bridge';
import { StpBridge } from '../node/stp';
import { firewallSnapshot } from './inspect-fw';
import type { DnsCacheSnapshot, InterfaceCounters, InterfaceCounterValues, InterfaceSnapshot, LinkCounters, LinkDirCounterValues, NodeSnapshot } from './protocol';
import type { DnsCache } from '../node/services/dns-cache';
import type { NamedServer } from '../node/services/named-types';
import { dnsTypeName, formatRdata } from '../wire/dns';
import type { Link, LinkDir } from '../link/link';
import type { NodeRuntime, World } from './world';

/** Rows of one service table sent to the inspector. */
export const INSPECT_SERVICE_ROWS_MAX = 1000;

/** Counters of one interface, as it keeps them itself (a stack's netstat -i, a switch port's). */
function countersOf(world: World, node: NodeRuntime, k: number): InterfaceCounterValues {
  return world.ifaceCounters(node.ifaceBase + k);
}

export function nodeSnapshot(world: World, node: NodeRuntime): NodeSnapshot {
  const snap: NodeSnapshot = { node: node.id, name: node.name, kind: node.kind, forwarding: node.stack?.forwarding ?? false, interfaces: [], arp: [], routes: [] };
  const now = world.sim.now();
  const stack = node.stack;
  if (stack) {
    for (const i of stack.ifaces) {
      const s: InterfaceSnapshot = { name: i.name, mtu: i.mtu, up: i.up, carrier: i.carrier, ipv4: i.addrs.map((a) => formatCidr(a.addr, a.prefixLen)), counters: countersOf(world, node, i.index) };
      if (!i.loopback) s.mac = formatMac(i.mac);
      snap.interfaces.push(s);
      for (const e of i.arp.values()) {
        const complete = e.state === 'complete' || e.state === 'static';
        snap.arp.push({
          ip: formatIpv4(e.ip),
          mac: complete ? formatMac(e.mac) : null,
          iface: i.name,
          state: complete ? 'complete' : 'incomplete',
          expiresInNs: e.state === 'complete' ? Math.max(0, e.expiresNs - now) : null,
        });
      }
    }
    for (const r of routeList(stack)) {
      snap.routes.push({
        dest: formatCidr(r.dest, r.prefixLen),
        gateway: r.gateway === null ? null : formatIpv4(r.gateway),
        iface: r.iface,
        flags: r.flags,
        origin: r.kind,
        ageNs: Math.max(0, now - r.installedNs),
      });
    }
    if (stack.fw !== null) snap.firewall = firewallSnapshot(stack, stack.fw, now);
    if (node.services !== undefined && node.services.running.size > 0) {
      snap.services = [...node.services.running.values()].map((s) => {
        const v = s.inspect();
        // Bounded: a table shows at most INSPECT_SERVICE_ROWS_MAX rows.
        return { key: s.key, title: v.title, columns: v.columns, rows: v.rows.slice(0, INSPECT_SERVICE_ROWS_MAX) };
      });
    }
    if (node.named?.running) snap.dnsCache = { ...dnsCacheSnapshot(node.named.cache, now), zones: namedZones(node.named) };
  } else if (node.bridge) {
    node.ifaceNames.forEach((name, k) => {
      const link = world.ifaceLinkOf(node.ifaceBase + k);
      snap.interfaces.push({ name, mtu: 1500, up: true, carrier: node.bridge!.carrier[k] && !!link?.link.up, ipv4: [], counters: countersOf(world, node, k) });
    });
    if (node.bridge instanceof Bridge) snap.macTable = node.bridge.macTable();
    if (node.bridge instanceof StpBridge) snap.stp = node.bridge.stpInfo();
  }
  return snap;
}

/** Rows of named's cache sent to the inspector at most (the cache holds up to 2048 entries). */
export const DNS_CACHE_ROWS_MAX = 500;

/** Zones loaded (with their SOA serial) and secondaries still waiting for a transfer. */
function namedZones(d: NamedServer): DnsCacheSnapshot['zones'] {
  const out: DnsCacheSnapshot['zones'] = d.zones.map(({ conf, zone }) => {
    let records = 0;
    for (const byType of zone.nodes.values()) for (const set of byType.values()) records += set.length;
    const soa = zone.soa?.data;
    return { name: zone.origin, type: conf.type, serial: soa && 'serial' in soa ? soa.serial : null, records, state: 'loaded' };
  });
  for (const t of d.transfers) {
    if (d.zones.some((z) => z.conf === t.conf)) continue;
    out.push({ name: t.conf.name, type: t.conf.type, serial: null, records: 0, state: t.fetch ? 'transferring' : `waiting: ${t.lastError ?? 'not tried yet'}` });
  }
  return out;
}

function dnsCacheSnapshot(cache: DnsCache, now: number): Omit<DnsCacheSnapshot, 'zones'> {
  const rows: DnsCacheSnapshot['rows'] = [];
  let more = 0;
  for (const e of cache.list(now)) {
    const ttlS = Math.max(0, Math.floor((e.expiresNs - now) / 1e9));
    const lines = e.kind === 'rrset'
      ? e.records.map((r) => ({ name: r.name, type: dnsTypeName(r.type), data: formatRdata(r.data), ttlS }))
      : [{ name: e.name, type: e.kind === 'nxdomain' ? 'ANY' : dnsTypeName(e.type), data: e.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA', ttlS }];
    for (const l of lines) {
      if (rows.length < DNS_CACHE_ROWS_MAX) rows.push(l);
      else more++;
    }
  }
  return { rows, more, hits: cache.hits, misses: cache.misses };
}

export function allCounters(world: World): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const node of world.nodes) {
    node.ifaceNames.forEach((iface, k) => out.push({ node: node.id, iface, ...countersOf(world, node, k) }));
  }
  return out;
}

function linkDir(link: Link, dir: LinkDir): LinkDirCounterValues {
  const c = link.counters(dir);
  const drops: Record<string, number> = {};
  for (const [reason, n] of Object.entries(c.drops)) if (n) drops[reason] = n;
  return { offered: c.offered, sentPackets: c.sentPackets, sentBytes: c.sentBytes, deliveredPackets: c.deliveredPackets, deliveredBytes: c.deliveredBytes, inFlight: link.inFlight(dir), drops };
}

/** Each link's own per-direction counters (a→b is from the document's side a). */
export function linkCounters(world: World): LinkCounters[] {
  return world.links.map((l) => ({ link: l.id, label: world.linkLabel(l), ab: linkDir(l, 0), ba: linkDir(l, 1) }));
}
