// dhclient -6 IFACE: a stateful DHCPv6 client on one interface, as ISC dhclient 4.4 behaves
// and logs (its `-v` trace: PRC/XMT/RCV lines): Solicit (after a random delay up to
// SOL_MAX_DELAY) → collects Advertises until the first retransmission → Request to the best
// server → Reply: bound; then Renew at T1 (with the server id), Rebind at T2 (without) and
// back to Solicit when the valid lifetime ends. Rapid commit is off (ISC's default). The
// address goes on the interface as a /128, as ISC's dhclient-script does (the on-link prefix
// comes from router advertisements). Uses only the UDP6 socket API, ifconfig's address
// calls and the node's files. RFC 8415 §15 (retransmission), §18.2 (client behaviour).

import { in6AddAddress, in6Addrs, in6Enable, in6RemoveAddress, in6Usable } from '../../stack/in6';
import { ifaceSetUp } from '../../stack/iface';
import { udp6Bind, udp6Send, udp6Unbind } from '../../stack/udp6';
import type { Udp6Delivery } from '../../stack/inet6-types';
import type { Iface } from '../../stack/types';
import {
  buildDhcp6, DHCP6_ALL_AGENTS, DHCP6_CLIENT_PORT, DHCP6_OPT, DHCP6_SERVER_PORT, DHCP6_STATUS, DHCP6_TYPE, dhcp6Option, dhcp6Status, dhcp6StatusName, dhcp6TypeName, duidLlt,
  formatDuid, optCodes, optIaNa, optU16, parseDhcp6, readAddrs6, readIaNa, type Dhcp6IaNa, type Dhcp6Option, type Dhcp6Repr,
} from '../../wire/dhcp6';
import { formatIpv6, ipv6Equal, type Ipv6Addr } from '../../wire/ipv6-addr';
import { fileErrorText } from '../files';
import { RESOLV_CONF_FILE } from './dhclient';
import { octalString } from './dhcpd6';
import { logLine, setClientTimer, settleClient, type NodeServices, type Service, type ServiceHost, type ServiceInspect } from './index';

const S = 1_000_000_000;
const MS = 1_000_000;
export const DHCLIENT6_LEASES_FILE = '/var/db/dhclient6.leases';
/** RFC 8415 §7.6 transmission parameters (seconds). */
const SOL_MAX_DELAY_S = 1;
const SOL_TIMEOUT_S = 1;
const SOL_MAX_RT_S = 3600;
const REQ_TIMEOUT_S = 1;
const REQ_MAX_RT_S = 30;
const REQ_MAX_RC = 10;
const REN_TIMEOUT_S = 10;
const REN_MAX_RT_S = 600;
const REB_TIMEOUT_S = 10;
const REB_MAX_RT_S = 600;
const REL_TIMEOUT_S = 1;
/** The foreground command gives up waiting after this long and the client goes on in the background. */
export const DHCLIENT6_FOREGROUND_S = 60;
/** ISC dhclient's IA hints: renew 3600 s, rebind 5400 s; preferred 7200 s, valid 7500 s. */
const HINT_T1_S = 3600;
const HINT_T2_S = 5400;
const HINT_PREFERRED_S = 7200;
const HINT_VALID_S = 7500;
/** How often the first Solicit looks again for a usable link-local address. */
const LINK_LOCAL_WAIT_NS = 100 * MS;
/** Advertises one Solicit round keeps. */
const ADVERTISES_MAX = 16;

export type Dhclient6State = 'SOLICIT' | 'REQUEST' | 'BOUND' | 'RENEW' | 'REBIND' | 'STOPPED';

export interface Dhclient6Lease {
  addr: Ipv6Addr;
  serverId: Uint8Array;
  server: Ipv6Addr;
  dnsServers: Ipv6Addr[];
  preferredS: number;
  validS: number;
  t1S: number;
  t2S: number;
  boundNs: number;
}

export interface Dhclient6 extends Service {
  readonly ifaceName: string;
  state(): Dhclient6State;
  lease(): Dhclient6Lease | null;
  /** Sends Release, removes the address and stops (`dhclient -6 -r`). */
  release(): void;
}

