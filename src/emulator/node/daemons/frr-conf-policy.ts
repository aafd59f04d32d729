// Reads FRR's routing-policy statements into plain records: `ip prefix-list NAME [seq N]
// permit|deny A.B.C.D/M|any [ge N] [le N]`, `bgp as-path access-list NAME [seq N]
// permit|deny REGEX` (and Quagga's `ip as-path access-list`), `route-map NAME permit|deny SEQ`
// with `match ip address prefix-list`, `match as-path`, `match community`,
// `set local-preference|metric|weight`, `set as-path prepend`, `set community`, standard
// community lists (`bgp community-list [standard] NAME permit|deny COMMUNITY…`), and their `no` forms. A statement VirtNet does not implement is a
// located problem. Must not touch a stack; bgpd-policy.ts evaluates these records.

import { parseCidr, prefixMask } from '../../wire/addr';

export interface PrefixListEntry {
  seq: number;
  permit: boolean;
  addr: number;
  prefixLen: number;
  /** `ge N` / `le N` (null when not given); `any` is 0.0.0.0/0 le 32. */
  ge: number | null;
  le: number | null;
  any: boolean;
}

export interface AsPathEntry {
  seq: number;
  permit: boolean;
  /** The regular expression as typed (shown back by vtysh). */
  source: string;
  regex: RegExp;
}

export type RouteMapMatch = { kind: 'prefix-list'; name: string } | { kind: 'as-path'; name: string } | { kind: 'community'; name: string; exact: boolean };

export interface CommunityEntry {
  seq: number;
  permit: boolean;
  /** `internet` was given: the entry matches every route. */
  any: boolean;
  /** Communities that must all be present. */
  values: number[];
}

/** RFC 1997 well-known communities, as FRR names them. */
export const COMMUNITY = { INTERNET: 0, NO_EXPORT: 0xffffff01, NO_ADVERTISE: 0xffffff02, LOCAL_AS: 0xffffff03 } as const;
const WELL_KNOWN: Readonly<Record<string, number>> = { internet: COMMUNITY.INTERNET, 'no-export': COMMUNITY.NO_EXPORT, 'no-advertise': COMMUNITY.NO_ADVERTISE, 'local-AS': COMMUNITY.LOCAL_AS };

/** `AA:NN` or a well-known name; null when neither. */
export function parseCommunity(s: string): number | null {
  if (Object.hasOwn(WELL_KNOWN, s)) return WELL_KNOWN[s]!;
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(s);
  if (m === null || Number(m[1]) > 65535 || Number(m[2]) > 65535) return null;
  return (Number(m[1]) * 65536 + Number(m[2])) >>> 0;
}

/** As FRR prints a community: well-known names, else AA:NN. */
export function formatCommunity(c: number): string {
  for (const [name, v] of Object.entries(WELL_KNOWN)) if (v === c && c !== 0) return name;
  return `${Math.floor(c / 65536)}:${c % 65536}`;
}

/** FRR keeps a route's communities sorted and unique (community_uniq_sort). */
export function sortCommunities(cs: number[]): number[] {
  return [...new Set(cs)].sort((a, b) => a - b);
}

export type RouteMapSet =
  | { kind: 'local-preference'; value: number }
  | { kind: 'metric'; value: number }
  | { kind: 'weight'; value: number }
  | { kind: 'as-path-prepend'; asns: number[] }
  | { kind: 'community'; values: number[]; additive: boolean };

export interface RouteMapEntry {
  seq: number;
  permit: boolean;
  matches: RouteMapMatch[];
  sets: RouteMapSet[];
}

export interface PolicyConfig {
  prefixLists: Map<string, PrefixListEntry[]>;
  asPathLists: Map<string, AsPathEntry[]>;
  routeMaps: Map<string, RouteMapEntry[]>;
  /** Standard community lists, entries in the order given. */
  communityLists: Map<string, CommunityEntry[]>;
}

export function newPolicy(): PolicyConfig {
  return { prefixLists: new Map(), asPathLists: new Map(), routeMaps: new Map(), communityLists: new Map() };
}

/** Names FRR accepts for lists and maps (WORD). */
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Bounds (DESIGN decision 10): entries per list or map. */
export const POLICY_ENTRIES_MAX = 1000;
/** FRR's as-path regex: digits, spaces and regex operators; `_` is a delimiter. */
const AS_REGEX_CHARS = /^[0-9 _^$.*+?()[\]|{},-]{1,200}$/;

const num = (s: string | undefined, max: number): number | null => (s !== undefined && /^\d+$/.test(s) && Number(s) <= max ? Number(s) : null);

