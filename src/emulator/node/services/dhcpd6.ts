// dhcpd -6: an ISC-style DHCPv6 server on one node. Reads dhcpd6.conf from the node's files,
// joins All_DHCP_Relay_Agents_and_Servers on the interfaces it serves, answers Solicit
// (Advertise), Request / Renew / Rebind / Confirm / Information-request (Reply), Release
// and Decline, keeps IA_NA bindings with preferred and valid lifetimes in virtual time and
// writes them to the lease file in dhcpd.leases(5)'s DHCPv6 form. Rapid commit is not
// offered (ISC needs `option dhcp6.rapid-commit`, which is not supported here). Uses only
// the UDP6 socket API and the node's files. RFC 8415 §18.3 (server behaviour), §21.

import { in6Addrs, in6JoinGroup, in6LeaveGroup, in6Usable } from '../../stack/in6';
import { udp6Bind, udp6Send, udp6Unbind } from '../../stack/udp6';
import type { Udp6Delivery } from '../../stack/inet6-types';
import { formatMac, type MacAddr } from '../../wire/addr';
import {
  buildDhcp6, DHCP6_ALL_AGENTS, DHCP6_CLIENT_PORT, DHCP6_OPT, DHCP6_SERVER_PORT, DHCP6_STATUS, DHCP6_TYPE, dhcp6Option, dhcp6TypeName, duidLlt, duidMac, formatDuid,
  optAddrs6, optIaNa, optStatus, parseDhcp6, readIaNa, type Dhcp6IaNa, type Dhcp6Option, type Dhcp6Repr,
} from '../../wire/dhcp6';
import { formatIpv6, ipv6Equal, ipv6Key, ipv6PrefixMatch, type Ipv6Addr } from '../../wire/ipv6-addr';
import { fileErrorText } from '../files';
import { DHCPD6_CONF_FILE, dhcpd6Lifetimes, ipv6Add, ipv6Diff, parseDhcpd6Conf, type Dhcpd6Config, type Dhcpd6Host, type Dhcpd6Params, type Dhcpd6Subnet } from './dhcpd6-conf';
import { leaseDate, logLine, type Service, type ServiceHost, type ServiceInspect } from './index';

const S = 1_000_000_000;
/** Bindings one server keeps. */
export const DHCPD6_LEASES_MAX = 4096;
/** How long an advertised address is held for the client's Request. */
const ADVERTISE_HOLD_S = 120;

export type Lease6State = 'advertised' | 'active' | 'released' | 'expired' | 'abandoned';

export interface Dhcpd6Lease {
  addr: Ipv6Addr;
  duid: Uint8Array;
  iaid: number;
  mac: MacAddr | null;
  state: Lease6State;
  startsNs: number;
  preferredS: number;
  validS: number;
  endsNs: number;
}

export interface Dhcpd6 extends Service {
  readonly config: Dhcpd6Config;
  readonly leases: Map<string, Dhcpd6Lease>;
  readonly serverDuid: Uint8Array;
}

interface State {
  host: ServiceHost;
  config: Dhcpd6Config;
  serving: Set<number>;
  leases: Map<string, Dhcpd6Lease>;
  duid: Uint8Array;
  log: string[];
  dropped: number;
}

function nowNs(d: State): number {
  return d.host.stack.env.sim.now();
}

function subnetOfIface(d: State, ifIndex: number): Dhcpd6Subnet | null {
  for (const a of in6Addrs(d.host.stack, ifIndex)) {
    if (a.linkLocal) continue;
    const s = d.config.subnets.find((x) => ipv6PrefixMatch(a.addr, x.prefix, x.prefixLen));
    if (s !== undefined) return s;
  }
  return null;
}

