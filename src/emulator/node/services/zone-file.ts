// BIND master (zone) files: $TTL, $ORIGIN, `@`, blank owners, relative names, multi-line
// records in parentheses, `;` comments, TTL units (1h, 2d), and the types A, AAAA, NS,
// CNAME, MX, PTR, TXT and SOA. Text only: a bad line becomes a located problem and the
// rest of the zone loads. RFC 1035 §5.1 (format), RFC 2308 §4 ($TTL).

import { parseIpv4 } from '../../wire/addr';
import { parseIpv6 } from '../../wire/ipv6-addr';
import { DNS_CLASS_IN, DNS_TYPE, dnsTypeByName, nameLabels, type DnsRdata, type DnsRecord } from '../../wire/dns';

/** Records one zone may hold (a bound on memory). */
export const ZONE_RECORDS_MAX = 10_000;

export interface ZoneFile {
  records: (DnsRecord & { line: number })[];
  problems: { line: number; message: string }[];
}

/** `1h30m`, `3600`, `2W` → seconds, or null. */
export function parseTtl(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text) <= 0x7fffffff ? Number(text) : null;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  const re = /([0-9]+)([smhdw])/gy;
  const lower = text.toLowerCase();
  let m: RegExpExecArray | null;
  let used = 0;
  while ((m = re.exec(lower)) !== null) {
    total += Number(m[1]) * unit[m[2]];
    used = re.lastIndex;
  }
  return used === lower.length && used > 0 && total <= 0x7fffffff ? total : null;
}

/** An owner or RDATA name made absolute against `origin`; null when not a valid name. */
export function absoluteName(text: string, origin: string): string | null {
  const name = text === '@' ? origin : text.endsWith('.') && !text.endsWith('\\.') ? text : origin === '.' ? `${text}.` : `${text}.${origin}`;
  return nameLabels(name) === null && name !== '.' ? null : name;
}

interface Line {
  words: string[];
  /** The line started with white space (the owner is the previous one). */
  blankOwner: boolean;
  line: number;
}

/** Logical lines: comments dropped, parenthesised continuations joined, quoted strings kept whole. */
function logicalLines(text: string, problems: ZoneFile['problems']): Line[] {
  const out: Line[] = [];
  let cur: Line | null = null;
  let depth = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    if (cur === null || depth === 0) {
      cur = { words: [], blankOwner: /^[ \t]/.test(raw), line: n + 1 };
    }
    let i = 0;
    while (i < raw.length) {
      const c = raw[i];
      if (c === ';') break;
      if (c === ' ' || c === '\t') i++;
      else if (c === '(') {
        depth++;
        i++;
      } else if (c === ')') {
        if (depth === 0) problems.push({ line: n + 1, message: "')' without '('" });
        else depth--;
        i++;
      } else if (c === '"') {
        let j = i + 1;
        let s = '';
        while (j < raw.length && raw[j] !== '"') {
          if (raw[j] === '\\' && j + 1 < raw.length) s += raw[j++];
          s += raw[j++];
        }
        cur.words.push('"' + s);
        i = j + 1;
      } else {
        let j = i;
        while (j < raw.length && !/[\s;()"]/.test(raw[j])) j++;
        cur.words.push(raw.slice(i, j));
        i = j;
      }
    }
    if (depth === 0 && cur.words.length > 0) out.push(cur);
    if (depth === 0) cur = null;
  }
  if (depth > 0 && cur) {
    problems.push({ line: cur.line, message: "'(' not closed before end of file" });
    if (cur.words.length > 0) out.push(cur);
  }
  return out;
}

/** A TXT character-string with `\"` and `\DDD` escapes decoded (bytes as latin1). */
function unescapeTxt(s: string): string {
  return s.replace(/\\([0-9]{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e) & 0xff) : e));
}

function rdata(type: number, args: string[], origin: string): DnsRdata | string {
  const name = (t: string | undefined): string | null => (t === undefined ? null : absoluteName(t, origin));
  const need = (n: number): string | null => (args.length === n ? null : `${n} field${n === 1 ? '' : 's'} expected after the type, found ${args.length}`);
  switch (type) {
    case DNS_TYPE.A: {
      const a = parseIpv4(args[0] ?? '');
      return need(1) ?? (a === null ? `'${args[0]}' is not an IPv4 address` : { type, addr: a });
    }
    case DNS_TYPE.AAAA: {
      const a = parseIpv6(args[0] ?? '');
      return need(1) ?? (a === null ? `'${args[0]}' is not an IPv6 address` : { type, addr: a });
    }
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR: {
      const n = name(args[0]);
      return need(1) ?? (n === null ? `'${args[0]}' is not a domain name` : { type, name: n });
    }
    case DNS_TYPE.MX: {
      const pref = /^[0-9]+$/.test(args[0] ?? '') ? Number(args[0]) : -1;
      const n = name(args[1]);
      return need(2) ?? (pref < 0 || pref > 0xffff ? `MX preference '${args[0]}' is not 0–65535` : n === null ? `'${args[1]}' is not a domain name` : { type, preference: pref, exchange: n });
    }
    case DNS_TYPE.SOA: {
      const err = need(7);
      if (err) return err;
      const m = name(args[0]);
      const r = name(args[1]);
      const nums = args.slice(2).map(parseTtl);
      if (m === null || r === null) return 'SOA: bad server or mailbox name';
      if (nums.some((x) => x === null)) return 'SOA: serial, refresh, retry, expire and minimum must be numbers';
      const [serial, refresh, retry, expire, minimum] = nums as number[];
      return { type, mname: m, rname: r, serial, refresh, retry, expire, minimum };
    }
    case DNS_TYPE.TXT: {
      if (args.length === 0) return 'TXT: text expected';
      const strings = args.map((a) => unescapeTxt(a.startsWith('"') ? a.slice(1) : a));
      const long = strings.find((s) => s.length > 255);
      return long !== undefined ? 'TXT: a string is longer than 255 characters' : { type, strings };
    }
    default:
      return 'record type not supported (A, AAAA, NS, CNAME, MX, PTR, TXT, SOA)';
  }
}