function insertSorted<T extends { seq: number }>(list: T[], e: T): void {
  const at = list.findIndex((x) => x.seq >= e.seq);
  if (at >= 0 && list[at]!.seq === e.seq) list[at] = e;
  else if (at >= 0) list.splice(at, 0, e);
  else list.push(e);
}

/** FRR's automatic sequence number: five past the highest. */
function nextSeq(list: { seq: number }[]): number {
  return list.reduce((m, e) => Math.max(m, e.seq), 0) + 5;
}

/** `[no] ip prefix-list …`; returns false when `w` is no prefix-list statement. */
export function prefixListStatement(p: PolicyConfig, w: string[], t: string, problem: (m: string) => void): boolean {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  if (v[0] !== 'ip' || v[1] !== 'prefix-list') return false;
  const name = v[2];
  if (name === undefined || !NAME.test(name)) return problem(`"${t}": expected ip prefix-list NAME [seq N] permit|deny A.B.C.D/M|any [ge N] [le N]`), true;
  if (neg && v.length === 3) return p.prefixLists.delete(name), true;
  if (v[3] === 'description') return true;
  let k = 3;
  let seq: number | null = null;
  if (v[k] === 'seq') {
    seq = num(v[k + 1], 4294967295);
    if (seq === null || seq === 0) return problem(`"${t}": seq takes 1-4294967295`), true;
    k += 2;
  }
  const list = p.prefixLists.get(name) ?? [];
  if (neg && v.length === k) {
    p.prefixLists.set(name, list.filter((e) => e.seq !== seq));
    return true;
  }
  const action = v[k];
  if (action !== 'permit' && action !== 'deny') return problem(`"${t}": expected permit or deny`), true;
  const entry = prefixEntry(v.slice(k + 1), seq ?? nextSeq(list), action === 'permit', t, problem);
  if (entry === null) return true;
  if (neg) {
    p.prefixLists.set(name, list.filter((e) => !(e.permit === entry.permit && e.addr === entry.addr && e.prefixLen === entry.prefixLen && e.ge === entry.ge && e.le === entry.le && (seq === null || e.seq === seq))));
    return true;
  }
  if (list.length >= POLICY_ENTRIES_MAX) return problem(`"${t}": prefix-list ${name} already has ${POLICY_ENTRIES_MAX} entries; ignored`), true;
  insertSorted(list, entry);
  p.prefixLists.set(name, list);
  return true;
}

function prefixEntry(w: string[], seq: number, permit: boolean, t: string, problem: (m: string) => void): PrefixListEntry | null {
  if (w[0] === 'any' && w.length === 1) return { seq, permit, addr: 0, prefixLen: 0, ge: null, le: 32, any: true };
  const c = w[0] === undefined ? null : parseCidr(w[0]);
  if (c === null) return problem(`"${t}": expected A.B.C.D/M or any`), null;
  let ge: number | null = null;
  let le: number | null = null;
  for (let k = 1; k < w.length; k += 2) {
    const n = num(w[k + 1], 32);
    if ((w[k] !== 'ge' && w[k] !== 'le') || n === null) return problem(`"${t}": expected [ge 0-32] [le 0-32] after the prefix`), null;
    if (w[k] === 'ge') ge = n;
    else le = n;
  }
  // FRR: "make sure: len < ge-value <= le-value".
  if ((ge !== null && ge <= c.prefixLen) || (le !== null && le < c.prefixLen) || (ge !== null && le !== null && ge > le)) {
    return problem(`"${t}": invalid prefix range for ${w[0]}, make sure: len < ge-value <= le-value`), null;
  }
  return { seq, permit, addr: (c.addr & prefixMask(c.prefixLen)) >>> 0, prefixLen: c.prefixLen, ge, le, any: false };
}

/** `[no] bgp as-path access-list …` / `[no] ip as-path access-list …`; false when not one. */
export function asPathListStatement(p: PolicyConfig, w: string[], t: string, problem: (m: string) => void): boolean {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  if (!((v[0] === 'bgp' || v[0] === 'ip') && v[1] === 'as-path' && v[2] === 'access-list')) return false;
  const name = v[3];
  if (name === undefined || !NAME.test(name)) return problem(`"${t}": expected bgp as-path access-list NAME [seq N] permit|deny REGEX`), true;
  if (neg && v.length === 4) return p.asPathLists.delete(name), true;
  let k = 4;
  let seq: number | null = null;
  if (v[k] === 'seq') {
    seq = num(v[k + 1], 4294967295);
    if (seq === null) return problem(`"${t}": seq takes 0-4294967295`), true;
    k += 2;
  }
  const action = v[k];
  const source = v.slice(k + 1).join(' ');
  if ((action !== 'permit' && action !== 'deny') || source === '') return problem(`"${t}": expected permit|deny REGEX`), true;
  const list = p.asPathLists.get(name) ?? [];
  if (neg) {
    p.asPathLists.set(name, list.filter((e) => !(e.source === source && e.permit === (action === 'permit'))));
    return true;
  }
  const regex = asPathRegex(source);
  if (regex === null) return problem(`"${t}": the AS-path regular expression "${source}" is not implemented in VirtNet (digits, spaces, _ ^ $ . * + ? ( ) [ ] | , -)`), true;
  if (list.length >= POLICY_ENTRIES_MAX) return problem(`"${t}": as-path access-list ${name} is full; ignored`), true;
  insertSorted(list, { seq: seq ?? nextSeq(list), permit: action === 'permit', source, regex });
  p.asPathLists.set(name, list);
  return true;
}

