// Interfaces of one stack: names, MACs, MTU, admin state, IPv4 addresses (primary and
// aliases) with their connected and local routes, counters, and the ifconfig views.
// Must not parse packets. RFC 1122 §3.3.1 (on-link subnets), RFC 919/922 (broadcast).

import { formatIpv4 } from '../wire/addr';
import { arpAnnounce, arpFlushIface } from './arp';
import { DROP } from './env';
import { configError, type ConfigResult } from './errno';
import { invalidateCache, maskOf, removeRoutesWhere, routeInsert } from './route';
import { stackPrograms } from './programs';
import { ROUTE_KIND, type Iface, type IfaceAddr, type NetStack } from './types';

export const DEFAULT_MTU = 1500;
export const LOOPBACK_MTU = 16384;
export const MIN_MTU = 68; // RFC 791: every host must accept 68-byte datagrams
export const MAX_MTU = 65535;

export function createIface(index: number, name: string, mac: number, mtu: number, up: boolean, loopback: boolean): Iface {
  return {
    index,
    name,
    loopback,
    mac,
    macHi: Math.floor(mac / 0x1_0000_0000) & 0xffff,
    macLo: mac >>> 0,
    mtu,
    up,
    carrier: loopback,
    addrs: [],
    counters: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: 0, errors: 0, filtered: 0 },
    arp: new Map(),
    vlanId: -1,
    vlanParent: -1,
    vlans: null,
  };
}

/** Every interface, in index order (link interfaces first, lo0 last). */
export function ifaceList(stack: NetStack): readonly Iface[] {
  return stack.ifaces;
}

export function ifaceGet(stack: NetStack, name: string): Iface | null {
  for (const i of stack.ifaces) if (i.name === name) return i;
  return null;
}

/** ifIndex of interface `name` (the index the World passes to etherInput/setCarrier), -1 if none. */
export function ifaceIndex(stack: NetStack, name: string): number {
  const i = ifaceGet(stack, name);
  return i ? i.index : -1;
}

function broadcastOf(addr: number, prefixLen: number): number {
  return prefixLen >= 31 ? 0 : (addr | ~maskOf(prefixLen)) >>> 0;
}

/**
 * Rebuilds the address maps (`local`, `broadcasts`, `ours` and its low-byte filter) from
 * every interface's addresses. Configuration is rare, so rebuilding is simpler and safer
 * than keeping the maps in step by hand (an address or broadcast shared by two entries).
 */
function rebuildAddrMaps(stack: NetStack): void {
  stack.local.clear();
  stack.broadcasts.clear();
  stack.ours.clear();
  for (const iface of stack.ifaces) {
    for (const a of iface.addrs) {
      stack.local.set(a.addr, iface.index);
      stack.ours.set(a.addr | 0, 1);
    }
  }
  for (const iface of stack.ifaces) {
    for (const a of iface.addrs) {
      if (a.broadcast === 0) continue;
      if (!stack.broadcasts.has(a.broadcast)) stack.broadcasts.set(a.broadcast, iface.index);
      if (!stack.local.has(a.broadcast)) stack.ours.set(a.broadcast | 0, 2);
    }
  }
  const f = stack.oursFilter;
  f.fill(0);
  for (const a of stack.ours.keys()) f[(a & 0xff) >>> 5] |= 1 << (a & 31);
}

function installAddrRoutes(stack: NetStack, iface: Iface, a: IfaceAddr): void {
  routeInsert(stack, { dest: a.addr, prefixLen: 32, gateway: 0, ifIndex: stack.loIndex, kind: ROUTE_KIND.LOCAL, broadcast: -1 });
  // FreeBSD installs no prefix route for loopback addresses, only the host route.
  if (iface.loopback || a.prefixLen === 32) return;
  const net = (a.addr & maskOf(a.prefixLen)) >>> 0;
  const r = { dest: net, prefixLen: a.prefixLen, gateway: 0, ifIndex: iface.index, kind: ROUTE_KIND.CONNECTED, broadcast: a.broadcast || -1 };
  routeInsert(stack, r); // an alias in an existing subnet keeps the first connected route
}

function removeAddrRoutes(stack: NetStack, iface: Iface, a: IfaceAddr): void {
  removeRoutesWhere(stack, (r) => r.kind === ROUTE_KIND.LOCAL && r.dest === a.addr);
  const net = (a.addr & maskOf(a.prefixLen)) >>> 0;
  const stillCovered = iface.addrs.some((o) => o !== a && o.prefixLen === a.prefixLen && ((o.addr & maskOf(o.prefixLen)) >>> 0) === net);
  if (stillCovered) return;
  removeRoutesWhere(
    stack,
    (r) => r.kind === ROUTE_KIND.CONNECTED && r.ifIndex === iface.index && r.dest === net && r.prefixLen === a.prefixLen,
  );
}

/**
 * ifconfig IFACE inet ADDR/LEN [alias]. Without `alias` the primary address is replaced.
 * Installs the connected and local routes and announces the address (gratuitous ARP).
 */