/** Types BIND knows that VirtNet's named does not serve (said so, instead of "unknown"). */
const KNOWN_UNSUPPORTED = new Set(['HINFO', 'SRV', 'CAA', 'DS', 'DNSKEY', 'RRSIG', 'NSEC', 'NSEC3', 'SPF', 'NAPTR', 'LOC', 'SSHFP', 'TLSA', 'DNAME', 'RP', 'AFSDB', 'WKS', 'HTTPS', 'SVCB']);

const SUPPORTED = new Set<number>([DNS_TYPE.A, DNS_TYPE.AAAA, DNS_TYPE.NS, DNS_TYPE.CNAME, DNS_TYPE.MX, DNS_TYPE.PTR, DNS_TYPE.TXT, DNS_TYPE.SOA]);

/** `[TTL] [class] type` after the owner, TTL and class in either order (RFC 1035 §5.1); the reason when not. */
function recordHead(w: string[], from: number): { ttl: number | null; type: number; next: number } | string {
  let ttl: number | null = null;
  let i = from;
  for (let k = 0; k < 3 && i < w.length; k++, i++) {
    const t = w[i].toUpperCase();
    if (t === 'IN') continue;
    if (t === 'CH' || t === 'HS') return `class ${t} is not supported (IN is)`;
    const asTtl: number | null = ttl === null ? parseTtl(w[i]) : null;
    if (asTtl !== null) {
      ttl = asTtl;
      continue;
    }
    const type = dnsTypeByName(t);
    if (type !== null && SUPPORTED.has(type)) return { ttl, type, next: i + 1 };
    return type !== null || KNOWN_UNSUPPORTED.has(t) ? `record type '${w[i]}' is not supported (A, AAAA, NS, CNAME, MX, PTR, TXT, SOA)` : `unknown record type '${w[i]}'`;
  }
  return 'record type missing';
}

/** Reads a zone file for zone `origin` (absolute). */
export function parseZoneFile(text: string, origin: string): ZoneFile {
  const out: ZoneFile = { records: [], problems: [] };
  let curOrigin = origin;
  let defaultTtl: number | null = null;
  let lastOwner: string | null = null;
  let lastTtl: number | null = null;
  for (const l of logicalLines(text, out.problems)) {
    const w = l.words;
    const bad = (message: string): void => void out.problems.push({ line: l.line, message });
    if (w[0].startsWith('$')) {
      const dir = w[0].toUpperCase();
      if (dir === '$TTL') {
        const t = parseTtl(w[1] ?? '');
        if (t === null) bad(`$TTL: '${w[1] ?? ''}' is not a TTL`);
        else defaultTtl = t;
      } else if (dir === '$ORIGIN') {
        const o = w[1] === undefined ? null : absoluteName(w[1], curOrigin);
        if (o === null) bad(`$ORIGIN: '${w[1] ?? ''}' is not a domain name`);
        else curOrigin = o;
      } else bad(`${w[0]} is not supported ($TTL and $ORIGIN are)`);
      continue;
    }
    let i = 0;
    let owner: string | null = lastOwner;
    if (!l.blankOwner) {
      owner = absoluteName(w[0], curOrigin);
      if (owner === null) {
        bad(`'${w[0]}' is not a domain name`);
        continue;
      }
      i = 1;
    }
    if (owner === null) {
      bad('a record without an owner name (the first record must name one)');
      continue;
    }
    lastOwner = owner;
    const head = recordHead(w, i);
    if (typeof head === 'string') {
      bad(head);
      continue;
    }
    const { ttl, type } = head;
    i = head.next;
    const d = rdata(type, w.slice(i), curOrigin);
    if (typeof d === 'string') {
      bad(d);
      continue;
    }
    // No $TTL: BIND uses the SOA's minimum (and says so); before any SOA, the last TTL.
    if (defaultTtl === null && d.type === DNS_TYPE.SOA) defaultTtl = (d as { minimum: number }).minimum;
    const useTtl: number | null = ttl ?? defaultTtl ?? lastTtl;
    if (useTtl === null) {
      bad('no TTL: add $TTL before the first record');
      continue;
    }
    lastTtl = useTtl;
    if (out.records.length >= ZONE_RECORDS_MAX) {
      bad(`more than ${ZONE_RECORDS_MAX} records: the rest of the file is ignored`);
      break;
    }
    out.records.push({ name: owner, type, class: DNS_CLASS_IN, ttl: useTtl, data: d, line: l.line });
  }
  out.problems.sort((a, b) => a.line - b.line);
  return out;
}