interface Advert {
  serverId: Uint8Array;
  from: Ipv6Addr;
  preference: number;
  ia: Dhcp6IaNa;
}

interface Client {
  host: ServiceHost;
  iface: Iface;
  duid: Uint8Array;
  iaid: number;
  state: Dhclient6State;
  xid: number;
  /** Start of the current exchange (the elapsed-time option counts from it). */
  startNs: number;
  rtNs: number;
  count: number;
  timer: number;
  adverts: Advert[];
  chosen: Advert | null;
  lease: Dhclient6Lease | null;
  log: string[];
  say: ((line: string) => void) | null;
  settled: ((bound: boolean) => void) | null;
  rng: { nextInt(n: number): number };
  unlisten: () => void;
}

function clientPort(ns: NodeServices, host: ServiceHost): NonNullable<NodeServices['dhclient6Port']> | null {
  if (ns.dhclient6Port) return ns.dhclient6Port;
  const byIf = new Map<number, (u: Udp6Delivery) => void>();
  if (udp6Bind(host.stack, DHCP6_CLIENT_PORT, (u) => byIf.get(u.ifIndex)?.(u)) < 0) return null;
  const port = { byIf, close: () => udp6Unbind(host.stack, DHCP6_CLIENT_PORT) };
  ns.dhclient6Port = port;
  return port;
}

/** The node's DUID-LLT: the one saved in the lease file, else a new one from this interface. */
function clientDuid(host: ServiceHost, iface: Iface): Uint8Array {
  const text = host.files.read(DHCLIENT6_LEASES_FILE);
  const m = typeof text === 'string' ? /^default-duid "((?:[^"\\]|\\[0-7]{3}|\\.)*)";$/m.exec(text) : null;
  if (m !== null) {
    const bytes: number[] = [];
    for (let k = 0; k < m[1].length; k++) {
      if (m[1][k] === '\\' && /^[0-7]{3}$/.test(m[1].slice(k + 1, k + 4))) {
        bytes.push(parseInt(m[1].slice(k + 1, k + 4), 8));
        k += 3;
      } else if (m[1][k] === '\\') bytes.push(m[1].charCodeAt(++k));
      else bytes.push(m[1].charCodeAt(k));
    }
    if (bytes.length >= 4) return Uint8Array.from(bytes);
  }
  return duidLlt(iface.mac, Math.floor(host.stack.env.sim.now() / S));
}

/** Starts `dhclient -6` on `ifaceName`; with `verbose`, `say` prints the -v trace until `settled`. */
export function startDhclient6(
  host: ServiceHost,
  ns: NodeServices,
  ifaceName: string,
  verbose: boolean,
  say: (line: string) => void,
  settled: (bound: boolean) => void,
): Dhclient6 | { error: string } {
  const iface = host.stack.ifaces.find((i) => i.name === ifaceName);
  if (iface === undefined) return { error: `${ifaceName}: interface name not found` };
  if (iface.loopback) return { error: `dhclient: ${ifaceName}: not an Ethernet interface` };
  const port = clientPort(ns, host);
  if (port === null) return { error: `Can't bind to dhcp address: Address already in use (UDP ${DHCP6_CLIENT_PORT})` };
  const c: Client = {
    host, iface, duid: clientDuid(host, iface), iaid: iface.mac % 2 ** 32, state: 'SOLICIT', xid: 0, startNs: 0, rtNs: 0, count: 0, timer: 0,
    adverts: [], chosen: null, lease: null, log: [], say: verbose ? say : null, settled, rng: host.stack.env.rng(`dhclient6:${ifaceName}`), unlisten: () => {},
  };
  const handler = (u: Udp6Delivery): void => input(c, u);
  port.byIf.set(iface.index, handler);
  c.unlisten = () => {
    // A later dhclient -6 on the same interface may have taken the slot (after a release): it stays.
    if (port.byIf.get(iface.index) === handler) port.byIf.delete(iface.index);
    if (port.byIf.size === 0) {
      port.close();
      ns.dhclient6Port = undefined;
    }
  };
  if (!iface.up) ifaceSetUp(host.stack, iface.name, true);
  // FreeBSD gives an interface its link-local address when it comes up (auto_linklocal): the client's source.
  in6Enable(host.stack, iface);
  note(c, 'Internet Systems Consortium DHCP Client 4.4.3 (VirtNet)');
  note(c, `Listening on Socket/${iface.name}`);
  note(c, `Sending on   Socket/${iface.name}`);
  note(c, 'PRC: Soliciting for leases (INIT).');
  solicit(c, true);
  // The foreground command ends once bound or after DHCLIENT6_FOREGROUND_S; the client keeps trying in the background.
  host.stack.env.sim.schedule(DHCLIENT6_FOREGROUND_S * S, (x: Client) => settleClient(x, false), c);
  return {
    key: `dhclient6.${ifaceName}`,
    ifaceName,
    log: c.log,
    state: () => c.state,
    lease: () => c.lease,
    stop: () => stop(c),
    release: () => release(c),
    status: () => statusLines(c),
    inspect: () => inspectClient(c),
  };
}