export function ifaceAddAddress(
  stack: NetStack,
  name: string,
  addr: number,
  prefixLen: number,
  opts: { alias?: boolean } = {},
): ConfigResult {
  const iface = ifaceGet(stack, name);
  if (!iface) return configError('ENXIO', `interface ${name} does not exist`);
  if (!(Number.isInteger(prefixLen) && prefixLen >= 0 && prefixLen <= 32)) return configError('EINVAL');
  const a0 = addr >>> 0;
  if (a0 === 0 || a0 === 0xffff_ffff || a0 >>> 28 >= 0xe) return configError('EINVAL', `${formatIpv4(a0)}: invalid address`);
  const owner = stack.local.get(a0);
  if (owner !== undefined && !(owner === iface.index && !opts.alias)) return configError('EEXIST');
  const entry: IfaceAddr = { addr: a0, prefixLen, broadcast: broadcastOf(a0, prefixLen), alias: !!opts.alias };
  if (!opts.alias && iface.addrs.length > 0) {
    const old = iface.addrs[0];
    iface.addrs.shift();
    removeAddrRoutes(stack, iface, old);
  }
  if (opts.alias) iface.addrs.push(entry);
  else iface.addrs.unshift(entry);
  installAddrRoutes(stack, iface, entry);
  rebuildAddrMaps(stack);
  if (!iface.loopback && iface.up && iface.carrier) arpAnnounce(stack, iface, a0);
  tellWatchers(stack, iface);
  return { ok: true };
}

/** ifconfig IFACE inet ADDR -alias (or delete). The next alias becomes primary. */
export function ifaceRemoveAddress(stack: NetStack, name: string, addr: number): ConfigResult {
  const iface = ifaceGet(stack, name);
  if (!iface) return configError('ENXIO', `interface ${name} does not exist`);
  const at = iface.addrs.findIndex((a) => a.addr === addr >>> 0);
  if (at < 0) return configError('EADDRNOTAVAIL');
  const [a] = iface.addrs.splice(at, 1);
  removeAddrRoutes(stack, iface, a);
  if (iface.addrs.length > 0) {
    iface.addrs[0].alias = false;
    // The remaining addresses' routes may have shared the removed subnet: reinstall.
    for (const o of iface.addrs) installAddrRoutes(stack, iface, o);
  }
  rebuildAddrMaps(stack);
  tellWatchers(stack, iface);
  return { ok: true };
}

export function ifaceSetMtu(stack: NetStack, name: string, mtu: number): ConfigResult {
  const iface = ifaceGet(stack, name);
  if (!iface) return configError('ENXIO', `interface ${name} does not exist`);
  if (!(Number.isInteger(mtu) && mtu >= MIN_MTU && mtu <= MAX_MTU)) return configError('EINVAL', 'ioctl SIOCSIFMTU (set mtu): Invalid argument');
  iface.mtu = mtu;
  return { ok: true };
}

/** ifconfig IFACE up|down. Down flushes its ARP entries; up announces its addresses. */
export function ifaceSetUp(stack: NetStack, name: string, up: boolean): ConfigResult {
  const iface = ifaceGet(stack, name);
  if (!iface) return configError('ENXIO', `interface ${name} does not exist`);
  if (iface.up === up) return { ok: true };
  iface.up = up;
  linkStateChanged(stack, iface);
  return { ok: true };
}

/** Link state reported by the world (cable up/down). */
export function setCarrier(stack: NetStack, ifIndex: number, up: boolean): void {
  const iface = stack.ifaces[ifIndex];
  if (!iface || iface.loopback || iface.carrier === up) return;
  iface.carrier = up;
  linkStateChanged(stack, iface);
  // A VLAN sub-interface has the link state of its parent (FreeBSD vlan(4)).
  if (iface.vlans !== null) for (const v of iface.vlans) setCarrier(stack, v.index, up);
}

function linkStateChanged(stack: NetStack, iface: Iface): void {
  invalidateCache(stack.routes);
  if (!iface.up || !iface.carrier) {
    arpFlushIface(stack, iface, iface.up ? DROP.LINK_DOWN : DROP.IFACE_DOWN);
  } else if (!iface.loopback) {
    for (const a of iface.addrs) arpAnnounce(stack, iface, a.addr);
  }
  tellWatchers(stack, iface);
}

function tellWatchers(stack: NetStack, iface: Iface): void {
  if (stack.programs !== null) for (const w of stack.programs.ifWatchers.slice()) w(iface);
}


/** Be told of every interface state change (RTM_IFINFO on a routing socket); returns the unsubscribe. */
export function ifaceWatch(stack: NetStack, watcher: (iface: Iface) => void): () => void {
  const list = stackPrograms(stack).ifWatchers;
  list.push(watcher);
  return () => {
    const k = list.indexOf(watcher);
    if (k >= 0) list.splice(k, 1);
  };
}

/** FreeBSD ifconfig flags word as text, e.g. `UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST`. */
export function ifaceFlags(iface: Iface): string {
  const f: string[] = [];
  if (iface.up) f.push('UP');
  if (iface.loopback) f.push('LOOPBACK');
  else f.push('BROADCAST');
  if (iface.up && iface.carrier) f.push('RUNNING');
  if (!iface.loopback) f.push('SIMPLEX');
  f.push('MULTICAST');
  return f.join(',');
}
