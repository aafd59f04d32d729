// named's cache: RRsets and negative answers (NXDOMAIN for a name, NODATA for a name and
// type) kept for their TTL in virtual time, TTLs counting down when served, bounded in
// entries (expired ones go first, then the oldest). RFC 1035 §7.4, RFC 2308 §5 (negative
// caching, TTL from the SOA), BIND's max-cache-ttl (1 week) and max-ncache-ttl (3 hours).

import { dnsNameKey, type DnsRecord } from '../../wire/dns';

export const DNS_CACHE_ENTRIES_MAX = 2048;
export const MAX_CACHE_TTL_S = 604_800;
export const MAX_NCACHE_TTL_S = 10_800;
const S = 1_000_000_000;

export type CacheEntry =
  | { kind: 'rrset'; name: string; type: number; records: DnsRecord[]; storedNs: number; expiresNs: number }
  | { kind: 'nxdomain' | 'nodata'; name: string; type: number; soa: DnsRecord | null; storedNs: number; expiresNs: number };

/** What a lookup finds: records (or the SOA) with TTLs reduced by the time already cached. */
export type CacheHit =
  | { kind: 'rrset'; records: DnsRecord[] }
  | { kind: 'nxdomain' | 'nodata'; soa: DnsRecord | null };

/** Marker type for an NXDOMAIN entry, which holds for every type of the name. */
const NX = -1;

export class DnsCache {
  private readonly entries = new Map<string, CacheEntry>();
  hits = 0;
  misses = 0;
  evicted = 0;

  constructor(private readonly max = DNS_CACHE_ENTRIES_MAX) {}

  get size(): number {
    return this.entries.size;
  }

  private static key(name: string, type: number): string {
    return `${dnsNameKey(name)}|${type}`;
  }

  /** Stores an RRset (all records of one name and type); a zero TTL is not cached. */
  putRrset(records: DnsRecord[], nowNs: number): void {
    if (records.length === 0) return;
    const ttl = Math.min(MAX_CACHE_TTL_S, ...records.map((r) => r.ttl));
    if (ttl <= 0) return;
    const { name, type } = records[0];
    this.put(DnsCache.key(name, type), { kind: 'rrset', name, type, records, storedNs: nowNs, expiresNs: nowNs + ttl * S });
  }

  /** Stores a negative answer for `ttlS` seconds (capped at 3 hours). */
  putNegative(kind: 'nxdomain' | 'nodata', name: string, type: number, soa: DnsRecord | null, ttlS: number, nowNs: number): void {
    const ttl = Math.min(MAX_NCACHE_TTL_S, ttlS);
    if (ttl <= 0) return;
    const t = kind === 'nxdomain' ? NX : type;
    this.put(DnsCache.key(name, t), { kind, name, type: t, soa, storedNs: nowNs, expiresNs: nowNs + ttl * S });
  }

  get(name: string, type: number, nowNs: number): CacheHit | null {
    const hit = this.fresh(DnsCache.key(name, NX), nowNs) ?? this.fresh(DnsCache.key(name, type), nowNs);
    if (hit === null) {
      this.misses++;
      return null;
    }
    this.hits++;
    const left = Math.max(0, Math.floor((hit.expiresNs - nowNs) / S));
    const aged = (r: DnsRecord): DnsRecord => ({ ...r, ttl: Math.min(r.ttl, left) });
    if (hit.kind === 'rrset') return { kind: 'rrset', records: hit.records.map(aged) };
    return { kind: hit.kind, soa: hit.soa ? aged(hit.soa) : null };
  }

  /** Every live entry, oldest first (for Inspect). */
  list(nowNs: number): CacheEntry[] {
    return [...this.entries.values()].filter((e) => e.expiresNs > nowNs);
  }

  clear(): void {
    this.entries.clear();
  }

  private fresh(key: string, nowNs: number): CacheEntry | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresNs <= nowNs) {
      this.entries.delete(key);
      return null;
    }
    return e;
  }

  private put(key: string, e: CacheEntry): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      for (const [k, old] of this.entries) if (old.expiresNs <= e.storedNs) this.entries.delete(k);
      while (this.entries.size >= this.max) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
        this.evicted++;
      }
    }
    this.entries.set(key, e);
  }
}
