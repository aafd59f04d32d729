// The stub resolver every node has, as FreeBSD's libc does it: /etc/hosts first (nsswitch
// `hosts: files dns`), then the name servers of /etc/resolv.conf (`nameserver` ×3,
// `domain`, `search`, `options ndots: timeout: attempts:`) with res_send's retry schedule
// and res_search's search-list order. Uses only the socket API and the node's files.
// RFC 1123 §6.1.3.3 (search lists), FreeBSD lib/libc/resolv/res_send.c, res_query.c.

import type { ProcGate } from '../proc-gate';
import type { NetStack } from '../../stack/types';
import { parseIpv4 } from '../../wire/addr';
import { DNS_RCODE, DNS_TYPE, dnsNameKey, dnsQuery, isValidDnsName, type DnsMessage } from '../../wire/dns';
import { parseIpv6 } from '../../wire/ipv6-addr';
import type { NodeFiles } from '../files';
import { dnsQueryId, exchangeInTurn, type Exchange } from './dns-client';

export const RESOLV_CONF = '/etc/resolv.conf';
export const HOSTS_FILE = '/etc/hosts';
/** resolv.h: MAXNS 3, MAXDNSRCH 6, RES_TIMEOUT 5 s, RES_DFLRETRY 2, RES_MAXNDOTS 15. */
const MAXNS = 3;
const MAXDNSRCH = 6;
const S = 1_000_000_000;

export interface ResolvConf {
  nameservers: number[];
  search: string[];
  ndots: number;
  timeoutS: number;
  attempts: number;
}