function now(c: Client): number {
  return c.host.stack.env.sim.now();
}

function note(c: Client, line: string): void {
  logLine(c.log, line);
  c.say?.(line);
}



/** RAND in [-0.1, 0.1] of RFC 8415 §15 (strictly positive for the first Solicit). */
function rand(c: Client, positive: boolean): number {
  const r = c.rng.nextInt(1001) / 10000;
  return positive ? r + 0.0001 : r * 2 - 0.1;
}

/** The next retransmission time RT (§15): IRT(1+RAND), then 2·RT(1+RAND), capped at MRT(1+RAND). */
function nextRt(c: Client, irtS: number, mrtS: number, firstPositive: boolean): number {
  if (c.count === 0) c.rtNs = Math.round(irtS * S * (1 + rand(c, firstPositive)));
  else c.rtNs = Math.round(2 * c.rtNs + rand(c, false) * c.rtNs);
  if (mrtS > 0 && c.rtNs > mrtS * S) c.rtNs = Math.round(mrtS * S * (1 + rand(c, false)));
  c.count++;
  return c.rtNs;
}

function newExchange(c: Client, state: Dhclient6State): void {
  c.state = state;
  c.xid = c.rng.nextInt(0x1000000);
  c.startNs = now(c);
  c.count = 0;
  c.rtNs = 0;
}

function linkLocal(c: Client): Ipv6Addr | null {
  return in6Addrs(c.host.stack, c.iface.index).find((a) => a.linkLocal && in6Usable(a))?.addr ?? null;
}

function iaidText(iaid: number): string {
  return [24, 16, 8, 0].map((s) => ((iaid >>> s) & 255).toString(16).padStart(2, '0')).join(':');
}

// ---- messages ------------------------------------------------------------------------------

function send(c: Client, type: number, extra: Dhcp6Option[], ia: Dhcp6IaNa | null, intervalNs: number): void {
  const src = linkLocal(c);
  // Before the link-local address has passed DAD there is no source: the retransmission timer tries again.
  if (src === null) return;
  const elapsedMs = Math.floor((now(c) - c.startNs) / MS);
  const name = dhcp6TypeName(type);
  note(c, `XMT: Forming ${name}, ${elapsedMs} ms elapsed.`);
  if (ia !== null) {
    note(c, `XMT:  X-- IA_NA ${iaidText(ia.iaid)}`);
    if (type === DHCP6_TYPE.SOLICIT) {
      note(c, `XMT:  | X-- Request renew in  +${ia.t1S}`);
      note(c, `XMT:  | X-- Request rebind in +${ia.t2S}`);
    } else {
      note(c, `XMT:  | X-- Requested renew  +${ia.t1S}`);
      note(c, `XMT:  | X-- Requested rebind +${ia.t2S}`);
    }
    for (const a of ia.addrs) {
      note(c, `XMT:  | | X-- IAADDR ${formatIpv6(a.addr)}`);
      note(c, `XMT:  | | | X-- Preferred lifetime +${a.preferredS}`);
      note(c, `XMT:  | | | X-- Max lifetime +${a.validS}`);
    }
    if (type !== DHCP6_TYPE.SOLICIT) note(c, 'XMT:  V IA_NA appended.');
  }
  const options: Dhcp6Option[] = [
    { code: DHCP6_OPT.CLIENTID, data: c.duid },
    ...extra,
    optU16(DHCP6_OPT.ELAPSED_TIME, Math.min(0xffff, Math.floor(elapsedMs / 10))),
    // dhclient.conf's default `request dhcp6.name-servers, dhcp6.domain-search`.
    optCodes(DHCP6_OPT.ORO, [DHCP6_OPT.DNS_SERVERS, DHCP6_OPT.DOMAIN_LIST]),
  ];
  if (ia !== null) options.push(optIaNa(ia));
  const payload = buildDhcp6({ type, xid: c.xid, options });
  note(c, `XMT: ${name} on ${c.iface.name}, interval ${Math.round(intervalNs / MS)}ms.`);
  udp6Send(c.host.stack, { dst: DHCP6_ALL_AGENTS, dstPort: DHCP6_SERVER_PORT, srcPort: DHCP6_CLIENT_PORT, payload, zone: c.iface.index, src, hopLimit: 1 });
}

