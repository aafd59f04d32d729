// dhcpd: an ISC-style DHCP server on one node. Reads dhcpd.conf from the node's files,
// answers DISCOVER / REQUEST / RELEASE / DECLINE / INFORM on UDP 67 (directly or through a
// relay's giaddr), keeps leases with virtual times and writes them to /var/db/dhcpd.leases.
// Uses only the socket API (udp, bpf for the broadcast reply to a client without an
// address) and the node's files. RFC 2131 §4.3 (server behaviour), §4.1 (reply addressing).

import { bpfSendUdp } from '../../stack/bpf';
import { udpBind, udpSend, type UdpSocket } from '../../stack/udp';
import type { NetStack, UdpDelivery } from '../../stack/types';
import { formatIpv4, formatMac, IPV4_BROADCAST, type Ipv4Addr, type MacAddr } from '../../wire/addr';
import {
  BOOTP_OP, buildDhcp, DHCP_CLIENT_PORT, DHCP_FLAG_BROADCAST, DHCP_OPT, DHCP_SERVER_PORT, DHCP_TYPE, dhcpParams, dhcpTypeTag, macOfChaddr, optAddrs, optText, optU32, optU8,
  parseDhcp, type DhcpOption, type DhcpRepr,
} from '../../wire/dhcp';
import { fileErrorText } from '../files';
import {
  DHCPD_CONF_FILE, DHCPD_DEFAULT_LEASE_S, DHCPD_MAX_LEASE_S, parseDhcpdConf, type DhcpdConfig, type DhcpdHost, type DhcpdParams, type DhcpdSubnet,
} from './dhcpd-conf';
import { leaseDate, logLine, type Service, type ServiceHost, type ServiceInspect } from './index';

export const DHCPD_LEASES_FILE = '/var/db/dhcpd.leases';
/** How long an offered address is held for the client's REQUEST (ISC: about two minutes). */
const OFFER_HOLD_S = 120;
/** Leases one server keeps (its whole table is bounded). */
export const DHCPD_LEASES_MAX = 4096;
const S = 1_000_000_000;

export type LeaseState = 'offered' | 'active' | 'free' | 'abandoned';

export interface DhcpdLease {
  addr: Ipv4Addr;
  mac: MacAddr;
  state: LeaseState;
  startsNs: number;
  endsNs: number;
}

export interface Dhcpd extends Service {
  readonly config: DhcpdConfig;
  readonly leases: Map<number, DhcpdLease>;
}

/** Starts dhcpd on `ifaces` (all interfaces with a subnet declaration when empty); the located errors when it cannot. */
export function startDhcpd(host: ServiceHost, ifaces: string[]): Dhcpd | { errors: string[] } {
  const { stack, files } = host;
  const text = files.read(DHCPD_CONF_FILE);
  if (typeof text !== 'string') return { errors: [`${fileErrorText('dhcpd', text)}`, "Can't open the configuration file: dhcpd exiting."] };
  const { config, errors } = parseDhcpdConf(text);
  if (errors.length > 0) return { errors: [...errors.map((e) => `${DHCPD_CONF_FILE}:${e.line}: ${e.message}`), 'Configuration file errors encountered -- exiting'] };
  const problems: string[] = [];
  const serving = new Set<number>();
  for (const name of ifaces) {
    const i = stack.ifaces.find((x) => x.name === name);
    if (i === undefined) return { errors: [`dhcpd: interface ${name} does not exist`] };
    if (i.addrs.length === 0 || subnetOfAddr(config, i.addrs[0].addr) === null) {
      return { errors: [`No subnet declaration for ${name} (${i.addrs[0] ? formatIpv4(i.addrs[0].addr) : 'no IPv4 addresses'}).`, '** Ignoring requests on ' + name + '.', 'Not configured to listen on any interfaces!'] };
    }
    serving.add(i.index);
  }
  if (ifaces.length === 0) {
    for (const i of stack.ifaces) {
      if (i.loopback || i.addrs.length === 0) continue;
      if (subnetOfAddr(config, i.addrs[0].addr) !== null) serving.add(i.index);
      else problems.push(`No subnet declaration for ${i.name} (${formatIpv4(i.addrs[0].addr)}).`);
    }
  }
  // Requests a relay forwards arrive on whichever interface faces it: those are served too.
  if (serving.size === 0 && config.subnets.length === 0) return { errors: [...problems, 'Not configured to listen on any interfaces!'] };
  const log: string[] = [];
  const leases = new Map<number, DhcpdLease>();
  const d: DhcpdState = { host, config, serving, listenAll: ifaces.length === 0, leases, log, socket: null, dropped: { truncated: 0, 'bad-option': 0, 'not-a-request': 0, bootp: 0, 'bad-hlen': 0 } };
  const sock = udpBind(stack, DHCP_SERVER_PORT, (m) => input(d, m));
  if ('errno' in sock) return { errors: [`dhcpd: Can't bind to dhcp address: Address already in use (UDP ${DHCP_SERVER_PORT})`] };
  d.socket = sock;
  for (const p of problems) logLine(log, p);
  const listening = [...serving].map((k) => stack.ifaces[k].name);
  logLine(log, `Listening on BPF/${listening.join(', ') || '(relayed requests only)'}`);
  writeLeases(d);
  return {
    key: 'dhcpd',
    config,
    leases,
    log,
    stop: () => {
      d.socket?.close();
      d.socket = null;
    },
    status: () => [
      `listening on ${listening.join(' ') || '(relayed requests only)'}`,
      `${[...leases.values()].filter((l) => l.state === 'active').length} active leases`,
      `ignored: ${Object.entries(d.dropped).map(([k, n]) => `${n} ${k}`).join(', ')}`,
    ],
    inspect: () => inspectDhcpd(d),
  };
}