/** Starts dhcpd -6 on `ifaces` (every interface with a subnet6 when empty); the located errors when it cannot. */
export function startDhcpd6(host: ServiceHost, ifaces: string[]): Dhcpd6 | { errors: string[] } {
  const { stack, files } = host;
  const text = files.read(DHCPD6_CONF_FILE);
  if (typeof text !== 'string') return { errors: [fileErrorText('dhcpd', text), "Can't open the configuration file: dhcpd exiting."] };
  const { config, errors } = parseDhcpd6Conf(text);
  if (errors.length > 0) return { errors: [...errors.map((e) => `${DHCPD6_CONF_FILE}:${e.line}: ${e.message}`), 'Configuration file errors encountered -- exiting'] };
  const macIface = stack.ifaces.find((i) => !i.loopback);
  const d: State = {
    host, config, serving: new Set(), leases: new Map(), log: [], dropped: 0,
    duid: duidLlt(macIface?.mac ?? 0, Math.floor(stack.env.sim.now() / S)),
  };
  const names = ifaces.length > 0 ? ifaces : stack.ifaces.filter((i) => !i.loopback).map((i) => i.name);
  const problems: string[] = [];
  for (const name of names) {
    const i = stack.ifaces.find((x) => x.name === name);
    if (i === undefined) return { errors: [`dhcpd: interface ${name} does not exist`] };
    if (subnetOfIface(d, i.index) !== null) d.serving.add(i.index);
    else problems.push(`No subnet6 declaration for ${name} (${in6Addrs(stack, i.index).filter((a) => !a.linkLocal).map((a) => formatIpv6(a.addr)).join(', ') || 'no global IPv6 addresses'}).`, `** Ignoring requests on ${name}.`);
  }
  if (d.serving.size === 0) return { errors: [...problems, 'Not configured to listen on any interfaces!'] };
  if (udp6Bind(stack, DHCP6_SERVER_PORT, (u) => input(d, u)) < 0) return { errors: [`dhcpd: Can't bind to dhcp address: Address already in use (UDP ${DHCP6_SERVER_PORT})`] };
  for (const k of d.serving) in6JoinGroup(stack, k, DHCP6_ALL_AGENTS);
  logLine(d.log, `Config file: ${DHCPD6_CONF_FILE}`);
  logLine(d.log, `Database file: ${config.leaseFile}`);
  logLine(d.log, 'PID file: /var/run/dhcpd6.pid');
  for (const p of problems) logLine(d.log, p);
  const listening = [...d.serving].map((k) => stack.ifaces[k].name);
  logLine(d.log, `Listening on Socket/${listening.join(',')}`);
  logLine(d.log, `Sending on   Socket/${listening.join(',')}`);
  logLine(d.log, `Server starting service.`);
  writeLeases(d);
  let stopped = false;
  return {
    key: 'dhcpd6',
    config,
    leases: d.leases,
    serverDuid: d.duid,
    log: d.log,
    stop: () => {
      if (stopped) return;
      stopped = true;
      udp6Unbind(stack, DHCP6_SERVER_PORT);
      for (const k of d.serving) in6LeaveGroup(stack, k, DHCP6_ALL_AGENTS);
    },
    status: () => [
      `listening on ${listening.join(' ')}`,
      `${[...d.leases.values()].filter((l) => l.state === 'active').length} active leases`,
      `ignored: ${d.dropped} malformed or misdirected messages`,
    ],
    inspect: () => inspectDhcpd6(d),
  };
}

function hostFor(d: State, mac: MacAddr | null): Dhcpd6Host | null {
  return mac === null ? null : (d.config.hosts.find((h) => h.mac === mac) ?? null);
}

function params(d: State, s: Dhcpd6Subnet, h: Dhcpd6Host | null): Dhcpd6Params {
  return { ...d.config.global, ...s.params, ...(h?.params ?? {}) };
}