function hintIa(c: Client, addrs: Ipv6Addr[]): Dhcp6IaNa {
  return { iaid: c.iaid, t1S: HINT_T1_S, t2S: HINT_T2_S, addrs: addrs.map((addr) => ({ addr, preferredS: HINT_PREFERRED_S, validS: HINT_VALID_S, status: null })), status: null };
}

// ---- Solicit / Request ---------------------------------------------------------------------

function solicit(c: Client, first: boolean): void {
  newExchange(c, 'SOLICIT');
  c.adverts = [];
  c.chosen = null;
  // §18.2.1: the first Solicit waits a random time up to SOL_MAX_DELAY.
  const delay = first ? c.rng.nextInt(SOL_MAX_DELAY_S * 1000) * MS : 0;
  setClientTimer(c, delay, firstSolicit);
}

/** The first Solicit waits for the interface's link-local address (DAD) so it has a source (RFC 8415 §13.1). */
function firstSolicit(c: Client): void {
  if (linkLocal(c) === null) return setClientTimer(c, LINK_LOCAL_WAIT_NS, firstSolicit);
  c.startNs = now(c);
  sendSolicit(c);
}

function sendSolicit(c: Client): void {
  // An Advertise arrived during the first RT: the client now picks the best one (§18.2.1).
  if (c.adverts.length > 0) return select(c);
  const rt = nextRt(c, SOL_TIMEOUT_S, SOL_MAX_RT_S, true);
  send(c, DHCP6_TYPE.SOLICIT, [], { ...hintIa(c, []), t1S: HINT_T1_S, t2S: HINT_T2_S }, rt);
  setClientTimer(c, rt, sendSolicit);
}

function select(c: Client): void {
  note(c, 'PRC: Selecting best advertised lease.');
  note(c, 'PRC: Considering best lease.');
  // Highest preference first, then the one that offered addresses (RFC 8415 §18.2.9).
  const best = [...c.adverts].sort((a, b) => b.preference - a.preference || b.ia.addrs.length - a.ia.addrs.length)[0];
  note(c, `PRC:  X-- Initial candidate ${formatDuid(best.serverId)} (s: ${best.ia.addrs.length > 0 ? 10103 : 0}, p: ${best.preference}).`);
  c.chosen = best;
  newExchange(c, 'REQUEST');
  sendRequest(c);
}

function sendRequest(c: Client): void {
  if (c.count >= REQ_MAX_RC) {
    note(c, 'PRC: Request retransmissions exhausted; soliciting again.');
    return solicit(c, false);
  }
  const adv = c.chosen!;
  const rt = nextRt(c, REQ_TIMEOUT_S, REQ_MAX_RT_S, false);
  send(c, DHCP6_TYPE.REQUEST, [{ code: DHCP6_OPT.SERVERID, data: adv.serverId }], hintIa(c, adv.ia.addrs.map((a) => a.addr)), rt);
  setClientTimer(c, rt, sendRequest);
}