interface DhcpdState {
  host: ServiceHost;
  config: DhcpdConfig;
  serving: Set<number>;
  listenAll: boolean;
  leases: Map<number, DhcpdLease>;
  log: string[];
  socket: UdpSocket | null;
  /** Datagrams on port 67 it could not use, by reason. */
  dropped: Record<'truncated' | 'bad-option' | 'not-a-request' | 'bootp' | 'bad-hlen', number>;
}

function subnetOfAddr(cfg: DhcpdConfig, a: Ipv4Addr): DhcpdSubnet | null {
  return cfg.subnets.find((s) => ((a & s.mask) >>> 0) === s.net) ?? null;
}

function nowNs(d: DhcpdState): number {
  return d.host.stack.env.sim.now();
}

/** The subnet a request belongs to: giaddr's when relayed, ciaddr's when renewing, else the receiving interface's (RFC 2131 §4.3.1). */
function requestSubnet(d: DhcpdState, m: DhcpRepr, ifIndex: number): DhcpdSubnet | null {
  if (m.giaddr !== 0) return subnetOfAddr(d.config, m.giaddr);
  if (m.ciaddr !== 0) return subnetOfAddr(d.config, m.ciaddr);
  const iface = d.host.stack.ifaces[ifIndex];
  for (const a of iface?.addrs ?? []) {
    const s = subnetOfAddr(d.config, a.addr);
    if (s !== null) return s;
  }
  return null;
}

function hostFor(d: DhcpdState, mac: MacAddr): DhcpdHost | null {
  return d.config.hosts.find((h) => h.mac === mac) ?? null;
}

