// What ospfd (OSPFv2) and ospf6d (OSPFv3) do alike: LSA ages in virtual time, which of two
// LSA instances is newer, zebra's router id, and the DR/BDR election over candidates that
// each daemon describes in its own terms (interface address in v2, router id in v3).
// RFC 2328 §13.1 (newer LSA), §9.4 (election); RFC 5340 §4.2 (v3 elects by router id).

import type { NetStack } from '../../stack/types';
import { lsaKey, NBR_ORDER, type NbrState } from './ospfd-types';

const S = 1_000_000_000;
const MAX_AGE_S = 3600;

interface Stored<H extends { age: number }> {
  hdr: H;
  bytes: Uint8Array;
  /** When it was installed: the age grows from hdr.age by the seconds since. */
  installedNs: number;
}

export function ageOf(d: { stack: NetStack }, l: Stored<{ age: number }>): number {
  return Math.min(MAX_AGE_S, l.hdr.age + Math.floor((d.stack.env.sim.now() - l.installedNs) / S));
}

/** The LSA as sent now: its age updated (InfTransDelay 1 s; age is not checksummed). */
export function lsaNow(d: { stack: NetStack }, l: Stored<{ age: number }>): Uint8Array {
  const b = l.bytes.slice();
  const age = Math.min(MAX_AGE_S, ageOf(d, l) + 1);
  b[0] = age >> 8;
  b[1] = age & 255;
  return b;
}

export function hdrNow<H extends { age: number }>(d: { stack: NetStack }, l: Stored<H>): H {
  return { ...l.hdr, age: ageOf(d, l) };
}

/** -1, 0, 1: whether `a` is older, the same instance, or newer than `b` (RFC 2328 §13.1). */
export function compareLsa(a: { seq: number; checksum: number; age: number }, b: { seq: number; checksum: number; age: number }): number {
  if (a.seq !== b.seq) return a.seq > b.seq ? 1 : -1;
  if (a.checksum !== b.checksum) return a.checksum > b.checksum ? 1 : -1;
  const am = a.age >= MAX_AGE_S;
  const bm = b.age >= MAX_AGE_S;
  if (am !== bm) return am ? 1 : -1;
  return 0;
}

/** zebra's router id: the highest loopback address outside 127/8, else the highest interface address. */
export function zebraRouterId(stack: NetStack): number {
  const pick = (lo: boolean) => Math.max(0, ...stack.ifaces.filter((i) => i.loopback === lo).flatMap((i) => i.addrs.map((a) => a.addr >>> 0).filter((a) => a >>> 24 !== 127)));
  return pick(true) || pick(false);
}

/** A router on the network as the election sees it: `id` is what DR/BDR fields hold. */
export interface DrCandidate {
  id: number;
  rid: number;
  pri: number;
  dr: number;
  bdr: number;
}

function better(a: DrCandidate, b: DrCandidate | null): boolean {
  return b === null || a.pri > b.pri || (a.pri === b.pri && a.rid > b.rid);
}

/**
 * The DR and BDR (ids, 0 for none) among `others` (eligible neighbors in 2-Way or more)
 * and `self` (null when ineligible), run again when our own role changes (§9.4 step 4).
 */
export function electDrBdr(others: DrCandidate[], self: DrCandidate | null): { dr: number; bdr: number } {
  const run = (me: DrCandidate | null): { dr: number; bdr: number } => {
    const cands = me === null ? others : [...others, me];
    let bdr: DrCandidate | null = null;
    for (const c of cands) if (c.dr !== c.id && c.bdr === c.id && better(c, bdr)) bdr = c;
    if (bdr === null) for (const c of cands) if (c.dr !== c.id && better(c, bdr)) bdr = c;
    let dr: DrCandidate | null = null;
    for (const c of cands) if (c.dr === c.id && better(c, dr)) dr = c;
    if (dr === null) dr = bdr;
    let bdrId = dr === bdr ? 0 : (bdr?.id ?? 0);
    if (dr === bdr && dr !== null) {
      let b2: DrCandidate | null = null;
      for (const c of cands) if (c !== dr && better(c, b2)) b2 = c;
      bdrId = b2?.id ?? 0;
    }
    return { dr: dr?.id ?? 0, bdr: bdrId };
  };
  const first = run(self);
  if (self === null) return first;
  const isMe = (x: number) => x === self.id;
  if (isMe(first.dr) === isMe(self.dr) && isMe(first.bdr) === isMe(self.bdr)) return first;
  return run({ ...self, dr: first.dr, bdr: first.bdr });
}

type Hdr = { type: number; id: number; adv: number; seq: number; checksum: number; age: number };

/** A Link State Acknowledgment: each LSA acknowledged leaves the neighbor's retransmission list (§13.7). */
export function ackInput(n: { state: NbrState; rxmt: Map<string, { hdr: Hdr }> }, headers: Hdr[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  for (const h of headers) {
    const key = lsaKey(h.type, h.id, h.adv);
    const l = n.rxmt.get(key);
    if (l !== undefined && compareLsa(h, l.hdr) === 0) n.rxmt.delete(key);
  }
}
