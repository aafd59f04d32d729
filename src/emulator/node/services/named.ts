// named: a BIND 9-like DNS server on one node, over its UDP socket on port 53. Reads
// named.conf and zone files from the node's files, answers authoritatively (AA, NXDOMAIN
// and NODATA with the SOA, referrals with glue), recurses for allowed clients (RA), and
// keeps a cache. Uses only the socket API and the node's files (DESIGN decision 8).
// RFC 1034 §4.3.2 (the name server algorithm), RFC 1035 §4.1, §4.2.1 (512-byte UDP, TC).

import { udpBind, udpSend } from '../../stack/udp';
import { endProc, ownUdp, procList, runDaemonProc, type NodeProcs } from '../procs';
import type { NetStack, UdpDelivery } from '../../stack/types';
import { buildDns, DNS_CLASS_IN, dnsReply, DNS_OPCODE_QUERY, DNS_PORT, DNS_RCODE, DNS_TYPE, DNS_UDP_MAX, parseDns, type DnsMessage, type DnsRecord } from '../../wire/dns';
import { nodeFiles, type NodeFiles } from '../files';
import { DnsCache } from './dns-cache';
import { addressesIn, zoneLookup } from './dns-zone';
import { NAMED_CONF_FILE, parseNamedConf } from './named-conf';
import { matches } from './named-acl';
import { recurse } from './named-resolve';
import { RECURSIVE_CLIENTS_MAX, type NamedServer } from './named-types';
import { findZone, loadZones } from './named-zones';
import { DNS_TYPE_AXFR, namedTcpStart, namedTcpStop } from './named-tcp';
import { startTransfers, stopTransfers } from './named-xfer';

export { NAMED_CONF_FILE } from './named-conf';
export type { NamedServer } from './named-types';

/** What startNamed needs of a node: its stack, its files, and a place to keep the server. */
export interface NamedHost {
  stack: NetStack | null;
  files?: NodeFiles;
  named?: NamedServer;
  procs?: NodeProcs;
}

/**
 * Starts named on `node` from `confPath` (default /usr/local/etc/namedb/named.conf). Returns
 * every problem as a located line (`/usr/local/etc/namedb/named.conf:12: …`); named runs
 * (node.named set) unless the configuration file is missing or port 53 is taken.
 */
export function startNamed(node: NamedHost, confPath: string = NAMED_CONF_FILE): string[] {
  const stack = node.stack;
  const files = nodeFiles(node);
  if (stack === null) return ['named: this node has no network stack'];
  if (node.named?.running) return ['named: already running (stop it first)'];
  const text = files.read(confPath);
  if (typeof text !== 'string') return [`${confPath}: file not found`, 'loading configuration: file not found', 'exiting (due to fatal error)'];
  const config = parseNamedConf(text);
  const problems = config.problems.map((p) => `${confPath}:${p.line}: ${p.message}`);
  const loaded = loadZones(config, files, confPath);
  problems.push(...loaded.problems);
  const d: NamedServer = {
    stack, confPath, config, zones: loaded.zones, hints: loaded.hints, cache: new DnsCache(), socket: null, running: true,
    inFlight: new Set(), recursions: 0, tcp: null, transfers: [],
    counters: { queries: 0, badQueries: 0, answered: 0, nxdomain: 0, servfail: 0, refused: 0, recursions: 0, upstreamQueries: 0, dropped: 0 },
  };
  const sock = udpBind(stack, DNS_PORT, (m) => namedInput(d, m));
  if ('errno' in sock) return [...problems, `could not listen on UDP socket: port 53 in use (${sock.errno})`, 'exiting (due to fatal error)'];
  d.socket = sock;
  d.tcp = namedTcpStart(d, namedQuery);
  if (d.tcp === null) problems.push('could not listen on TCP port 53: zone transfers and TCP queries will not be served');
  node.named = d;
  // A program of its node (ps, kill, killall); its TCP listener is its own (sockstat).
  const proc = runDaemonProc(node, 'named', 'named', stack.env.sim.now(), () => stopNamed(node));
  if (proc !== null) {
    ownUdp(node, 4, DNS_PORT, proc);
    if (d.tcp !== null) d.tcp.listener.owner = { proc, fd: proc.nextFd++ };
  }
  startTransfers(d, loaded.pending);
  return problems;
}