function traceIa(c: Client, ia: Dhcp6IaNa): void {
  note(c, `RCV:  X-- IA_NA ${iaidText(ia.iaid)}`);
  note(c, `RCV:  | X-- starts ${Math.floor(now(c) / S)}`);
  note(c, `RCV:  | X-- t1 - renew  +${ia.t1S}`);
  note(c, `RCV:  | X-- t2 - rebind +${ia.t2S}`);
  note(c, 'RCV:  | X-- [Options]');
  for (const a of ia.addrs) {
    note(c, `RCV:  | | X-- IAADDR ${formatIpv6(a.addr)}`);
    note(c, `RCV:  | | | X-- Preferred lifetime ${a.preferredS}.`);
    note(c, `RCV:  | | | X-- Max lifetime ${a.validS}.`);
    if (a.status !== null) note(c, `RCV:  | | | X-- Status code: ${dhcp6StatusName(a.status.code)} ${a.status.message}`);
  }
  if (ia.status !== null) note(c, `RCV:  | X-- Status code: ${dhcp6StatusName(ia.status.code)} ${ia.status.message}`);
}

function input(c: Client, u: Udp6Delivery): void {
  const m = parseDhcp6(u.payload, 0, u.payload.length);
  if (typeof m === 'string' || m.xid !== c.xid || (m.type !== DHCP6_TYPE.ADVERTISE && m.type !== DHCP6_TYPE.REPLY)) return;
  const cid = dhcp6Option(m, DHCP6_OPT.CLIENTID)?.data;
  const sid = dhcp6Option(m, DHCP6_OPT.SERVERID)?.data;
  // §16.3, §16.10: both ids present, and the client id ours.
  if (cid === undefined || sid === undefined || cid.length !== c.duid.length || !cid.every((b, k) => b === c.duid[k])) return;
  const ia = ias(m).find((x) => x.iaid === c.iaid) ?? null;
  if (m.type === DHCP6_TYPE.ADVERTISE && c.state === 'SOLICIT') {
    note(c, `RCV: Advertise message on ${c.iface.name} from ${formatIpv6(u.src)}.`);
    if (ia !== null) traceIa(c, ia);
    note(c, `RCV:  X-- Server ID: ${formatDuid(sid)}`);
    const st = dhcp6Status(m);
    // §18.2.9: an Advertise with NoAddrsAvail (or no address for the IA) is not taken.
    if ((st !== null && st.code !== DHCP6_STATUS.SUCCESS) || ia === null || ia.addrs.length === 0) return note(c, 'RCV:  Advertisement rejected: no addresses offered.');
    const pref = dhcp6Option(m, DHCP6_OPT.PREFERENCE)?.data[0] ?? 0;
    if (c.adverts.length < ADVERTISES_MAX) c.adverts.push({ serverId: sid, from: u.src, preference: pref, ia });
    note(c, 'RCV:  Advertisement recorded.');
    // §18.2.1: preference 255 is taken at once; otherwise the first RT ends the collection.
    if (pref === 255) select(c);
    return;
  }
  if (m.type !== DHCP6_TYPE.REPLY || (c.state !== 'REQUEST' && c.state !== 'RENEW' && c.state !== 'REBIND')) return;
  note(c, `RCV: Reply message on ${c.iface.name} from ${formatIpv6(u.src)}.`);
  if (ia !== null) traceIa(c, ia);
  note(c, `RCV:  X-- Server ID: ${formatDuid(sid)}`);
  const st = dhcp6Status(m);
  if (st !== null && st.code !== DHCP6_STATUS.SUCCESS) {
    note(c, `RCV:  X-- Status code: ${dhcp6StatusName(st.code)} ${st.message}`);
    if (c.state === 'REQUEST') return solicit(c, false);
    return; // a failed Renew or Rebind is retried until T2 / expiry
  }
  if (ia === null || ia.status?.code === DHCP6_STATUS.NO_ADDRS_AVAIL) return c.state === 'REQUEST' ? solicit(c, false) : undefined;
  if (ia.status?.code === DHCP6_STATUS.NO_BINDING) {
    // §18.2.10.1: NoBinding on Renew or Rebind: ask for the address again with a Request.
    if (c.lease !== null) c.chosen = { serverId: sid, from: u.src, preference: 0, ia: hintIa(c, [c.lease.addr]) };
    newExchange(c, 'REQUEST');
    return sendRequest(c);
  }
  const addr = ia.addrs.find((a) => a.validS > 0);
  if (addr === undefined) {
    note(c, `PRC: Address ${c.lease ? formatIpv6(c.lease.addr) : ''} expired by the server.`);
    unconfigure(c);
    return solicit(c, false);
  }
  bind(c, sid, u.src, ia, addr.addr, addr.preferredS, addr.validS, readAddrs6(dhcp6Option(m, DHCP6_OPT.DNS_SERVERS)?.data ?? new Uint8Array(0)));
}