function input(d: DhcpdState, u: UdpDelivery): void {
  if (!d.listenAll && !d.serving.has(u.ifIndex) && !isRelayed(u)) return;
  const m = parseDhcp(u.payload, 0, u.payload.length);
  if (typeof m === 'string' || m.op !== BOOTP_OP.REQUEST || m.options === null || m.hlen !== 6) {
    // Counted by reason, as dhcpd logs what it cannot use; never thrown.
    d.dropped[typeof m === 'string' ? m : m.op !== BOOTP_OP.REQUEST ? 'not-a-request' : m.options === null ? 'bootp' : 'bad-hlen']++;
    return;
  }
  const p = dhcpParams(m);
  const mac = macOfChaddr(m.chaddr);
  const via = m.giaddr !== 0 ? ` via ${formatIpv4(m.giaddr)}` : ` via ${d.host.stack.ifaces[u.ifIndex]?.name ?? '?'}`;
  expire(d);
  const subnet = requestSubnet(d, m, u.ifIndex);
  switch (p.messageType) {
    case DHCP_TYPE.DISCOVER: {
      logLine(d.log, `DHCPDISCOVER from ${formatMac(mac)}${via}`);
      if (subnet === null) return logLine(d.log, `DHCPDISCOVER from ${formatMac(mac)}${via}: unknown network segment`);
      const addr = chooseAddress(d, subnet, mac, p.requestedIp);
      if (addr === null) return logLine(d.log, `DHCPDISCOVER from ${formatMac(mac)}${via}: network ${formatIpv4(subnet.net)}: no free leases`);
      hold(d, addr, mac, 'offered', OFFER_HOLD_S);
      reply(d, u, m, DHCP_TYPE.OFFER, addr, subnet, leaseTime(d, subnet, mac, null));
      return;
    }
    case DHCP_TYPE.REQUEST:
      return request(d, u, m, mac, subnet, via);
    case DHCP_TYPE.RELEASE: {
      const l = d.leases.get(m.ciaddr);
      logLine(d.log, `DHCPRELEASE of ${formatIpv4(m.ciaddr)} from ${formatMac(mac)}${via} (${l && l.mac === mac ? 'found' : 'not found'})`);
      if (l && l.mac === mac) {
        l.state = 'free';
        l.endsNs = nowNs(d);
        writeLeases(d);
      }
      return;
    }
    case DHCP_TYPE.DECLINE: {
      const a = p.requestedIp ?? 0;
      logLine(d.log, `DHCPDECLINE of ${formatIpv4(a)} from ${formatMac(mac)}${via}: abandoned`);
      const l = d.leases.get(a);
      if (l) {
        l.state = 'abandoned';
        writeLeases(d);
      }
      return;
    }
    case DHCP_TYPE.INFORM:
      logLine(d.log, `DHCPINFORM from ${formatIpv4(m.ciaddr)}${via}`);
      if (subnet !== null) reply(d, u, m, DHCP_TYPE.ACK, 0, subnet, null);
      return;
    default:
      return;
  }
}

function isRelayed(u: UdpDelivery): boolean {
  return u.srcPort === DHCP_SERVER_PORT && u.dst !== IPV4_BROADCAST;
}

/** RFC 2131 §4.3.2: SELECTING (server id), INIT-REBOOT (requested IP, no ciaddr), RENEWING/REBINDING (ciaddr). */
function request(d: DhcpdState, u: UdpDelivery, m: DhcpRepr, mac: MacAddr, subnet: DhcpdSubnet | null, via: string): void {
  const p = dhcpParams(m);
  const addr = m.ciaddr !== 0 ? m.ciaddr : (p.requestedIp ?? 0);
  logLine(d.log, `DHCPREQUEST for ${formatIpv4(addr)}${p.serverId !== null ? ` (${formatIpv4(p.serverId)})` : ''} from ${formatMac(mac)}${via}`);
  if (p.serverId !== null && !ourAddress(d, p.serverId)) {
    // The client chose another server's offer: ours is free again.
    const l = d.leases.get(addr);
    if (l && l.mac === mac && l.state === 'offered') d.leases.delete(addr);
    return;
  }
  const nak = (why: string): void => {
    logLine(d.log, `DHCPNAK on ${formatIpv4(addr)} to ${formatMac(mac)}${via} (${why})`);
    reply(d, u, m, DHCP_TYPE.NAK, 0, subnet, null, why);
  };
  if (subnet === null || ((addr & subnet.mask) >>> 0) !== subnet.net) {
    // Only an authoritative server (or the one the client selected) tells a client it is on the wrong network.
    if (d.config.authoritative || p.serverId !== null) nak('wrong network');
    return;
  }
  const l = d.leases.get(addr);
  const fixed = hostFor(d, mac)?.fixed ?? null;
  const mine = (l !== undefined && l.mac === mac && l.state !== 'abandoned') || fixed === addr;
  const free = l === undefined || l.state === 'free';
  if (!mine && !(free && inRange(subnet, addr) && p.serverId === null && m.ciaddr === 0 && d.config.authoritative)) {
    if (d.config.authoritative || p.serverId !== null || (l !== undefined && l.mac !== mac)) nak(l && l.mac !== mac ? 'lease owned by another client' : 'lease not found');
    return;
  }
  const leaseS = leaseTime(d, subnet, mac, p.leaseTimeS);
  if (fixed !== addr) hold(d, addr, mac, 'active', leaseS);
  reply(d, u, m, DHCP_TYPE.ACK, addr, subnet, leaseS);
}

