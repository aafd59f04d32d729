// dhclient IFACE: a DHCP client on one interface, as FreeBSD's dhclient(8) behaves and
// logs: INIT → SELECTING (takes the first offer) → REQUESTING → BOUND (or INIT-REBOOT with a
// saved lease), then RENEWING at T1
// (unicast to the server), REBINDING at T2 (broadcast) and back to INIT when the lease
// expires or a NAK comes. Binding configures the address, the default router and
// /etc/resolv.conf as dhclient-script does. Sends before it has an address go through
// bpf (stack/bpf.ts); it uses only the socket, interface/route APIs and the node's files.
// RFC 2131 §4.4 (client state machine), §4.4.5 (T1 = 0.5, T2 = 0.875 of the lease).

import { bpfSendUdp, bpfUdpListen } from '../../stack/bpf';
import { ifaceAddAddress, ifaceRemoveAddress, ifaceSetUp } from '../../stack/iface';
import { routeAdd, routeDelete, routeList } from '../../stack/route';
import { udpBind, udpSend } from '../../stack/udp';
import type { Iface, UdpDelivery } from '../../stack/types';
import { formatIpv4, IPV4_BROADCAST, maskToPrefixLen, parseIpv4, type Ipv4Addr } from '../../wire/addr';
import {
  BOOTP_OP, buildDhcp, chaddrOfMac, DHCP_CLIENT_PORT, DHCP_FLAG_BROADCAST, DHCP_OPT, DHCP_SERVER_PORT, DHCP_TYPE, dhcpParams, HTYPE_ETHERNET, macOfChaddr, optU32, optU8,
  parseDhcp, type DhcpOption, type DhcpParams, type DhcpRepr,
} from '../../wire/dhcp';
import { fileErrorText } from '../files';
import { leaseDate, logLine, type ClientPort, setClientTimer, settleClient, type NodeServices, type Service, type ServiceHost, type ServiceInspect } from './index';

const S = 1_000_000_000;
/** dhclient.conf(5) defaults of FreeBSD's dhclient. */
export const DHCLIENT_TIMEOUT_S = 60;
const INITIAL_INTERVAL_S = 3;
const BACKOFF_CUTOFF_S = 15;
const RETRY_INTERVAL_S = 300;
const REBOOT_TIMEOUT_S = 10;
/** dhclient's time-to-live on the IP header of its bpf sends (FreeBSD packet.c). */
const DHCLIENT_TTL = 128;
export const RESOLV_CONF_FILE = '/etc/resolv.conf';

export type DhclientState = 'INIT' | 'REBOOTING' | 'SELECTING' | 'REQUESTING' | 'BOUND' | 'RENEWING' | 'REBINDING' | 'STOPPED';

export interface DhclientLease {
  addr: Ipv4Addr;
  mask: Ipv4Addr;
  routers: Ipv4Addr[];
  dnsServers: Ipv4Addr[];
  domainName: string | null;
  serverId: Ipv4Addr;
  leaseS: number;
  boundNs: number;
  t1Ns: number;
  t2Ns: number;
  expiryNs: number;
}

export interface Dhclient extends Service {
  readonly ifaceName: string;
  state(): DhclientState;
  lease(): DhclientLease | null;
  /** Sends DHCPRELEASE, unconfigures the address and stops (`dhclient -r`). */
  release(): void;
}

interface Client {
  host: ServiceHost;
  iface: Iface;
  state: DhclientState;
  xid: number;
  intervalS: number;
  firstSendNs: number;
  timer: number;
  offerServer: Ipv4Addr;
  offerAddr: Ipv4Addr;
  offer: DhcpParams | null;
  lease: DhclientLease | null;
  log: string[];
  /** Where lines go while `dhclient` runs in the foreground (null once it went to the background). */
  say: ((line: string) => void) | null;
  /** Told once the first lease is bound or the client gave up (the foreground command ends). */
  settled: ((bound: boolean) => void) | null;
  rng: { nextInt(n: number): number };
  unlisten: () => void;
}