function ias(m: Dhcp6Repr): Dhcp6IaNa[] {
  const out: Dhcp6IaNa[] = [];
  for (const o of m.options) {
    if (o.code !== DHCP6_OPT.IA_NA) continue;
    const ia = readIaNa(o.data);
    if (ia !== null) out.push(ia);
  }
  return out;
}

// ---- BOUND / RENEW / REBIND ------------------------------------------------------------------

function bind(c: Client, serverId: Uint8Array, server: Ipv6Addr, ia: Dhcp6IaNa, addr: Ipv6Addr, preferredS: number, validS: number, dns: Ipv6Addr[]): void {
  // §21.4: T1 and T2 of 0 leave the times to the client (0.5 and 0.8 of the preferred lifetime).
  const t1S = ia.t1S > 0 && ia.t1S <= preferredS ? ia.t1S : Math.floor(preferredS / 2);
  const t2S = ia.t2S > 0 && ia.t2S >= t1S ? ia.t2S : Math.floor((preferredS * 4) / 5);
  const old = c.lease;
  c.lease = { addr, serverId, server, dnsServers: dns, preferredS, validS, t1S, t2S, boundNs: now(c) };
  c.state = 'BOUND';
  if (old !== null && !ipv6Equal(old.addr, addr)) in6RemoveAddress(c.host.stack, c.iface.name, old.addr);
  if (old === null || !ipv6Equal(old.addr, addr)) {
    const r = in6AddAddress(c.host.stack, c.iface.name, addr, 128);
    if (!r.ok) note(c, `ifconfig ${c.iface.name} inet6 ${formatIpv6(addr)}/128 alias: ${r.message}`);
  }
  if (dns.length > 0) {
    const e = c.host.files.write(RESOLV_CONF_FILE, dns.map((a) => `nameserver ${formatIpv6(a)}\n`).join(''));
    if (e !== null) note(c, fileErrorText('dhclient-script', e));
  }
  const e = c.host.files.write(DHCLIENT6_LEASES_FILE, leaseText(c));
  if (e !== null) note(c, fileErrorText('dhclient', e));
  note(c, `PRC: Bound to lease ${formatDuid(serverId)}.`);
  note(c, `PRC: Renewal event scheduled in ${t1S} seconds, to run for ${t2S - t1S} seconds.`);
  note(c, `PRC: Depreference scheduled in ${preferredS} seconds.`);
  note(c, `PRC: Expiration scheduled in ${validS} seconds.`);
  settleClient(c, true);
  setClientTimer(c, t1S * S, renew);
}

function renew(c: Client): void {
  newExchange(c, 'RENEW');
  sendRenew(c);
}

function sendRenew(c: Client): void {
  const l = c.lease!;
  const t2Ns = l.boundNs + l.t2S * S;
  if (now(c) >= t2Ns) return rebind(c);
  const rt = Math.min(nextRt(c, REN_TIMEOUT_S, REN_MAX_RT_S, false), t2Ns - now(c));
  send(c, DHCP6_TYPE.RENEW, [{ code: DHCP6_OPT.SERVERID, data: l.serverId }], hintIa(c, [l.addr]), rt);
  setClientTimer(c, rt, sendRenew);
}

function rebind(c: Client): void {
  newExchange(c, 'REBIND');
  sendRebind(c);
}

