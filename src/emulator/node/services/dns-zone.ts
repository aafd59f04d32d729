// One loaded zone and the authoritative lookup in it (RFC 1034 §4.3.2 steps 3a–3c):
// exact answers with in-zone CNAME chasing, referrals at zone cuts with glue, NODATA and
// NXDOMAIN with the SOA for negative caching (RFC 2308 §3). No network, no clock.

import { DNS_TYPE, dnsNameKey, type DnsRecord } from '../../wire/dns';

export interface Zone {
  /** Origin as configured (`zpm.fer.hr.`). */
  origin: string;
  key: string;
  /** Records by owner key, then by type. */
  nodes: Map<string, Map<number, DnsRecord[]>>;
  soa: DnsRecord | null;
}

export type AuthResult =
  | { kind: 'answer'; answers: DnsRecord[] }
  | { kind: 'referral'; answers: DnsRecord[]; ns: DnsRecord[]; glue: DnsRecord[] }
  | { kind: 'nodata' | 'nxdomain'; answers: DnsRecord[]; soa: DnsRecord | null };

/** `name` is `zone` or below it (both keys). */
export function inZone(nameKey: string, zoneKey: string): boolean {
  return zoneKey === '.' || nameKey === zoneKey || nameKey.endsWith('.' + zoneKey);
}

/**
 * Builds a zone from parsed records. Out-of-zone records are dropped with a message (BIND:
 * "ignoring out-of-zone data"); a master zone without SOA or NS at its apex is refused.
 */
export function buildZone(origin: string, records: readonly (DnsRecord & { line?: number })[], needSoa: boolean): { zone: Zone | null; problems: { line: number; message: string }[] } {
  const key = dnsNameKey(origin);
  const zone: Zone = { origin, key, nodes: new Map(), soa: null };
  const problems: { line: number; message: string }[] = [];
  for (const r of records) {
    const k = dnsNameKey(r.name);
    if (!inZone(k, key)) {
      problems.push({ line: r.line ?? 0, message: `ignoring out-of-zone data (${r.name})` });
      continue;
    }
    let byType = zone.nodes.get(k);
    if (!byType) zone.nodes.set(k, (byType = new Map()));
    const set = byType.get(r.type) ?? [];
    byType.set(r.type, set);
    // RRset TTLs must agree (RFC 2181 §5.2): the first one wins, as BIND warns and does.
    set.push(set.length > 0 ? { ...r, ttl: set[0].ttl } : r);
    if (r.type === DNS_TYPE.SOA && k === key) zone.soa ??= r;
  }
  if (needSoa && zone.soa === null) return { zone: null, problems: [...problems, { line: 0, message: `zone ${origin}: has no SOA record` }] };
  if (needSoa && !zone.nodes.get(key)?.has(DNS_TYPE.NS)) return { zone: null, problems: [...problems, { line: 0, message: `zone ${origin}: has no NS records` }] };
  return { zone, problems };
}

/** The negative-answer SOA with TTL min(SOA TTL, MINIMUM) (RFC 2308 §3). */
export function negativeSoa(zone: Zone): DnsRecord | null {
  const s = zone.soa;
  if (!s || s.data.type !== DNS_TYPE.SOA || !('minimum' in s.data)) return s;
  return { ...s, ttl: Math.min(s.ttl, s.data.minimum) };
}

function rrset(zone: Zone, nameKey: string, type: number): DnsRecord[] | undefined {
  return zone.nodes.get(nameKey)?.get(type);
}

/** A and AAAA records the zone holds for `name` (glue and additional data). */
export function addressesIn(zone: Zone, name: string): DnsRecord[] {
  const k = dnsNameKey(name);
  return [...(rrset(zone, k, DNS_TYPE.A) ?? []), ...(rrset(zone, k, DNS_TYPE.AAAA) ?? [])];
}

/** The closest zone cut at or above `nameKey` and below the apex, if any. */
function delegation(zone: Zone, nameKey: string): DnsRecord[] | null {
  if (nameKey === zone.key) return null;
  const labels = nameKey === '.' ? [] : nameKey.slice(0, -1).split('.');
  const apexLen = zone.key === '.' ? 0 : zone.key.slice(0, -1).split('.').length;
  for (let n = apexLen + 1; n <= labels.length; n++) {
    const k = labels.slice(labels.length - n).join('.') + '.';
    const ns = rrset(zone, k, DNS_TYPE.NS);
    if (ns) return ns;
  }
  return null;
}

/** Authoritative lookup of `qname`/`qtype` in `zone`, chasing CNAMEs that stay in the zone (at most 8). */
export function zoneLookup(zone: Zone, qname: string, qtype: number): AuthResult {
  const answers: DnsRecord[] = [];
  let name = qname;
  for (let hop = 0; hop < 8; hop++) {
    const k = dnsNameKey(name);
    if (!inZone(k, zone.key)) return { kind: 'answer', answers };
    const cut = delegation(zone, k);
    if (cut) {
      const glue = cut.flatMap((r) => ('name' in r.data ? addressesIn(zone, r.data.name) : []));
      return { kind: 'referral', answers, ns: cut, glue };
    }
    const node = zone.nodes.get(k);
    if (!node) {
      const prefix = '.' + k;
      const nonTerminal = [...zone.nodes.keys()].some((x) => x.endsWith(k === '.' ? '' : prefix));
      return { kind: nonTerminal ? 'nodata' : 'nxdomain', answers, soa: negativeSoa(zone) };
    }
    if (qtype === DNS_TYPE.ANY) {
      for (const set of node.values()) answers.push(...set);
      return { kind: 'answer', answers };
    }
    const exact = node.get(qtype);
    if (exact) {
      answers.push(...exact);
      return { kind: 'answer', answers };
    }
    const cname = node.get(DNS_TYPE.CNAME);
    if (cname && cname[0].data.type === DNS_TYPE.CNAME && 'name' in cname[0].data) {
      answers.push(cname[0]);
      name = cname[0].data.name;
      continue;
    }
    return { kind: 'nodata', answers, soa: negativeSoa(zone) };
  }
  return { kind: 'answer', answers };
}
