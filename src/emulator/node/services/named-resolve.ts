// named's recursion: answers from the cache or its own zones, else forwarders (RD set),
// else iterative resolution from the root hints down the referrals (RD clear), caching
// answers, referrals with in-bailiwick glue and negative answers. Bounded in queries,
// depth, CNAME hops and time; SERVFAIL when no server gives an answer.
// RFC 1034 §5.3.3 (the resolver algorithm), RFC 2308 §5, RFC 2181 §5.4.1 (ranking:
// glue only from the zone's own servers).

import { DNS_RCODE, DNS_TYPE, dnsNameKey, dnsQuery, type DnsMessage, type DnsRecord } from '../../wire/dns';
import { dnsExchange, dnsQueryId } from './dns-client';
import { addressesIn, inZone, zoneLookup } from './dns-zone';
import type { NamedServer } from './named-types';
import { CNAME_HOPS_MAX, RECURSION_DEPTH_MAX, RECURSION_QUERIES_MAX, RECURSION_TIMEOUT_NS, UPSTREAM_TIMEOUT_NS } from './named-types';
import { findZone } from './named-zones';

export interface RecursionResult {
  rcode: number;
  answers: DnsRecord[];
  /** The SOA of a negative answer. */
  authority: DnsRecord[];
}

interface Task {
  d: NamedServer;
  qname: string;
  qtype: number;
  chain: DnsRecord[];
  depth: number;
  queries: { left: number };
  deadlineNs: number;
  done: (r: RecursionResult) => void;
  finished: boolean;
  forwardTried: boolean;
}

/** Resolves `qname`/`qtype` for a client; `done` is called once. */
export function recurse(d: NamedServer, qname: string, qtype: number, done: (r: RecursionResult) => void): void {
  const now = d.stack.env.sim.now();
  const t: Task = { d, qname, qtype, chain: [], depth: 0, queries: { left: RECURSION_QUERIES_MAX }, deadlineNs: now + RECURSION_TIMEOUT_NS, done, finished: false, forwardTried: false };
  step(t);
}

function finish(t: Task, rcode: number, authority: DnsRecord[] = [], answers: DnsRecord[] = []): void {
  if (t.finished) return;
  t.finished = true;
  t.done({ rcode, answers: [...t.chain, ...answers], authority });
}

function negTtl(soa: DnsRecord | undefined): number {
  if (!soa || soa.data.type !== DNS_TYPE.SOA || !('minimum' in soa.data)) return 0;
  return Math.min(soa.ttl, soa.data.minimum);
}

/** Follows a CNAME to `target`; false when the chain is too long. */
function follow(t: Task, cname: DnsRecord): boolean {
  t.chain.push(cname);
  if (t.chain.length > CNAME_HOPS_MAX) {
    finish(t, DNS_RCODE.SERVFAIL);
    return false;
  }
  t.qname = (cname.data as { name: string }).name;
  t.forwardTried = false;
  return true;
}

/** One round: cache, own zones, forwarders, then the closest known servers. */
function step(t: Task): void {
  const { d } = t;
  if (t.finished || !d.running) return;
  const now = d.stack.env.sim.now();
  for (let hop = 0; hop <= CNAME_HOPS_MAX; hop++) {
    const hit = d.cache.get(t.qname, t.qtype, now);
    if (hit?.kind === 'rrset') return finish(t, DNS_RCODE.NOERROR, [], hit.records);
    if (hit) return finish(t, hit.kind === 'nxdomain' ? DNS_RCODE.NXDOMAIN : DNS_RCODE.NOERROR, hit.soa ? [hit.soa] : []);
    const cn = t.qtype === DNS_TYPE.CNAME ? null : d.cache.get(t.qname, DNS_TYPE.CNAME, now);
    if (cn?.kind === 'rrset') {
      if (!follow(t, cn.records[0])) return;
      continue;
    }
    break;
  }
  const own = findZone(d, t.qname);
  let seed: { cut: string; servers: number[]; nsNames: string[] } | null = null;
  if (own) {
    const r = zoneLookup(own.zone, t.qname, t.qtype);
    if (r.kind === 'referral') {
      seed = { cut: r.ns[0].name, servers: glueAddrs(r.glue), nsNames: r.ns.map((x) => (x.data as { name: string }).name) };
    } else {
      const last = r.answers[r.answers.length - 1];
      if (r.kind === 'answer' && last?.type === DNS_TYPE.CNAME && t.qtype !== DNS_TYPE.CNAME && r.answers.every((a) => a.type === DNS_TYPE.CNAME)) {
        t.chain.push(...r.answers.slice(0, -1));
        if (follow(t, last)) step(t);
        return;
      }
      if (r.kind === 'answer') return finish(t, DNS_RCODE.NOERROR, [], r.answers);
      return finish(t, r.kind === 'nxdomain' ? DNS_RCODE.NXDOMAIN : DNS_RCODE.NOERROR, r.soa ? [r.soa] : [], r.answers);
    }
  }
  const fwd = forwardersFor(d, t.qname);
  if (!t.forwardTried && fwd.servers.length > 0 && seed === null) {
    t.forwardTried = true;
    return forward(t, fwd.servers, 0, fwd.only);
  }
  const start = seed ?? closestServers(d, t.qname, now);
  if (start === null) return finish(t, DNS_RCODE.SERVFAIL);
  iterate(t, start.cut, start.servers, start.nsNames);
}