/** resolv.conf as res_init reads it: unknown lines ignored, no nameserver means 127.0.0.1. */
export function parseResolvConf(text: string | null): ResolvConf {
  const c: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutS: 5, attempts: 2 };
  for (const raw of (text ?? '').split('\n')) {
    const w = raw.replace(/[;#].*$/, '').trim().split(/\s+/);
    if (w[0] === 'nameserver' && w[1] !== undefined && c.nameservers.length < MAXNS) {
      const a = parseIpv4(w[1]);
      if (a !== null) c.nameservers.push(a);
    } else if (w[0] === 'domain' && w[1]) c.search = [w[1]];
    else if (w[0] === 'search' && w.length > 1) c.search = w.slice(1, 1 + MAXDNSRCH);
    else if (w[0] === 'options') {
      for (const o of w.slice(1)) {
        const m = /^(ndots|timeout|attempts):([0-9]+)$/.exec(o);
        if (!m) continue;
        const v = Number(m[2]);
        if (m[1] === 'ndots') c.ndots = Math.min(v, 15);
        else if (m[1] === 'timeout') c.timeoutS = Math.max(1, Math.min(v, 30));
        else c.attempts = Math.max(1, Math.min(v, 5));
      }
    }
  }
  if (c.nameservers.length === 0) c.nameservers.push(0x7f000001); // res_init's INADDR_LOOPBACK default
  return c;
}

export function readResolvConf(files: NodeFiles | undefined): ResolvConf {
  const t = files?.read(RESOLV_CONF);
  return parseResolvConf(typeof t === 'string' ? t : null);
}

/** The first address /etc/hosts gives `name` for the family, or null. */
export function hostsLookup(files: NodeFiles | undefined, name: string, family: 4 | 6): number | Uint8Array | null {
  const t = files?.read(HOSTS_FILE);
  if (typeof t !== 'string') return null;
  const key = dnsNameKey(name.replace(/\.$/, ''));
  for (const raw of t.split('\n')) {
    const w = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (w.length < 2 || !w.slice(1).some((n) => dnsNameKey(n) === key)) continue;
    const a = family === 4 ? parseIpv4(w[0]) : parseIpv6(w[0]);
    if (a !== null) return a;
  }
  return null;
}

/** The name /etc/hosts gives `addr` (IPv4), or null: for reverse lookups. */
export function hostsReverse(files: NodeFiles | undefined, addr: number): string | null {
  const t = files?.read(HOSTS_FILE);
  if (typeof t !== 'string') return null;
  for (const raw of t.split('\n')) {
    const w = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (w.length >= 2 && parseIpv4(w[0]) === addr >>> 0) return w[1];
  }
  return null;
}

export type StubAnswer =
  | { ok: true; msg: DnsMessage; server: number; bytes: number; rttNs: number }
  | { ok: false; error: 'timeout' };

/**
 * One question to the configured servers with res_send's schedule: `attempts` rounds over
 * the servers; round k waits (timeout << k) / servers seconds (at least 1) for each.
 * A SERVFAIL, NOTIMP or REFUSED moves on to the next server, as res_send does.
 */
export function stubQuery(stack: NetStack, conf: ResolvConf, qname: string, qtype: number, done: (r: StubAnswer) => void, rd = true, gate: ProcGate | null = null): Exchange {
  const servers = conf.nameservers;
  let last: StubAnswer | null = null;
  const plan = (k: number): { server: number; timeoutNs: number } | null => {
    const round = Math.floor(k / servers.length);
    if (round >= conf.attempts) return null;
    const waitS = round > 0 ? Math.floor((conf.timeoutS << round) / servers.length) : conf.timeoutS;
    return { server: servers[k % servers.length], timeoutNs: Math.max(1, waitS) * S };
  };
  const id = dnsQueryId(stack); // res_send retries with the same id
  return exchangeInTurn(stack, plan, () => dnsQuery(id, qname, qtype, rd), (_server, r) => {
    if (!r.ok) return false;
    const ans: StubAnswer = { ok: true, msg: r.msg, server: r.from, bytes: r.bytes, rttNs: r.rttNs };
    const rc = r.msg.rcode;
    if (rc === DNS_RCODE.SERVFAIL || rc === DNS_RCODE.NOTIMP || rc === DNS_RCODE.REFUSED) {
      last = ans;
      return false;
    }
    done(ans);
    return true;
  }, () => done(last ?? { ok: false, error: 'timeout' }), gate);
}

/** The names res_search tries for `name`, in order (RFC 1123 §6.1.3.3, FreeBSD res_query.c). */
export function searchCandidates(conf: ResolvConf, name: string): string[] {
  if (name.endsWith('.')) return [name];
  const dots = name.split('.').length - 1;
  const asIs = `${name}.`;
  const searched = conf.search.map((d) => `${name}.${d.replace(/\.$/, '')}.`);
  return dots >= conf.ndots ? [asIs, ...searched] : [...searched, asIs];
}

export type LookupResult =
  | { ok: true; addrs: (number | Uint8Array)[]; name: string }
  | { ok: false; error: 'not-found' | 'try-again' };

/** res_search + the address records of the answer (following its CNAMEs); `gate`: the asking program's. */
export function dnsLookup(stack: NetStack, files: NodeFiles | undefined, name: string, family: 4 | 6, done: (r: LookupResult) => void, gate: ProcGate | null = null): Exchange {
  const conf = readResolvConf(files);
  const qtype = family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA;
  // A name no query can carry (a label over 63 bytes, an empty label) is simply not found.
  const names = searchCandidates(conf, name).filter(isValidDnsName);
  let cur: Exchange | null = null;
  let cancelled = false;
  let tryAgain = false;
  const next = (i: number): void => {
    if (cancelled) return;
    if (i >= names.length) return done({ ok: false, error: tryAgain ? 'try-again' : 'not-found' });
    cur = stubQuery(stack, conf, names[i], qtype, (r) => {
      if (cancelled) return;
      if (!r.ok || r.msg.rcode !== DNS_RCODE.NOERROR && r.msg.rcode !== DNS_RCODE.NXDOMAIN) {
        tryAgain = true;
        return next(i + 1);
      }
      const addrs = r.msg.answers.filter((a) => a.type === qtype).map((a) => (a.data as { addr: number | Uint8Array }).addr);
      if (addrs.length > 0) return done({ ok: true, addrs, name: names[i] });
      next(i + 1);
    }, true, gate);
  };
  next(0);
  return {
    cancel: () => {
      cancelled = true;
      cur?.cancel();
    },
  };
}
