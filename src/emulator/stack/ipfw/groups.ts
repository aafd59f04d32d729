// Rule-set layout for speed (as ipfw tables do by hand): a run of consecutive rules that
// differ only in their source (or destination) prefix and share a terminal action becomes
// one hashed lookup, so 1,000 `deny udp from NET to any` rules cost about as much as one.
// First-match order is kept: the lowest-numbered rule of the run that matches decides and
// is the one counted. Built lazily, dropped on every ruleset change. Must not act on packets.

import type { Firewall, FwAddrMatch, FwRule } from './types';

/** A run of rules [start, end) keyed by the varying address: prefix length → masked address → rule index. */
export interface FwGroup {
  start: number;
  end: number;
  /** 12 (source) or 16 (destination): which address varies. */
  field: 12 | 16;
  lens: number[];
  byLen: Map<number, Map<number, number>>;
}

export const GROUP_MIN = 8;

function sameAddr(a: FwAddrMatch, b: FwAddrMatch): boolean {
  return a.not === b.not && JSON.stringify(a.addr) === JSON.stringify(b.addr);
}

/** Everything but the varying address (and the counters) is equal. */
function sameShape(a: FwRule, b: FwRule, field: 12 | 16): boolean {
  return (
    JSON.stringify(a.action) === JSON.stringify(b.action) &&
    a.proto === b.proto &&
    a.dir === b.dir &&
    JSON.stringify(a.srcPorts) === JSON.stringify(b.srcPorts) &&
    JSON.stringify(a.dstPorts) === JSON.stringify(b.dstPorts) &&
    JSON.stringify(a.ifaces) === JSON.stringify(b.ifaces) &&
    a.setup === b.setup &&
    a.established === b.established &&
    a.icmpTypes === b.icmpTypes &&
    a.log === b.log &&
    a.chain === b.chain &&
    a.ctMask === b.ctMask &&
    (field === 12 ? sameAddr(a.dst, b.dst) : sameAddr(a.src, b.src))
  );
}

function groupable(r: FwRule, field: 12 | 16): boolean {
  const k = r.action.kind;
  const m = field === 12 ? r.src : r.dst;
  return !r.keepState && (k === 'allow' || k === 'deny' || k === 'unreach') && m.addr.kind === 'net' && !m.not;
}

/** Groups indexed by their first rule (null elsewhere). */
export function buildGroups(fw: Firewall): (FwGroup | null)[] {
  const rules = fw.rules;
  const out: (FwGroup | null)[] = rules.map(() => null);
  let i = 0;
  while (i < rules.length) {
    let best: FwGroup | null = null;
    for (const field of [12, 16] as const) {
      if (!groupable(rules[i], field)) continue;
      let j = i + 1;
      while (j < rules.length && groupable(rules[j], field) && sameShape(rules[i], rules[j], field)) j++;
      if (j - i >= GROUP_MIN && (best === null || j > best.end)) best = { start: i, end: j, field, lens: [], byLen: new Map() };
    }
    if (best === null) {
      i++;
      continue;
    }
    for (let k = best.end - 1; k >= best.start; k--) {
      const a = (best.field === 12 ? rules[k].src : rules[k].dst).addr;
      if (a.kind !== 'net') continue;
      let m = best.byLen.get(a.len);
      if (m === undefined) best.byLen.set(a.len, (m = new Map()));
      m.set(a.addr | 0, k); // walking backwards: the lowest index wins
    }
    best.lens = [...best.byLen.keys()].sort((x, y) => y - x);
    out[i] = best;
    i = best.end;
  }
  return out;
}

/** Index of the first rule of the group whose prefix holds `addr`, or -1. */
export function groupLookup(g: FwGroup, addr: number): number {
  let hit = -1;
  for (let k = 0; k < g.lens.length; k++) {
    const len = g.lens[k];
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) | 0;
    const idx = g.byLen.get(len)!.get(addr & mask);
    if (idx !== undefined && (hit < 0 || idx < hit)) hit = idx;
  }
  return hit;
}