function glueAddrs(glue: DnsRecord[]): number[] {
  return glue.flatMap((g) => (g.data.type === DNS_TYPE.A && 'addr' in g.data && typeof g.data.addr === 'number' ? [g.data.addr] : []));
}

function forwardersFor(d: NamedServer, qname: string): { servers: number[]; only: boolean } {
  const k = dnsNameKey(qname);
  let best: { servers: number[]; only: boolean; len: number } | null = null;
  for (const z of d.config.zones) {
    if (z.type !== 'forward' || !inZone(k, dnsNameKey(z.name))) continue;
    if (best === null || z.name.length > best.len) best = { servers: z.forwarders, only: z.forwardOnly, len: z.name.length };
  }
  return best ?? { servers: d.config.forwarders, only: d.config.forwardOnly };
}

/** The deepest cached delegation above `qname` with addresses, else the root hints. */
function closestServers(d: NamedServer, qname: string, now: number): { cut: string; servers: number[]; nsNames: string[] } | null {
  const labels = qname === '.' ? [] : qname.slice(0, -1).split('.');
  for (let n = labels.length; n >= 0; n--) {
    const cut = n === 0 ? '.' : labels.slice(labels.length - n).join('.') + '.';
    const ns = d.cache.get(cut, DNS_TYPE.NS, now);
    if (ns?.kind !== 'rrset') continue;
    const nsNames = ns.records.map((r) => (r.data as { name: string }).name);
    const servers = nsNames.flatMap((nm) => addrsOf(d, nm, now));
    if (servers.length > 0 || n > 0) return { cut, servers, nsNames };
  }
  if (d.hints.length === 0) return null;
  const nsNames = d.hints.filter((r) => r.type === DNS_TYPE.NS).map((r) => (r.data as { name: string }).name);
  return { cut: '.', servers: glueAddrs(d.hints.filter((r) => r.type === DNS_TYPE.A)), nsNames };
}

function addrsOf(d: NamedServer, name: string, now: number): number[] {
  const c = d.cache.get(name, DNS_TYPE.A, now);
  if (c?.kind === 'rrset') return glueAddrs(c.records);
  const own = findZone(d, name);
  return own ? glueAddrs(addressesIn(own.zone, name)) : [];
}

/** Sends to `servers[i]`, moving on after a timeout or an unusable answer. */
function ask(t: Task, server: number, rd: boolean, onAnswer: (m: DnsMessage) => boolean, next: () => void): void {
  const { d } = t;
  const now = d.stack.env.sim.now();
  if (t.queries.left-- <= 0 || now >= t.deadlineNs) return finish(t, DNS_RCODE.SERVFAIL);
  d.counters.upstreamQueries++;
  const q = dnsQuery(dnsQueryId(d.stack), t.qname, t.qtype, rd);
  const timeout = Math.min(UPSTREAM_TIMEOUT_NS, t.deadlineNs - now);
  const ex = dnsExchange(d.stack, server, q, timeout, (r) => {
    d.inFlight.delete(ex);
    if (t.finished || !d.running) return;
    if (r.ok && onAnswer(r.msg)) return;
    next();
  });
  d.inFlight.add(ex);
}

function forward(t: Task, servers: number[], i: number, only: boolean): void {
  if (i >= servers.length) {
    if (only) return finish(t, DNS_RCODE.SERVFAIL);
    return step(t); // forward first: fall back to iteration (forwardTried is set)
  }
  ask(t, servers[i], true, (m) => {
    if (m.rcode !== DNS_RCODE.NOERROR && m.rcode !== DNS_RCODE.NXDOMAIN) return false;
    cacheSection(t.d, m.answers);
    const soa = m.authority.find((r) => r.type === DNS_TYPE.SOA);
    const final = m.answers.length > 0 && !endsInCname(m.answers, t.qtype);
    if (m.rcode === DNS_RCODE.NXDOMAIN || !final) cacheNegative(t, m, soa);
    finish(t, m.rcode, soa ? [soa] : [], m.answers);
    return true;
  }, () => forward(t, servers, i + 1, only));
}

function endsInCname(answers: DnsRecord[], qtype: number): boolean {
  return qtype !== DNS_TYPE.CNAME && answers.every((a) => a.type === DNS_TYPE.CNAME);
}

/** Groups records into RRsets and caches each. */
function cacheSection(d: NamedServer, records: DnsRecord[]): void {
  const sets = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const k = `${dnsNameKey(r.name)}|${r.type}`;
    const s = sets.get(k) ?? [];
    sets.set(k, s);
    if (s.length < 64) s.push(r);
  }
  const now = d.stack.env.sim.now();
  for (const s of sets.values()) d.cache.putRrset(s, now);
}

