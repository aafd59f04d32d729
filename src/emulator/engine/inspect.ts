// Read-only snapshots of a running node for the inspector and the CLI: interfaces with
// the counters they keep themselves, ARP cache, routing table, a switch's MAC table, and
// each link's own per-direction counters. Never mutates the World.
// Formats follow FreeBSD netstat -rn / arp -an conventions where they apply.

import { formatCidr, formatIpv4, formatMac } from '../wire/addr';
import { routeList } from '../stack/route';
import { Bridge } from '../node/bridge';
import { StpBridge } from '../node/stp';
import { firewallSnapshot } from './inspect-fw';
import type { InterfaceCounters, InterfaceCounterValues, InterfaceSnapshot, LinkCounters, LinkDirCounterValues, NodeSnapshot } from './protocol';
import type { Link, LinkDir } from '../link/link';
import type { NodeRuntime, World } from './world';

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