/** `[no] bgp community-list [standard] NAME permit|deny COMMUNITY…` (and `ip community-list`); false when not one. */
export function communityListStatement(p: PolicyConfig, w: string[], t: string, problem: (m: string) => void): boolean {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  if (!((v[0] === 'bgp' || v[0] === 'ip') && v[1] === 'community-list')) return false;
  let k = 2;
  if (v[k] === 'standard') k++;
  else if (v[k] === 'expanded' || (/^\d+$/.test(v[k] ?? '') && Number(v[k]) >= 100)) return problem(`"${t}": expanded community lists are not implemented in VirtNet (standard ones are)`), true;
  const name = v[k];
  if (name === undefined || !NAME.test(name)) return problem(`"${t}": expected bgp community-list [standard] NAME permit|deny AA:NN|internet|no-export|no-advertise|local-AS…`), true;
  if (neg && v.length === k + 1) return p.communityLists.delete(name), true;
  let seq: number | null = null;
  if (v[k + 1] === 'seq') {
    seq = num(v[k + 2], 4294967295);
    if (seq === null) return problem(`"${t}": seq takes 0-4294967295`), true;
    k += 2;
  }
  const action = v[k + 1];
  const values = v.slice(k + 2).map(parseCommunity);
  if ((action !== 'permit' && action !== 'deny') || values.length === 0 || values.some((x) => x === null)) return problem(`"${t}": expected permit|deny AA:NN|internet|no-export|no-advertise|local-AS…`), true;
  const list = p.communityLists.get(name) ?? [];
  const entry: CommunityEntry = { seq: seq ?? nextSeq(list), permit: action === 'permit', any: values.includes(COMMUNITY.INTERNET), values: sortCommunities((values as number[]).filter((x) => x !== COMMUNITY.INTERNET)) };
  const same = (e: CommunityEntry) => e.permit === entry.permit && e.any === entry.any && e.values.join() === entry.values.join();
  if (neg) p.communityLists.set(name, list.filter((e) => !same(e)));
  else if (list.length >= POLICY_ENTRIES_MAX) problem(`"${t}": community-list ${name} is full; ignored`);
  else if (!list.some(same)) {
    insertSorted(list, entry);
    p.communityLists.set(name, list);
  }
  return true;
}

/** FRR's bgp_regcomp: `_` stands for a delimiter, the start or the end of the path. */
export function asPathRegex(source: string): RegExp | null {
  if (!AS_REGEX_CHARS.test(source)) return null;
  try {
    return new RegExp(source.replace(/_/g, '(^|[,{}() ]|$)'));
  } catch {
    return null;
  }
}

/** `route-map NAME permit|deny SEQ` opens an entry; `no route-map NAME [permit|deny SEQ]` removes. Returns the entry to fill, or null. */
export function routeMapHead(p: PolicyConfig, w: string[], t: string, problem: (m: string) => void): RouteMapEntry | null {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  const name = v[1];
  if (name === undefined || !NAME.test(name)) return problem(`"${t}": expected route-map NAME permit|deny 1-65535`), null;
  if (neg && v.length === 2) return p.routeMaps.delete(name), null;
  const seq = num(v[3], 65535);
  if ((v[2] !== 'permit' && v[2] !== 'deny') || seq === null || seq === 0 || v.length !== 4) return problem(`"${t}": expected route-map NAME permit|deny 1-65535`), null;
  const list = p.routeMaps.get(name) ?? [];
  if (neg) {
    p.routeMaps.set(name, list.filter((e) => e.seq !== seq));
    return null;
  }
  const old = list.find((e) => e.seq === seq);
  if (old !== undefined) {
    old.permit = v[2] === 'permit'; // FRR changes the action of an existing entry
    return old;
  }
  if (list.length >= POLICY_ENTRIES_MAX) return problem(`"${t}": route-map ${name} is full; ignored`), null;
  const e: RouteMapEntry = { seq, permit: v[2] === 'permit', matches: [], sets: [] };
  insertSorted(list, e);
  p.routeMaps.set(name, list);
  return e;
}