function clientPort(ns: NodeServices, host: ServiceHost): ClientPort | null {
  if (ns.dhclientPort) return ns.dhclientPort;
  const byIf = new Map<number, (u: UdpDelivery) => void>();
  const sock = udpBind(host.stack, DHCP_CLIENT_PORT, (u) => byIf.get(u.ifIndex)?.(u));
  if ('errno' in sock) return null;
  const port: ClientPort = { byIf, close: () => sock.close() };
  ns.dhclientPort = port;
  return port;
}

/** Starts dhclient on `ifaceName`; `say` prints to the terminal until `settled` is called. */
export function startDhclient(
  host: ServiceHost,
  ns: NodeServices,
  ifaceName: string,
  say: (line: string) => void,
  settled: (bound: boolean) => void,
): Dhclient | { error: string } {
  const iface = host.stack.ifaces.find((i) => i.name === ifaceName);
  if (iface === undefined) return { error: `dhclient: ${ifaceName}: no such interface` };
  if (iface.loopback) return { error: `dhclient: ${ifaceName}: not an Ethernet interface` };
  const port = clientPort(ns, host);
  if (port === null) return { error: 'dhclient: Address already in use: UDP port 68 is taken' };
  const c: Client = {
    host, iface, state: 'INIT', xid: 0, intervalS: 0, firstSendNs: 0, timer: 0, offerServer: 0, offerAddr: 0, offer: null, lease: null,
    log: [], say, settled, rng: host.stack.env.rng(`dhclient:${ifaceName}`),
    unlisten: () => {},
  };
  port.byIf.set(iface.index, (u) => input(c, u));
  // The server's OFFER and ACK come unicast to the offered address, which is not ours yet: read them off the link.
  const unBpf = bpfUdpListen(host.stack, iface.index, DHCP_CLIENT_PORT, (u) => input(c, u));
  c.unlisten = () => {
    unBpf();
    if (port.byIf.get(iface.index) !== undefined) port.byIf.delete(iface.index);
    if (port.byIf.size === 0) {
      port.close();
      ns.dhclientPort = undefined;
    }
  };
  if (!iface.up) ifaceUp(c);
  reboot(c);
  return {
    key: `dhclient.${ifaceName}`,
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

function ifaceUp(c: Client): void {
  ifaceSetUp(c.host.stack, c.iface.name, true);
}

function now(c: Client): number {
  return c.host.stack.env.sim.now();
}

function note(c: Client, line: string): void {
  logLine(c.log, line);
  c.say?.(line);
}



// ---- INIT / SELECTING ------------------------------------------------------------------

function init(c: Client): void {
  c.state = 'SELECTING';
  c.xid = (c.rng.nextInt(0x10000) * 0x10000 + c.rng.nextInt(0x10000)) >>> 0;
  c.intervalS = 0;
  c.firstSendNs = now(c);
  c.offer = null;
  sendDiscover(c);
}

/**
 * INIT-REBOOT (RFC 2131 §3.2): a lease still valid in /var/db/dhclient.leases.IFACE is asked
 * for again first; without an answer within reboot_timeout the client starts over.
 */
function reboot(c: Client): void {
  const saved = savedLease(c);
  if (saved === null) return init(c);
  c.state = 'REBOOTING';
  c.xid = (c.rng.nextInt(0x10000) * 0x10000 + c.rng.nextInt(0x10000)) >>> 0;
  c.intervalS = 0;
  c.firstSendNs = now(c);
  c.offerAddr = saved;
  sendReboot(c);
}

function sendReboot(c: Client): void {
  if (now(c) - c.firstSendNs >= REBOOT_TIMEOUT_S * S) return init(c);
  const interval = nextInterval(c);
  note(c, `DHCPREQUEST on ${c.iface.name} to 255.255.255.255 port ${DHCP_SERVER_PORT}`);
  send(c, message(c, DHCP_TYPE.REQUEST, 0, [optU32(DHCP_OPT.REQUESTED_IP, c.offerAddr)]), IPV4_BROADCAST, 0);
  setClientTimer(c, Math.min(interval * S, c.firstSendNs + REBOOT_TIMEOUT_S * S - now(c)), sendReboot);
}

/** The address of the interface's saved lease when it has not expired yet, else null. */
function savedLease(c: Client): Ipv4Addr | null {
  const text = c.host.files.read(leaseFile(c));
  if (typeof text !== 'string') return null;
  const addr = /^\s*fixed-address (\S+);$/m.exec(text);
  const exp = /^\s*expire \d (\d+)\/(\d+)\/(\d+) (\d+):(\d+):(\d+);$/m.exec(text);
  if (addr === null || exp === null) return null;
  const [, y, mo, d, h, mi, sec] = exp.map(Number);
  const expiryNs = Date.UTC(y, mo - 1, d, h, mi, sec) * 1e6;
  const a = parseIpv4(addr[1]);
  return a !== null && expiryNs > now(c) ? a : null;
}

function leaseFile(c: Client): string {
  return `/var/db/dhclient.leases.${c.iface.name}`;
}

/** FreeBSD dhclient's backoff: interval += random in [0, 2·interval), cut back below backoff_cutoff. */
function nextInterval(c: Client): number {
  if (c.intervalS === 0) c.intervalS = INITIAL_INTERVAL_S;
  else c.intervalS += c.rng.nextInt(2 * c.intervalS);
  if (c.intervalS > BACKOFF_CUTOFF_S) c.intervalS = Math.floor(BACKOFF_CUTOFF_S / 2) + c.rng.nextInt(BACKOFF_CUTOFF_S);
  return c.intervalS;
}

function sendDiscover(c: Client): void {
  if (now(c) - c.firstSendNs >= DHCLIENT_TIMEOUT_S * S) return panic(c);
  const interval = Math.min(nextInterval(c), Math.max(1, Math.ceil((c.firstSendNs + DHCLIENT_TIMEOUT_S * S - now(c)) / S)));
  note(c, `DHCPDISCOVER on ${c.iface.name} to 255.255.255.255 port ${DHCP_SERVER_PORT} interval ${interval}`);
  send(c, message(c, DHCP_TYPE.DISCOVER, 0, []), IPV4_BROADCAST, 0);
  setClientTimer(c, interval * S, sendDiscover);
}

/** No offer within the timeout: dhclient goes to the background and tries again later. */
function panic(c: Client): void {
  note(c, 'No DHCPOFFERS received.');
  note(c, 'No working leases in persistent database - sleeping.');
  c.state = 'INIT';
  settleClient(c, false);
  setClientTimer(c, RETRY_INTERVAL_S * S, init);
}

// ---- messages ----------------------------------------------------------------------------

function message(c: Client, type: number, ciaddr: Ipv4Addr, extra: DhcpOption[]): DhcpRepr {
  const mac = c.iface.mac;
  const clientId = new Uint8Array(7);
  clientId[0] = HTYPE_ETHERNET;
  clientId.set(chaddrOfMac(mac).subarray(0, 6), 1);
  return {
    op: BOOTP_OP.REQUEST, htype: HTYPE_ETHERNET, hlen: 6, hops: 0, xid: c.xid,
    secs: Math.min(0xffff, Math.floor((now(c) - c.firstSendNs) / S)),
    // A forwarding node hands a datagram for an address not its own to routing, not to bpf: it asks for broadcast replies (RFC 2131 §4.1).
    flags: c.host.stack.forwarding && ciaddr === 0 ? DHCP_FLAG_BROADCAST : 0,
    ciaddr, yiaddr: 0, siaddr: 0, giaddr: 0, chaddr: chaddrOfMac(mac), sname: '', file: '',
    options: [
      optU8(DHCP_OPT.MESSAGE_TYPE, type),
      ...extra,
      { code: DHCP_OPT.CLIENT_ID, data: clientId },
      // dhclient.conf's default `request`: subnet-mask, broadcast, time-offset, routers, domain-name, domain-name-servers, host-name.
      { code: DHCP_OPT.PARAM_REQUEST, data: Uint8Array.of(1, 28, 2, 3, 15, 6, 12) },
    ],
  };
}

/** Broadcasts (or, renewing, unicasts through the stack) one message. */
function send(c: Client, m: DhcpRepr, dst: Ipv4Addr, src: Ipv4Addr): void {
  const payload = buildDhcp(m);
  if (dst !== IPV4_BROADCAST) udpSend(c.host.stack, { dst, dstPort: DHCP_SERVER_PORT, srcPort: DHCP_CLIENT_PORT, payload, src });
  else bpfSendUdp(c.host.stack, { ifIndex: c.iface.index, src, dst, srcPort: DHCP_CLIENT_PORT, dstPort: DHCP_SERVER_PORT, ttl: DHCLIENT_TTL, payload });
}

function input(c: Client, u: UdpDelivery): void {
  const m = parseDhcp(u.payload, 0, u.payload.length);
  if (typeof m === 'string' || m.op !== BOOTP_OP.REPLY || m.xid !== c.xid || m.options === null || macOfChaddr(m.chaddr) !== c.iface.mac) return;
  const p = dhcpParams(m);
  const from = formatIpv4(u.src);
  if (p.messageType === DHCP_TYPE.OFFER && c.state === 'SELECTING') {
    if (m.yiaddr === 0 || p.serverId === null) return;
    note(c, `DHCPOFFER from ${from}`);
    // select-timeout 0: the first offer is taken (RFC 2131 §4.4.1 leaves the choice to the client).
    c.offer = p;
    c.offerAddr = m.yiaddr;
    c.offerServer = p.serverId;
    c.state = 'REQUESTING';
    c.intervalS = 0;
    c.firstSendNs = now(c);
    sendRequest(c);
  } else if (p.messageType === DHCP_TYPE.ACK && (c.state === 'REBOOTING' || c.state === 'REQUESTING' || c.state === 'RENEWING' || c.state === 'REBINDING')) {
    if (m.yiaddr === 0) return;
    note(c, `DHCPACK from ${from}`);
    bind(c, m.yiaddr, p);
  } else if (p.messageType === DHCP_TYPE.NAK && (c.state === 'REBOOTING' || c.state === 'REQUESTING' || c.state === 'RENEWING' || c.state === 'REBINDING')) {
    note(c, `DHCPNAK from ${from}`);
    unconfigure(c);
    init(c);
  }
}

/** REQUESTING: broadcast with server id and requested address; RENEWING: unicast with ciaddr; REBINDING: broadcast with ciaddr. */
function sendRequest(c: Client): void {
  const interval = nextInterval(c);
  if (c.state === 'REQUESTING') {
    if (now(c) - c.firstSendNs >= DHCLIENT_TIMEOUT_S * S) return void init(c);
    note(c, `DHCPREQUEST on ${c.iface.name} to 255.255.255.255 port ${DHCP_SERVER_PORT}`);
    send(c, message(c, DHCP_TYPE.REQUEST, 0, [optU32(DHCP_OPT.REQUESTED_IP, c.offerAddr), optU32(DHCP_OPT.SERVER_ID, c.offerServer)]), IPV4_BROADCAST, 0);
    return setClientTimer(c, interval * S, sendRequest);
  }
  const l = c.lease!;
  const dst = c.state === 'RENEWING' ? l.serverId : IPV4_BROADCAST;
  note(c, `DHCPREQUEST on ${c.iface.name} to ${formatIpv4(dst)} port ${DHCP_SERVER_PORT}`);
  send(c, message(c, DHCP_TYPE.REQUEST, l.addr, []), dst, l.addr);
  // Retransmit within the state, never past its end (T2 for RENEWING, expiry for REBINDING).
  const end = c.state === 'RENEWING' ? l.t2Ns : l.expiryNs;
  const nextNs = Math.min(now(c) + interval * S, end);
  setClientTimer(c, nextNs - now(c), c.state === 'RENEWING' && nextNs === end ? rebind : nextNs === l.expiryNs ? expire : sendRequest);
}

// ---- BOUND / RENEWING / REBINDING ----------------------------------------------------------

function bind(c: Client, addr: Ipv4Addr, p: DhcpParams): void {
  const t = now(c);
  const leaseS = p.leaseTimeS ?? c.lease?.leaseS ?? 43200;
  const t1S = p.renewalS !== null && p.renewalS < leaseS ? p.renewalS : Math.floor(leaseS / 2);
  const t2S = p.rebindingS !== null && p.rebindingS < leaseS && p.rebindingS > t1S ? p.rebindingS : Math.floor((leaseS * 7) / 8);
  const old = c.lease;
  const lease: DhclientLease = {
    addr, mask: p.subnetMask ?? old?.mask ?? 0xffffff00, routers: p.routers, dnsServers: p.dnsServers, domainName: p.domainName,
    serverId: p.serverId ?? old?.serverId ?? 0, leaseS, boundNs: t, t1Ns: t + t1S * S, t2Ns: t + t2S * S, expiryNs: t + leaseS * S,
  };
  c.lease = lease;
  c.state = 'BOUND';
  configure(c, old, lease);
  note(c, `bound to ${formatIpv4(addr)} -- renewal in ${t1S} seconds.`);
  settleClient(c, true);
  setClientTimer(c, t1S * S, renew);
}

function renew(c: Client): void {
  c.state = 'RENEWING';
  c.xid = (c.rng.nextInt(0x10000) * 0x10000 + c.rng.nextInt(0x10000)) >>> 0;
  c.intervalS = 0;
  c.firstSendNs = now(c);
  sendRequest(c);
}

function rebind(c: Client): void {
  c.state = 'REBINDING';
  c.intervalS = 0;
  sendRequest(c);
}

function expire(c: Client): void {
  note(c, `${c.iface.name}: lease ${formatIpv4(c.lease?.addr ?? 0)} expired`);
  unconfigure(c);
  init(c);
}

/** dhclient-script BOUND/RENEW: address and mask, default router, resolv.conf, lease file. */
function configure(c: Client, old: DhclientLease | null, l: DhclientLease): void {
  const stack = c.host.stack;
  const prefixLen = maskToPrefixLen(l.mask) ?? 24;
  const has = c.iface.addrs.find((a) => a.addr === l.addr);
  if (old !== null && old.addr !== l.addr) ifaceRemoveAddress(stack, c.iface.name, old.addr);
  if (has === undefined || has.prefixLen !== prefixLen) {
    const r = ifaceAddAddress(stack, c.iface.name, l.addr, prefixLen, { alias: false });
    if (!r.ok) note(c, `ifconfig ${c.iface.name} inet ${formatIpv4(l.addr)}: ${r.message}`);
  }
  if (l.routers.length > 0) {
    const def = routeList(stack).find((r) => r.dest === 0 && r.prefixLen === 0);
    if (def?.gateway !== l.routers[0]) {
      if (def !== undefined) routeDelete(stack, { dest: 0, prefixLen: 0 });
      const r = routeAdd(stack, { dest: 0, prefixLen: 0, gateway: l.routers[0] });
      if (!r.ok) note(c, `route add default ${formatIpv4(l.routers[0])}: ${r.message}`);
    }
  }
  const files = c.host.files;
  if (l.dnsServers.length > 0) {
    const text = `${l.domainName !== null ? `search ${l.domainName}\n` : ''}${l.dnsServers.map((a) => `nameserver ${formatIpv4(a)}\n`).join('')}`;
    const e = files.write(RESOLV_CONF_FILE, text);
    if (e !== null) note(c, fileErrorText('dhclient-script', e));
  }
  const e = files.write(leaseFile(c), leaseFileText(c, l));
  if (e !== null) note(c, fileErrorText('dhclient', e));
}

function unconfigure(c: Client): void {
  const l = c.lease;
  c.lease = null;
  if (l === null) return;
  const stack = c.host.stack;
  if (c.iface.addrs.some((a) => a.addr === l.addr)) ifaceRemoveAddress(stack, c.iface.name, l.addr);
  const def = routeList(stack).find((r) => r.dest === 0 && r.prefixLen === 0);
  if (def !== undefined && l.routers[0] === def.gateway) routeDelete(stack, { dest: 0, prefixLen: 0 });
}

function release(c: Client): void {
  const l = c.lease;
  if (l !== null && c.state !== 'STOPPED') {
    note(c, `DHCPRELEASE on ${c.iface.name} to ${formatIpv4(l.serverId)} port ${DHCP_SERVER_PORT}`);
    send(c, message(c, DHCP_TYPE.RELEASE, l.addr, [optU32(DHCP_OPT.SERVER_ID, l.serverId)]), l.serverId, l.addr);
    unconfigure(c);
    c.host.files.remove(leaseFile(c)); // a released lease is not asked for again
  }
  stop(c);
}

function stop(c: Client): void {
  if (c.state === 'STOPPED') return;
  if (c.timer !== 0) c.host.stack.env.sim.cancel(c.timer);
  c.timer = 0;
  c.state = 'STOPPED';
  c.unlisten();
  settleClient(c, false);
}

// ---- views ---------------------------------------------------------------------------------

function leaseFileText(c: Client, l: DhclientLease): string {
  const opt = (s: string) => `  option ${s};\n`;
  return (
    `lease {\n  interface "${c.iface.name}";\n  fixed-address ${formatIpv4(l.addr)};\n` +
    opt(`subnet-mask ${formatIpv4(l.mask)}`) +
    (l.routers.length ? opt(`routers ${l.routers.map(formatIpv4).join(',')}`) : '') +
    (l.dnsServers.length ? opt(`domain-name-servers ${l.dnsServers.map(formatIpv4).join(',')}`) : '') +
    (l.domainName !== null ? opt(`domain-name "${l.domainName}"`) : '') +
    opt(`dhcp-lease-time ${l.leaseS}`) + opt('dhcp-message-type 5') + opt(`dhcp-server-identifier ${formatIpv4(l.serverId)}`) +
    `  renew ${leaseDate(l.t1Ns)};\n  rebind ${leaseDate(l.t2Ns)};\n  expire ${leaseDate(l.expiryNs)};\n}\n`
  );
}

function statusLines(c: Client): string[] {
  const l = c.lease;
  const out = [`${c.iface.name}: ${c.state}`];
  if (l !== null) out.push(`lease ${formatIpv4(l.addr)} from ${formatIpv4(l.serverId)}, expires in ${Math.max(0, Math.round((l.expiryNs - now(c)) / S))} seconds`);
  return out;
}

function inspectClient(c: Client): ServiceInspect {
  const l = c.lease;
  const left = (ns: number) => `${Math.max(0, Math.round((ns - now(c)) / S))} s`;
  const rows = [['Interface', c.iface.name], ['State', c.state]];
  if (l !== null) {
    rows.push(['Address', `${formatIpv4(l.addr)}/${maskToPrefixLen(l.mask) ?? '?'}`], ['Server', formatIpv4(l.serverId)], ['Routers', l.routers.map(formatIpv4).join(', ') || '—']);
    rows.push(['DNS servers', l.dnsServers.map(formatIpv4).join(', ') || '—'], ['Lease', `${l.leaseS} s`], ['Renewal (T1) in', left(l.t1Ns)], ['Rebinding (T2) in', left(l.t2Ns)], ['Expires in', left(l.expiryNs)]);
  }
  return { kind: 'dhclient', title: `dhclient ${c.iface.name}`, columns: ['Field', 'Value'], rows };
}