function cacheNegative(t: Task, m: DnsMessage, soa: DnsRecord | undefined): void {
  const kind = m.rcode === DNS_RCODE.NXDOMAIN ? 'nxdomain' : 'nodata';
  t.d.cache.putNegative(kind, t.qname, t.qtype, soa ?? null, negTtl(soa), t.d.stack.env.sim.now());
}

function iterate(t: Task, cut: string, servers: number[], nsNames: string[]): void {
  if (servers.length === 0) return resolveNsAddress(t, cut, nsNames, 0);
  // Start at a server chosen from the node's own substream, as BIND spreads its load.
  const first = t.d.stack.env.rng('named:server').nextInt(servers.length);
  const order = [...servers.slice(first), ...servers.slice(0, first)];
  const tryAt = (i: number): void => {
    if (i >= order.length) return finish(t, DNS_RCODE.SERVFAIL);
    ask(t, order[i], false, (m) => handleIterative(t, cut, m), () => tryAt(i + 1));
  };
  tryAt(0);
}

/** Handles an answer to a non-recursive query; false when the server was no help. */
function handleIterative(t: Task, cut: string, m: DnsMessage): boolean {
  const { d } = t;
  const qk = dnsNameKey(t.qname);
  if (m.rcode === DNS_RCODE.NXDOMAIN) {
    const soa = m.authority.find((r) => r.type === DNS_TYPE.SOA);
    cacheSection(d, m.answers);
    cacheNegative(t, m, soa);
    finish(t, DNS_RCODE.NXDOMAIN, soa ? [soa] : [], m.answers);
    return true;
  }
  if (m.rcode !== DNS_RCODE.NOERROR) return false;
  const inBailiwick = (r: DnsRecord): boolean => inZone(dnsNameKey(r.name), dnsNameKey(cut));
  if (m.answers.length > 0) {
    const answers = m.answers.filter(inBailiwick);
    cacheSection(d, answers);
    const direct = answers.filter((a) => dnsNameKey(a.name) === qk && (a.type === t.qtype || t.qtype === DNS_TYPE.ANY));
    if (direct.length > 0) {
      finish(t, DNS_RCODE.NOERROR, [], direct);
      return true;
    }
    const cname = answers.find((a) => dnsNameKey(a.name) === qk && a.type === DNS_TYPE.CNAME);
    if (cname) {
      if (follow(t, cname)) step(t);
      return true;
    }
    return false;
  }
  const ns = m.authority.filter((r) => r.type === DNS_TYPE.NS);
  const zoneName = ns[0]?.name;
  // A referral must move closer to the name and stay under the server's zone (RFC 1034 §5.3.3 step 4b).
  if (zoneName !== undefined && dnsNameKey(zoneName) !== dnsNameKey(cut) && inZone(dnsNameKey(zoneName), dnsNameKey(cut)) && inZone(qk, dnsNameKey(zoneName))) {
    const sameCut = ns.filter((r) => dnsNameKey(r.name) === dnsNameKey(zoneName));
    cacheSection(d, sameCut);
    const nsNames = sameCut.map((r) => (r.data as { name: string }).name);
    const glue = m.additional.filter((r) => inBailiwick(r) && (r.type === DNS_TYPE.A || r.type === DNS_TYPE.AAAA) && nsNames.some((n) => dnsNameKey(n) === dnsNameKey(r.name)));
    cacheSection(d, glue);
    const now = d.stack.env.sim.now();
    iterate(t, zoneName, nsNames.flatMap((n) => addrsOf(d, n, now)), nsNames);
    return true;
  }
  const soa = m.authority.find((r) => r.type === DNS_TYPE.SOA);
  if (soa || m.aa) {
    cacheNegative(t, m, soa);
    finish(t, DNS_RCODE.NOERROR, soa ? [soa] : []);
    return true;
  }
  return false; // lame: neither answer, referral nor authoritative
}

/** No glue: look up the name servers' addresses first (bounded depth), then go on. */
function resolveNsAddress(t: Task, cut: string, nsNames: string[], i: number): void {
  const { d } = t;
  if (i >= nsNames.length || t.depth >= RECURSION_DEPTH_MAX) return finish(t, DNS_RCODE.SERVFAIL);
  // A server named inside the zone it serves cannot be found without glue.
  if (inZone(dnsNameKey(nsNames[i]), dnsNameKey(cut))) return resolveNsAddress(t, cut, nsNames, i + 1);
  const sub: Task = { ...t, qname: nsNames[i], qtype: DNS_TYPE.A, chain: [], depth: t.depth + 1, finished: false, forwardTried: false, done: (r) => {
    if (t.finished) return;
    const addrs = glueAddrs(r.answers.filter((a) => a.type === DNS_TYPE.A));
    if (addrs.length === 0) return resolveNsAddress(t, cut, nsNames, i + 1);
    iterate(t, cut, addrs, []);
  } };
  step(sub);
}