function ourAddress(d: DhcpdState, a: Ipv4Addr): boolean {
  return d.host.stack.ifaces.some((i) => i.addrs.some((x) => x.addr === a));
}

function inRange(s: DhcpdSubnet, a: Ipv4Addr): boolean {
  return s.ranges.some((r) => a >= r.first && a <= r.last);
}

/** A fixed address, then the client's current lease, then the requested address, then the first free one. */
function chooseAddress(d: DhcpdState, s: DhcpdSubnet, mac: MacAddr, requested: Ipv4Addr | null): Ipv4Addr | null {
  const fixed = hostFor(d, mac)?.fixed ?? null;
  if (fixed !== null && ((fixed & s.mask) >>> 0) === s.net) return fixed;
  for (const l of d.leases.values()) if (l.mac === mac && l.state !== 'abandoned' && inRange(s, l.addr)) return l.addr;
  const usable = (a: number): boolean => {
    const l = d.leases.get(a);
    return (l === undefined || l.state === 'free') && !d.config.hosts.some((h) => h.fixed === a) && !ourAddress(d, a);
  };
  if (requested !== null && inRange(s, requested) && usable(requested)) return requested;
  if (d.leases.size >= DHCPD_LEASES_MAX) return null;
  for (const r of s.ranges) for (let a = r.first; a <= r.last; a++) if (usable(a >>> 0)) return a >>> 0;
  return null;
}

function hold(d: DhcpdState, addr: Ipv4Addr, mac: MacAddr, state: LeaseState, seconds: number): void {
  const now = nowNs(d);
  const old = d.leases.get(addr);
  d.leases.set(addr, { addr, mac, state, startsNs: state === 'active' || old === undefined ? now : old.startsNs, endsNs: now + seconds * S });
  if (state === 'active') writeLeases(d);
}

/** Offers and leases past their end become free (dhcpd's lease expiry). */
function expire(d: DhcpdState): void {
  const now = nowNs(d);
  let changed = false;
  for (const [a, l] of d.leases) {
    if (l.endsNs > now || l.state === 'free' || l.state === 'abandoned') continue;
    if (l.state === 'offered') d.leases.delete(a);
    else l.state = 'free';
    changed = true;
  }
  if (changed) writeLeases(d);
}

function pick<K extends keyof DhcpdParams>(d: DhcpdState, s: DhcpdSubnet | null, mac: MacAddr, k: K): DhcpdParams[K] {
  return hostFor(d, mac)?.params[k] ?? s?.params[k] ?? d.config.global[k];
}

/** The client's asked lease time within max-lease-time, else default-lease-time. */
function leaseTime(d: DhcpdState, s: DhcpdSubnet, mac: MacAddr, asked: number | null): number {
  const max = pick(d, s, mac, 'maxLeaseS') ?? DHCPD_MAX_LEASE_S;
  const def = Math.min(pick(d, s, mac, 'defaultLeaseS') ?? DHCPD_DEFAULT_LEASE_S, max);
  return asked !== null && asked > 0 ? Math.min(asked, max) : def;
}