function input(d: State, u: Udp6Delivery): void {
  if (!d.serving.has(u.ifIndex)) return;
  const m = parseDhcp6(u.payload, 0, u.payload.length);
  if (typeof m === 'string') {
    d.dropped++;
    return;
  }
  const cid = dhcp6Option(m, DHCP6_OPT.CLIENTID)?.data;
  const sid = dhcp6Option(m, DHCP6_OPT.SERVERID)?.data;
  const from = `${formatIpv6(u.src)} port ${u.srcPort}, transaction ID 0x${m.xid.toString(16).toUpperCase().padStart(6, '0')}`;
  // §16: client messages carry a client id; Solicit, Confirm and Rebind never a server id; Request, Renew, Release and Decline ours.
  const needsSid = m.type === DHCP6_TYPE.REQUEST || m.type === DHCP6_TYPE.RENEW || m.type === DHCP6_TYPE.RELEASE || m.type === DHCP6_TYPE.DECLINE;
  const noSid = m.type === DHCP6_TYPE.SOLICIT || m.type === DHCP6_TYPE.CONFIRM || m.type === DHCP6_TYPE.REBIND;
  if (cid === undefined && m.type !== DHCP6_TYPE.INFORMATION_REQUEST) {
    d.dropped++;
    return logLine(d.log, `${dhcp6TypeName(m.type)} message from ${from}: discarding, no client identifier`);
  }
  if ((needsSid && (sid === undefined || !bytesEqual(sid, d.duid))) || (noSid && sid !== undefined)) {
    d.dropped++;
    return logLine(d.log, `${dhcp6TypeName(m.type)} message from ${from}: discarding, server identifier ${sid === undefined ? 'missing' : 'not ours'}`);
  }
  if (sid !== undefined && !bytesEqual(sid, d.duid)) return;
  logLine(d.log, `${dhcp6TypeName(m.type)} message from ${from}`);
  expire(d);
  const subnet = subnetOfIface(d, u.ifIndex);
  // The interface lost the address that placed it in a subnet6 since dhcpd started.
  if (subnet === null) {
    d.dropped++;
    return logLine(d.log, `${dhcp6TypeName(m.type)} message from ${from}: no subnet6 declaration for ${d.host.stack.ifaces[u.ifIndex]?.name ?? '?'}`);
  }
  const mac = cid === undefined ? null : duidMac(cid);
  const h = hostFor(d, mac);
  const p = params(d, subnet, h);
  const ias = m.options.filter((o) => o.code === DHCP6_OPT.IA_NA).map((o) => readIaNa(o.data));
  if (ias.some((x) => x === null)) {
    d.dropped++;
    return logLine(d.log, `${dhcp6TypeName(m.type)} message from ${from}: discarding, malformed IA_NA`);
  }
  const iaList = ias as Dhcp6IaNa[];
  const client = cid ?? new Uint8Array(0);
  const extra: Dhcp6Option[] = [];
  switch (m.type) {
    case DHCP6_TYPE.SOLICIT:
      return reply(d, u, m, DHCP6_TYPE.ADVERTISE, iaList.map((ia) => assign(d, subnet, h, p, client, mac, ia, 'advertised')), p, extra);
    case DHCP6_TYPE.REQUEST:
      return reply(d, u, m, DHCP6_TYPE.REPLY, iaList.map((ia) => assign(d, subnet, h, p, client, mac, ia, 'active')), p, extra);
    case DHCP6_TYPE.RENEW:
    case DHCP6_TYPE.REBIND:
      return reply(d, u, m, DHCP6_TYPE.REPLY, iaList.map((ia) => extend(d, subnet, h, p, client, mac, ia, m.type === DHCP6_TYPE.REBIND)), p, extra);
    case DHCP6_TYPE.RELEASE:
    case DHCP6_TYPE.DECLINE: {
      const release = m.type === DHCP6_TYPE.RELEASE;
      const out = iaList.map((ia): Dhcp6IaNa => {
        let found = false;
        for (const a of ia.addrs) {
          const l = d.leases.get(ipv6Key(a.addr));
          if (l === undefined || !bytesEqual(l.duid, client) || l.iaid !== ia.iaid) continue;
          found = true;
          l.state = release ? 'released' : 'abandoned';
          l.endsNs = nowNs(d);
          logLine(d.log, `${release ? 'Release' : 'Decline'} NA: address ${formatIpv6(l.addr)} from client with duid ${formatDuid(client)} iaid = ${ia.iaid}`);
        }
        return { iaid: ia.iaid, t1S: 0, t2S: 0, addrs: [], status: found ? null : { code: DHCP6_STATUS.NO_BINDING, message: 'No binding for IA' } };
      });
      writeLeases(d);
      extra.push(optStatus(DHCP6_STATUS.SUCCESS, release ? 'Release completed.' : 'Decline completed.'));
      return reply(d, u, m, DHCP6_TYPE.REPLY, out.filter((x) => x.status !== null), p, extra, true);
    }
    case DHCP6_TYPE.CONFIRM: {
      const onLink = iaList.every((ia) => ia.addrs.every((a) => ipv6PrefixMatch(a.addr, subnet.prefix, subnet.prefixLen)));
      extra.push(onLink ? optStatus(DHCP6_STATUS.SUCCESS, 'All addresses still on link.') : optStatus(DHCP6_STATUS.NOT_ON_LINK, 'Some of the addresses are not on link.'));
      return reply(d, u, m, DHCP6_TYPE.REPLY, [], p, extra, true);
    }
    case DHCP6_TYPE.INFORMATION_REQUEST:
      return reply(d, u, m, DHCP6_TYPE.REPLY, [], p, extra);
    default:
      d.dropped++;
      return;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

function ourAddress(d: State, a: Ipv6Addr): boolean {
  return d.host.stack.ifaces.some((i) => in6Addrs(d.host.stack, i.index).some((x) => ipv6Equal(x.addr, a)));
}

function fixedTaken(d: State, a: Ipv6Addr): boolean {
  return d.config.hosts.some((h) => h.fixed !== null && ipv6Equal(h.fixed, a));
}

/** A fixed address, then the client's binding for this IA, then its hint, then the first free address of a range6. */
function chooseAddress(d: State, s: Dhcpd6Subnet, h: Dhcpd6Host | null, duid: Uint8Array, ia: Dhcp6IaNa): Ipv6Addr | null {
  if (h?.fixed != null && ipv6PrefixMatch(h.fixed, s.prefix, s.prefixLen)) return h.fixed;
  for (const l of d.leases.values()) {
    if (l.iaid === ia.iaid && bytesEqual(l.duid, duid) && (l.state === 'active' || l.state === 'advertised') && ipv6PrefixMatch(l.addr, s.prefix, s.prefixLen)) return l.addr;
  }
  const usable = (a: Ipv6Addr): boolean => {
    const l = d.leases.get(ipv6Key(a));
    const free = l === undefined || l.state === 'released' || l.state === 'expired' || (bytesEqual(l.duid, duid) && l.state !== 'abandoned');
    return free && !fixedTaken(d, a) && !ourAddress(d, a);
  };
  for (const hint of ia.addrs) if (inRange(s, hint.addr) && usable(hint.addr)) return hint.addr;
  if (d.leases.size >= DHCPD6_LEASES_MAX) return null;
  for (const r of s.ranges) {
    for (let k = 0; k < r.count; k++) {
      const a = ipv6Add(r.first, k);
      if (usable(a)) return a;
    }
  }
  return null;
}

function inRange(s: Dhcpd6Subnet, a: Ipv6Addr): boolean {
  return s.ranges.some((r) => {
    const k = ipv6Diff(r.first, a);
    return k >= 0 && k < r.count;
  });
}

function tees(preferredS: number): { t1S: number; t2S: number } {
  // RFC 8415 §21.4: T1 and T2 at 0.5 and 0.8 of the shortest preferred lifetime.
  return { t1S: Math.floor(preferredS / 2), t2S: Math.floor((preferredS * 4) / 5) };
}

function bind(d: State, addr: Ipv6Addr, duid: Uint8Array, iaid: number, mac: MacAddr | null, state: Lease6State, p: Dhcpd6Params, fixed: boolean): Dhcp6IaNa {
  const { validS, preferredS } = dhcpd6Lifetimes(p);
  const now = nowNs(d);
  if (!fixed) {
    const holdS = state === 'advertised' ? ADVERTISE_HOLD_S : validS;
    d.leases.set(ipv6Key(addr), { addr, duid: duid.slice(), iaid, mac, state, startsNs: now, preferredS, validS, endsNs: now + holdS * S });
    if (state === 'active') writeLeases(d);
  }
  const verb = state === 'advertised' ? 'Advertise' : 'Reply';
  logLine(d.log, `${verb} NA: address ${formatIpv6(addr)} to client with duid ${formatDuid(duid)} iaid = ${iaid} valid for ${validS} seconds`);
  return { iaid, ...tees(preferredS), addrs: [{ addr, preferredS, validS, status: null }], status: null };
}

function assign(d: State, s: Dhcpd6Subnet, h: Dhcpd6Host | null, p: Dhcpd6Params, duid: Uint8Array, mac: MacAddr | null, ia: Dhcp6IaNa, state: Lease6State): Dhcp6IaNa {
  const addr = chooseAddress(d, s, h, duid, ia);
  if (addr === null) {
    logLine(d.log, `Unable to pick client address: no addresses available in subnet6 ${formatIpv6(s.prefix)}/${s.prefixLen}`);
    return { iaid: ia.iaid, t1S: 0, t2S: 0, addrs: [], status: { code: DHCP6_STATUS.NO_ADDRS_AVAIL, message: 'No addresses available for this interface.' } };
  }
  return bind(d, addr, duid, ia.iaid, mac, state, p, h?.fixed != null && ipv6Equal(h.fixed, addr));
}

/** Renew / Rebind (§18.3.4, §18.3.5): extend the client's binding; an address not of this link gets zero lifetimes. */
function extend(d: State, s: Dhcpd6Subnet, h: Dhcpd6Host | null, p: Dhcpd6Params, duid: Uint8Array, mac: MacAddr | null, ia: Dhcp6IaNa, rebind: boolean): Dhcp6IaNa {
  const out: Dhcp6IaNa = { iaid: ia.iaid, t1S: 0, t2S: 0, addrs: [], status: null };
  for (const a of ia.addrs) {
    const fixed = h?.fixed != null && ipv6Equal(h.fixed, a.addr);
    const l = d.leases.get(ipv6Key(a.addr));
    const mine = fixed || (l !== undefined && bytesEqual(l.duid, duid) && l.iaid === ia.iaid && l.state === 'active');
    if (mine && ipv6PrefixMatch(a.addr, s.prefix, s.prefixLen)) {
      const b = bind(d, a.addr, duid, ia.iaid, mac, 'active', p, fixed);
      out.addrs.push(...b.addrs);
      out.t1S = b.t1S;
      out.t2S = b.t2S;
    } else if (rebind || !ipv6PrefixMatch(a.addr, s.prefix, s.prefixLen)) out.addrs.push({ addr: a.addr, preferredS: 0, validS: 0, status: null });
  }
  if (out.addrs.length === 0) out.status = { code: DHCP6_STATUS.NO_BINDING, message: 'No binding for IA' };
  return out;
}

function reply(d: State, u: Udp6Delivery, m: Dhcp6Repr, type: number, ias: Dhcp6IaNa[], p: Dhcpd6Params, extra: Dhcp6Option[], noConfig = false): void {
  const options: Dhcp6Option[] = [];
  for (const ia of ias) options.push(optIaNa(ia));
  const cid = dhcp6Option(m, DHCP6_OPT.CLIENTID);
  if (cid !== undefined) options.push(cid);
  options.push({ code: DHCP6_OPT.SERVERID, data: d.duid }, ...extra);
  if (!noConfig) {
    if (p.dnsServers !== undefined) options.push(optAddrs6(DHCP6_OPT.DNS_SERVERS, p.dnsServers));
    if (p.domainSearch !== undefined) options.push({ code: DHCP6_OPT.DOMAIN_LIST, data: encodeNames(p.domainSearch) });
  }
  const src = in6Addrs(d.host.stack, u.ifIndex).find((a) => a.linkLocal && in6Usable(a))?.addr;
  const payload = buildDhcp6({ type, xid: m.xid, options });
  logLine(d.log, `Sending ${dhcp6TypeName(type)} to ${formatIpv6(u.src)} port ${u.srcPort}`);
  udp6Send(d.host.stack, { dst: u.src, dstPort: u.srcPort || DHCP6_CLIENT_PORT, srcPort: DHCP6_SERVER_PORT, payload, zone: u.ifIndex, src });
}

/** Domain names in DNS wire form, one after another (RFC 8415 §10). */
function encodeNames(names: string[]): Uint8Array {
  const bytes: number[] = [];
  for (const n of names) {
    for (const label of n.replace(/\.$/, '').split('.')) {
      if (label === '') continue;
      const l = Array.from(label.slice(0, 63), (ch) => ch.charCodeAt(0) & 0xff);
      bytes.push(l.length, ...l);
    }
    bytes.push(0);
  }
  return Uint8Array.from(bytes);
}

/** Advertised addresses not requested in time are dropped; bindings past their valid lifetime expire. */
function expire(d: State): void {
  const now = nowNs(d);
  let changed = false;
  for (const [k, l] of d.leases) {
    if (l.endsNs > now) continue;
    if (l.state === 'advertised') d.leases.delete(k);
    else if (l.state === 'active') {
      l.state = 'expired';
      changed = true;
    }
  }
  if (changed) writeLeases(d);
}

// ---- lease file and Inspect ---------------------------------------------------------------

/** A binary string as dhcpd.leases(5) quotes it: printable bytes as is, the rest in octal. */
export function octalString(b: Uint8Array): string {
  return Array.from(b, (x) => (x >= 0x20 && x < 0x7f && x !== 0x22 && x !== 0x5c ? String.fromCharCode(x) : `\\${x.toString(8).padStart(3, '0')}`)).join('');
}

function leaseText(d: State): string {
  let out = `# The format of this file is documented in the dhcpd.leases(5) manual page.\n# This lease file was written by isc-dhcp-4.4 (VirtNet)\n\nserver-duid "${octalString(d.duid)}";\n\n`;
  for (const l of d.leases.values()) {
    if (l.state === 'advertised') continue;
    const key = new Uint8Array(4 + l.duid.length);
    key.set([(l.iaid >>> 24) & 255, (l.iaid >>> 16) & 255, (l.iaid >>> 8) & 255, l.iaid & 255]);
    key.set(l.duid, 4);
    out +=
      `ia-na "${octalString(key)}" {\n  cltt ${leaseDate(l.startsNs)};\n  iaaddr ${formatIpv6(l.addr)} {\n    binding state ${l.state};\n` +
      `    preferred-life ${l.preferredS};\n    max-life ${l.validS};\n    ends ${leaseDate(l.endsNs)};\n  }\n}\n\n`;
  }
  return out;
}

function writeLeases(d: State): void {
  const err = d.host.files.write(d.config.leaseFile, leaseText(d));
  if (err !== null) logLine(d.log, fileErrorText('dhcpd', err));
}

function inspectDhcpd6(d: State): ServiceInspect {
  expire(d);
  const now = nowNs(d);
  const rows = [...d.leases.values()].map((l) => [
    formatIpv6(l.addr), l.mac !== null ? formatMac(l.mac) : formatDuid(l.duid), l.state,
    l.state === 'active' || l.state === 'advertised' ? `${Math.max(0, Math.round((l.endsNs - now) / S))} s` : '—',
  ]);
  for (const h of d.config.hosts) if (h.fixed !== null) rows.push([formatIpv6(h.fixed), formatMac(h.mac ?? 0), `fixed (host ${h.name})`, '—']);
  return { kind: 'dhcpd6', title: 'dhcpd -6 leases', columns: ['Address', 'Client (MAC or DUID)', 'State', 'Expires in'], rows };
}
