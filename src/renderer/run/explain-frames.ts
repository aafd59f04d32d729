// The packet before and after a node's decision, for the explain view: the frame as the
// node received it (the decision's rx) and as it sent it (its fwd or tx: the forwarded copy
// with the TTL and checksum changed, the NAT-rewritten one, the echo reply), found among
// the timeline's events of the same instant, and the bytes and fields that differ. Pure;
// no React, no DOM, no engine.
import type { TrafficEvent } from '../../emulator/engine/protocol';
import type { FieldNode } from './hex-map';
import type { Timeline } from './timeline';

export interface FramePair {
  /** The frame as the node received it (null for the node's own sends). */
  received: TrafficEvent | null;
  /** The frame it sent because of it (null when it sent nothing: delivered or dropped). */
  sent: TrafficEvent | null;
}

/** Same decision: the same object (one batch keeps identity), else same node, instant, input and steps. */
function sameDecision(x: TrafficEvent, e: TrafficEvent): boolean {
  const a = x.decision;
  const b = e.decision;
  if (a === undefined || b === undefined) return false;
  return a === b || (x.node === e.node && x.timeNs === e.timeNs && a.in === b.in && a.steps.length === b.steps.length);
}

const isSend = (e: TrafficEvent) => e.action === 'fwd' || e.action === 'tx';

/** The received and sent frames of `e`'s decision (the selected event stands for its own side). */
export function framesAround(timeline: Timeline, e: TrafficEvent): FramePair {
  const own: FramePair = { received: e.action === 'rx' ? e : null, sent: isSend(e) ? e : null };
  const i = timeline.indexOf(e);
  if (e.decision === undefined || i < 0) return own;
  let lo = i;
  while (lo > 0 && timeline.at(lo - 1)!.timeNs === e.timeNs) lo--;
  const pair = { ...own };
  const sends: TrafficEvent[] = [];
  for (let k = lo; k < timeline.size; k++) {
    const x = timeline.at(k)!;
    if (x.timeNs !== e.timeNs) break;
    if (!sameDecision(x, e)) continue;
    if (pair.received === null && x.action === 'rx' && e.decision.in !== undefined && x.iface === e.decision.in) pair.received = x;
    else if (isSend(x) && pair.received !== null) sends.push(x);
  }
  // What it sent because of it: the forwarded datagram, else a frame of the same protocol
  // (the echo reply), else whatever it sent (the ARP request for a held packet).
  const proto = pair.received?.proto;
  pair.sent ??= sends.find((x) => x.action === 'fwd') ?? sends.find((x) => x.proto === proto) ?? sends[0] ?? null;
  return pair;
}

/** Whether the two frames are one packet's before and after (so their bytes compare). */
export function comparable(p: FramePair): boolean {
  return p.received !== null && p.sent !== null && p.received.proto === p.sent.proto && p.received.bytes !== undefined && p.sent.bytes !== undefined;
}

/** 1 at each offset where the two frames differ (a byte only one of them has differs too). */
export function changedBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = Math.max(a.length, b.length);
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) if (k >= a.length || k >= b.length || a[k] !== b[k]) out[k] = 1;
  return out;
}

/** Whether any byte of `field` changed. */
export function fieldChanged(field: FieldNode, changed: Uint8Array): boolean {
  const end = Math.min(changed.length, field.offset + field.length);
  for (let k = Math.max(0, field.offset); k < end; k++) if (changed[k] === 1) return true;
  return false;
}

/** Names of the leaf fields whose bytes changed, in tree order (`Time to Live`, `Header Checksum` …). */
export function changedFieldNames(tree: FieldNode[], changed: Uint8Array): string[] {
  const out: string[] = [];
  const visit = (list: FieldNode[]) => {
    for (const f of list) {
      if (f.children?.length) visit(f.children);
      else if (f.length > 0 && fieldChanged(f, changed)) out.push(f.name);
    }
  };
  visit(tree);
  return out;
}