function sendRebind(c: Client): void {
  const l = c.lease!;
  const endNs = l.boundNs + l.validS * S;
  if (now(c) >= endNs) {
    note(c, `PRC: Address ${formatIpv6(l.addr)} depreferred.`);
    note(c, `PRC: Address ${formatIpv6(l.addr)} expired.`);
    unconfigure(c);
    return solicit(c, false);
  }
  const rt = Math.min(nextRt(c, REB_TIMEOUT_S, REB_MAX_RT_S, false), endNs - now(c));
  send(c, DHCP6_TYPE.REBIND, [], hintIa(c, [l.addr]), rt);
  setClientTimer(c, rt, sendRebind);
}

function unconfigure(c: Client): void {
  const l = c.lease;
  c.lease = null;
  if (l !== null && in6Addrs(c.host.stack, c.iface.index).some((a) => ipv6Equal(a.addr, l.addr))) in6RemoveAddress(c.host.stack, c.iface.name, l.addr);
}

/** Release (§18.2.7): the address goes at once; the port stays open for the server's Reply (REL_TIMEOUT), as ISC's dhclient -r waits for it. */
function release(c: Client): void {
  const l = c.lease;
  if (l === null || c.state === 'STOPPED') return stop(c);
  newExchange(c, 'BOUND');
  send(c, DHCP6_TYPE.RELEASE, [{ code: DHCP6_OPT.SERVERID, data: l.serverId }], hintIa(c, [l.addr]), REL_TIMEOUT_S * S);
  unconfigure(c);
  stop(c, REL_TIMEOUT_S * S);
}

/** Ends the client; its port closes after `lingerNs` (a Reply still expected). */
function stop(c: Client, lingerNs = 0): void {
  if (c.state === 'STOPPED') return;
  if (c.timer !== 0) c.host.stack.env.sim.cancel(c.timer);
  c.timer = 0;
  c.state = 'STOPPED';
  if (lingerNs > 0) c.host.stack.env.sim.schedule(lingerNs, (x: Client) => x.unlisten(), c);
  else c.unlisten();
  settleClient(c, false);
}

// ---- views -------------------------------------------------------------------------------------

function leaseText(c: Client): string {
  const l = c.lease!;
  const starts = Math.floor(l.boundNs / S);
  return (
    `default-duid "${octalString(c.duid)}";\n` +
    `lease6 {\n  interface "${c.iface.name}";\n  ia-na ${iaidText(c.iaid)} {\n    starts ${starts};\n    renew ${l.t1S};\n    rebind ${l.t2S};\n` +
    `    iaaddr ${formatIpv6(l.addr)} {\n      starts ${starts};\n      preferred-life ${l.preferredS};\n      max-life ${l.validS};\n    }\n  }\n` +
    `  option dhcp6.client-id ${formatDuid(c.duid)};\n  option dhcp6.server-id ${formatDuid(l.serverId)};\n` +
    (l.dnsServers.length > 0 ? `  option dhcp6.name-servers ${l.dnsServers.map(formatIpv6).join(',')};\n` : '') +
    '}\n'
  );
}

function statusLines(c: Client): string[] {
  const l = c.lease;
  const out = [`${c.iface.name}: ${c.state}`];
  if (l !== null) out.push(`lease ${formatIpv6(l.addr)}/128, expires in ${Math.max(0, Math.round((l.boundNs + l.validS * S - now(c)) / S))} seconds`);
  return out;
}

function inspectClient(c: Client): ServiceInspect {
  const l = c.lease;
  const left = (s: number) => `${Math.max(0, Math.round((l!.boundNs + s * S - now(c)) / S))} s`;
  const rows = [['Interface', c.iface.name], ['State', c.state], ['Client DUID', formatDuid(c.duid)], ['IAID', iaidText(c.iaid)]];
  if (l !== null) {
    rows.push(['Address', `${formatIpv6(l.addr)}/128`], ['Server', `${formatIpv6(l.server)} (${formatDuid(l.serverId)})`], ['DNS servers', l.dnsServers.map(formatIpv6).join(', ') || '—']);
    rows.push(['Renew (T1) in', left(l.t1S)], ['Rebind (T2) in', left(l.t2S)], ['Preferred for', left(l.preferredS)], ['Valid for', left(l.validS)]);
  }
  return { kind: 'dhclient6', title: `dhclient -6 ${c.iface.name}`, columns: ['Field', 'Value'], rows };
}