function reply(d: DhcpdState, u: UdpDelivery, m: DhcpRepr, type: number, yiaddr: Ipv4Addr, s: DhcpdSubnet | null, leaseS: number | null, message?: string): void {
  const stack = d.host.stack;
  const iface = stack.ifaces[u.ifIndex];
  const serverId = iface?.addrs[0]?.addr ?? 0;
  const mac = macOfChaddr(m.chaddr);
  const options: DhcpOption[] = [optU8(DHCP_OPT.MESSAGE_TYPE, type), optU32(DHCP_OPT.SERVER_ID, serverId)];
  if (type !== DHCP_TYPE.NAK && s !== null) {
    if (leaseS !== null) options.push(optU32(DHCP_OPT.LEASE_TIME, leaseS));
    options.push(optU32(DHCP_OPT.SUBNET_MASK, pick(d, s, mac, 'subnetMask') ?? s.mask));
    const bcast = pick(d, s, mac, 'broadcast');
    if (bcast !== undefined) options.push(optU32(DHCP_OPT.BROADCAST, bcast));
    const routers = pick(d, s, mac, 'routers');
    if (routers) options.push(optAddrs(DHCP_OPT.ROUTER, routers));
    const dns = pick(d, s, mac, 'dnsServers');
    if (dns) options.push(optAddrs(DHCP_OPT.DNS_SERVERS, dns));
    const domain = pick(d, s, mac, 'domainName');
    if (domain !== undefined) options.push(optText(DHCP_OPT.DOMAIN_NAME, domain));
  }
  if (message !== undefined) options.push(optText(DHCP_OPT.MESSAGE, message));
  const out: DhcpRepr = { ...m, op: BOOTP_OP.REPLY, hops: 0, secs: 0, ciaddr: type === DHCP_TYPE.NAK ? 0 : m.ciaddr, yiaddr, siaddr: 0, sname: '', file: '', options };
  const payload = buildDhcp(out);
  if (type !== DHCP_TYPE.NAK || m.giaddr !== 0) {
    if (yiaddr !== 0) logLine(d.log, `${dhcpTypeTag(type)} on ${formatIpv4(yiaddr)} to ${formatMac(mac)}${m.giaddr !== 0 ? ` via ${formatIpv4(m.giaddr)}` : ` via ${iface?.name ?? '?'}`}`);
  }
  // RFC 2131 §4.1: to the relay when relayed; to ciaddr when the client has one; a NAK or
  // a reply asking for it by broadcast; else unicast to chaddr and yiaddr on the client's link.
  if (m.giaddr !== 0) udpSend(stack, { dst: m.giaddr, dstPort: DHCP_SERVER_PORT, srcPort: DHCP_SERVER_PORT, payload });
  else if (m.ciaddr !== 0 && type !== DHCP_TYPE.NAK) udpSend(stack, { dst: m.ciaddr, dstPort: DHCP_CLIENT_PORT, srcPort: DHCP_SERVER_PORT, payload });
  else linkReply(stack, u.ifIndex, serverId, out, payload);
}

/** A reply on the client's own link: broadcast when it asked for it (or for a NAK), else to its MAC and offered address. */
export function linkReply(stack: NetStack, ifIndex: number, src: Ipv4Addr, m: DhcpRepr, payload: Uint8Array): void {
  const broadcast = (m.flags & DHCP_FLAG_BROADCAST) !== 0 || m.yiaddr === 0;
  const dstMac = broadcast ? undefined : macOfChaddr(m.chaddr);
  bpfSendUdp(stack, { ifIndex, dstMac, src, dst: broadcast ? IPV4_BROADCAST : m.yiaddr, srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT, ttl: 64, payload });
}

// ---- lease file and Inspect -------------------------------------------------------------

function leaseBlocks(d: DhcpdState): string {
  let out = '# The format of this file is documented in the dhcpd.leases(5) manual page.\n# This lease file was written by isc-dhcp-4.4 (VirtNet)\n\n';
  const sorted = [...d.leases.values()].filter((l) => l.state !== 'offered').sort((a, b) => a.addr - b.addr);
  for (const l of sorted) {
    out += `lease ${formatIpv4(l.addr)} {\n  starts ${leaseDate(l.startsNs)};\n  ends ${leaseDate(l.endsNs)};\n  binding state ${l.state};\n  hardware ethernet ${formatMac(l.mac)};\n}\n`;
  }
  return out;
}

function writeLeases(d: DhcpdState): void {
  const err = d.host.files.write(DHCPD_LEASES_FILE, leaseBlocks(d));
  if (err !== null) logLine(d.log, fileErrorText('dhcpd', err));
}

function inspectDhcpd(d: DhcpdState): ServiceInspect {
  expire(d);
  const now = nowNs(d);
  const rows = [...d.leases.values()]
    .sort((a, b) => a.addr - b.addr)
    .map((l) => [formatIpv4(l.addr), formatMac(l.mac), l.state, l.state === 'active' || l.state === 'offered' ? `${Math.max(0, Math.round((l.endsNs - now) / S))} s` : '—']);
  for (const h of d.config.hosts) if (h.fixed !== null) rows.push([formatIpv4(h.fixed), formatMac(h.mac ?? 0), `fixed (host ${h.name})`, '—']);
  return { kind: 'dhcpd', title: 'dhcpd leases', columns: ['Address', 'MAC', 'State', 'Expires in'], rows };
}
