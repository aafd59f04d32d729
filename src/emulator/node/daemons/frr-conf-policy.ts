// Reads FRR's routing-policy statements into plain records: `ip prefix-list NAME [seq N]
// permit|deny A.B.C.D/M|any [ge N] [le N]`, `bgp as-path access-list NAME [seq N]
// permit|deny REGEX` (and Quagga's `ip as-path access-list`), `route-map NAME permit|deny SEQ`
// with `match ip address prefix-list`, `match as-path`, `set local-preference|metric|weight`,
// `set as-path prepend`, and their `no` forms. A statement VirtNet does not implement is a
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

export type RouteMapMatch = { kind: 'prefix-list'; name: string } | { kind: 'as-path'; name: string };

export type RouteMapSet =
  | { kind: 'local-preference'; value: number }
  | { kind: 'metric'; value: number }
  | { kind: 'weight'; value: number }
  | { kind: 'as-path-prepend'; asns: number[] };

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
}

export function newPolicy(): PolicyConfig {
  return { prefixLists: new Map(), asPathLists: new Map(), routeMaps: new Map() };
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
          : null;
    const kind = v[1] === 'as-path' ? 'as-path' : v[1] === 'ip' && v[2] === 'address' && v[3] === 'prefix-list' ? 'prefix-list' : null;
    if (neg && kind !== null) return void (e.matches = e.matches.filter((x) => x.kind !== kind));
    if (m === null) return problem(`"${t}" (route-map) is not implemented in VirtNet (match ip address prefix-list NAME and match as-path NAME are) and is ignored`);
    e.matches = [...e.matches.filter((x) => x.kind !== m.kind), m];
    return;
  }
  if (v[0] === 'set') {
    const kind = v[1] === 'local-preference' ? 'local-preference' : v[1] === 'metric' ? 'metric' : v[1] === 'weight' ? 'weight' : v[1] === 'as-path' && v[2] === 'prepend' ? 'as-path-prepend' : null;
    if (neg && kind !== null) return void (e.sets = e.sets.filter((x) => x.kind !== kind));
    const s = setClause(v, kind);
    if (s === null) return problem(`"${t}" (route-map) is not implemented in VirtNet (set local-preference N, set metric N, set weight N, set as-path prepend ASN… are) and is ignored`);
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
    default:
      return kind satisfies never;
  }
}

/** How vtysh shows a match or set clause (`ip address prefix-list PL`, `as-path prepend 1 1`). */
export function formatMatch(m: RouteMapMatch): string {
  return m.kind === 'prefix-list' ? `ip address prefix-list ${m.name}` : `as-path ${m.name}`;
}

export function formatSet(s: RouteMapSet): string {
  switch (s.kind) {
    case 'local-preference':
    case 'metric':
    case 'weight':
      return `${s.kind} ${s.value}`;
    case 'as-path-prepend':
      return `as-path prepend ${s.asns.join(' ')}`;
    default:
      return s satisfies never;
  }
}