/**
 * `rndc reload`: named.conf and the zones are read again while the sockets and the cache
 * stay; secondaries transfer again. Problems are located as at start; without a readable
 * named.conf the running configuration is kept and `ok` is false.
 */
export function reloadNamed(node: NamedHost): { ok: boolean; problems: string[] } {
  const d = node.named;
  if (!d?.running) return { ok: false, problems: [] };
  const files = nodeFiles(node);
  const text = files.read(d.confPath);
  if (typeof text !== 'string') return { ok: false, problems: [`${d.confPath}: file not found`] };
  const config = parseNamedConf(text);
  const problems = config.problems.map((p) => `${d.confPath}:${p.line}: ${p.message}`);
  const loaded = loadZones(config, files, d.confPath);
  problems.push(...loaded.problems);
  stopTransfers(d);
  d.config = config;
  d.zones = loaded.zones;
  d.hints = loaded.hints;
  startTransfers(d, loaded.pending);
  return { ok: true, problems };
}

/** Stops named: socket closed, recursions abandoned, cache dropped. */
export function stopNamed(node: NamedHost): boolean {
  const d = node.named;
  if (!d?.running) return false;
  d.running = false;
  for (const ex of d.inFlight) ex.cancel();
  d.inFlight.clear();
  d.socket?.close();
  d.socket = null;
  if (d.tcp) namedTcpStop(d.tcp);
  d.tcp = null;
  stopTransfers(d);
  d.cache.clear();
  node.named = undefined;
  endProc(node, procList(node).find((p) => p.name === 'named'));
  return true;
}


/** The UDP payload size named advertises and accepts with EDNS0 (BIND 9.18's default). */
const EDNS_UDP_SIZE = 1232;


function namedInput(d: NamedServer, u: UdpDelivery): void {
  if (!d.running) return;
  const q = parseDns(u.payload, 0, u.payload.length);
  if (typeof q === 'string' || q.qr) {
    d.counters.badQueries++;
    return; // RFC 1035 §7.3: garbage and stray responses are dropped
  }
  if (!matches(d.stack, d.config.listenOn, u.dst, true)) return;
  // EDNS0 (RFC 6891 §6.1.1): an OPT in the query gets one back, with our 1232-byte UDP size.
  const edns = q.additional.some((r) => r.type === DNS_TYPE.OPT);
  namedQuery(d, q, u.src, (m) => sendReply(d, u, m, edns));
}