/** A statement inside `route-map …`: match, set, their `no` forms. */
export function routeMapStatement(e: RouteMapEntry, w: string[], t: string, problem: (m: string) => void): void {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  if (v[0] === 'description') return;
  if (v[0] === 'match') {
    const m: RouteMapMatch | null =
      v[1] === 'ip' && v[2] === 'address' && v[3] === 'prefix-list' && v[4] !== undefined && v.length === 5 ? { kind: 'prefix-list', name: v[4] }
        : v[1] === 'as-path' && v[2] !== undefined && v.length === 3 ? { kind: 'as-path', name: v[2] }
          : v[1] === 'community' && v[2] !== undefined && (v.length === 3 || (v.length === 4 && v[3] === 'exact-match')) ? { kind: 'community', name: v[2], exact: v[3] === 'exact-match' }
            : null;
    const kind = v[1] === 'as-path' ? 'as-path' : v[1] === 'community' ? 'community' : v[1] === 'ip' && v[2] === 'address' && v[3] === 'prefix-list' ? 'prefix-list' : null;
    if (neg && kind !== null) return void (e.matches = e.matches.filter((x) => x.kind !== kind));
    if (m === null) return problem(`"${t}" (route-map) is not implemented in VirtNet (match ip address prefix-list NAME, match as-path NAME and match community NAME [exact-match] are) and is ignored`);
    e.matches = [...e.matches.filter((x) => x.kind !== m.kind), m];
    return;
  }
  if (v[0] === 'set') {
    const kind = v[1] === 'local-preference' ? 'local-preference' : v[1] === 'metric' ? 'metric' : v[1] === 'weight' ? 'weight' : v[1] === 'as-path' && v[2] === 'prepend' ? 'as-path-prepend' : v[1] === 'community' ? 'community' : null;
    if (neg && kind !== null) return void (e.sets = e.sets.filter((x) => x.kind !== kind));
    const s = setClause(v, kind);
    if (s === null) return problem(`"${t}" (route-map) is not implemented in VirtNet (set local-preference N, set metric N, set weight N, set as-path prepend ASN…, set community AA:NN…|none [additive] are) and is ignored`);
    e.sets = [...e.sets.filter((x) => x.kind !== s.kind), s];
    return;
  }
  problem(`"${t}" (route-map) is not implemented in VirtNet and is ignored`);
}

function setClause(v: string[], kind: RouteMapSet['kind'] | null): RouteMapSet | null {
  switch (kind) {
    case null:
      return null;
    case 'local-preference':
    case 'metric': {
      const n = v.length === 3 ? num(v[2], 4294967295) : null;
      return n === null ? null : { kind, value: n };
    }
    case 'weight': {
      const n = v.length === 3 ? num(v[2], 4294967295) : null;
      return n === null ? null : { kind, value: n };
    }
    case 'as-path-prepend': {
      const asns = v.slice(3).map((s) => num(s, 4294967295));
      // FRR takes up to 10 ASes per prepend statement here; `last-as N` is not implemented.
      if (asns.length === 0 || asns.length > 10 || asns.some((a) => a === null || a === 0)) return null;
      return { kind, asns: asns as number[] };
    }
    case 'community': {
      if (v[2] === 'none' && v.length === 3) return { kind, values: [], additive: false };
      const additive = v[v.length - 1] === 'additive';
      const values = v.slice(2, additive ? -1 : undefined).map(parseCommunity);
      if (values.length === 0 || values.some((x) => x === null)) return null;
      return { kind, values: sortCommunities(values as number[]), additive };
    }
    default:
      return kind satisfies never;
  }
}

/** How vtysh shows a match or set clause (`ip address prefix-list PL`, `as-path prepend 1 1`). */
export function formatMatch(m: RouteMapMatch): string {
  switch (m.kind) {
    case 'prefix-list':
      return `ip address prefix-list ${m.name}`;
    case 'as-path':
      return `as-path ${m.name}`;
    case 'community':
      return `community ${m.name}${m.exact ? ' exact-match' : ''}`;
    default:
      return m satisfies never;
  }
}

export function formatSet(s: RouteMapSet): string {
  switch (s.kind) {
    case 'local-preference':
    case 'metric':
    case 'weight':
      return `${s.kind} ${s.value}`;
    case 'as-path-prepend':
      return `as-path prepend ${s.asns.join(' ')}`;
    case 'community':
      return `community ${s.values.length === 0 ? 'none' : s.values.map(formatCommunity).join(' ')}${s.additive ? ' additive' : ''}`;
    default:
      return s satisfies never;
  }
}