/** Answers one query from `src` (any transport); `send` gets the reply, now or after recursion. */
export function namedQuery(d: NamedServer, q: DnsMessage, src: number, send: (m: DnsMessage) => void): void {
  d.counters.queries++;
  if (q.opcode !== DNS_OPCODE_QUERY) return send(dnsReply(q, DNS_RCODE.NOTIMP));
  if (q.questions.length !== 1 || q.questions[0].class !== DNS_CLASS_IN) return send(dnsReply(q, DNS_RCODE.FORMERR));
  // Zone transfers go over TCP only (RFC 5936 §4.2); named-tcp.ts answers them there.
  if (q.questions[0].type === DNS_TYPE_AXFR) return send(dnsReply(q, DNS_RCODE.FORMERR));
  if (!matches(d.stack, d.config.allowQuery, src, true)) return send(dnsReply(q, DNS_RCODE.REFUSED));
  const { name, type } = q.questions[0];
  const canRecurse = d.config.recursion && matches(d.stack, d.config.allowRecursion ?? d.config.allowQuery, src, true);
  const own = findZone(d, name);
  if (own) {
    const r = zoneLookup(own.zone, name, type);
    const chainOut = r.kind === 'answer' && r.answers.length > 0 && r.answers.every((a) => a.type === DNS_TYPE.CNAME) && type !== DNS_TYPE.CNAME;
    if (!(q.rd && canRecurse && (r.kind === 'referral' || chainOut))) {
      const m = dnsReply(q, r.kind === 'nxdomain' ? DNS_RCODE.NXDOMAIN : DNS_RCODE.NOERROR);
      m.ra = canRecurse;
      m.aa = r.kind !== 'referral';
      m.answers = r.answers;
      if (r.kind === 'referral') {
        m.authority = r.ns;
        m.additional = r.glue;
      } else if (r.kind !== 'answer') m.authority = r.soa ? [r.soa] : [];
      else if (!q.rd && !r.answers.some((a) => a.type === DNS_TYPE.NS && a.name.toLowerCase() === own.zone.key)) {
        // BIND's default `minimal-responses no-auth-recursive`: the zone's NS only for
        // non-recursive queries, and not twice when the answer is that NS set.
        m.authority = own.zone.nodes.get(own.zone.key)?.get(DNS_TYPE.NS) ?? [];
        m.additional = m.authority.flatMap((ns) => addressesIn(own.zone, (ns.data as { name: string }).name));
      }
      if (r.kind === 'answer') m.additional.push(...additionalFor(d, r.answers, m.additional));
      return send(m);
    }
  }
  if (!q.rd || !canRecurse) return send(dnsReply(q, DNS_RCODE.REFUSED));
  if (d.recursions >= RECURSIVE_CLIENTS_MAX) {
    d.counters.dropped++;
    return; // BIND drops past recursive-clients
  }
  d.recursions++;
  d.counters.recursions++;
  recurse(d, name, type, (r) => {
    d.recursions--;
    const m = dnsReply(q, r.rcode);
    m.ra = true;
    m.answers = r.answers;
    m.authority = r.authority;
    send(m);
  });
}

/** A and AAAA of MX exchanges and NS targets from our own zones (RFC 1035 §3.3.9, §6.3.2). */
function additionalFor(d: NamedServer, answers: DnsRecord[], have: DnsRecord[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const a of answers) {
    const target = a.data.type === DNS_TYPE.MX && 'exchange' in a.data ? a.data.exchange : a.data.type === DNS_TYPE.NS && 'name' in a.data ? a.data.name : null;
    if (target === null) continue;
    const z = findZone(d, target);
    for (const r of z ? addressesIn(z.zone, target) : []) if (!have.includes(r) && !out.includes(r)) out.push(r);
  }
  return out;
}

/** Sends the reply; over 512 bytes, additional records go first, then TC is set (RFC 1035 §4.2.1). */
function sendReply(d: NamedServer, u: UdpDelivery, m: DnsMessage, edns: boolean): void {
  const opt: DnsRecord[] = edns ? [{ name: '.', type: DNS_TYPE.OPT, class: EDNS_UDP_SIZE, ttl: 0, data: { type: DNS_TYPE.OPT, raw: new Uint8Array(0) } }] : [];
  const max = edns ? EDNS_UDP_SIZE : DNS_UDP_MAX;
  let bytes = buildDns({ ...m, additional: [...m.additional, ...opt] });
  while (bytes.length > max && m.additional.length > 0) {
    m.additional = m.additional.slice(0, -1);
    bytes = buildDns({ ...m, additional: [...m.additional, ...opt] });
  }
  if (bytes.length > max) bytes = buildDns({ ...m, tc: true, answers: [], authority: [], additional: opt });
  if (m.rcode === DNS_RCODE.NXDOMAIN) d.counters.nxdomain++;
  else if (m.rcode === DNS_RCODE.SERVFAIL) d.counters.servfail++;
  else if (m.rcode === DNS_RCODE.REFUSED) d.counters.refused++;
  d.counters.answered++;
  udpSend(d.stack, { dst: u.src, dstPort: u.srcPort, srcPort: DNS_PORT, src: d.stack.local.has(u.dst >>> 0) ? u.dst : undefined, payload: bytes });
}
