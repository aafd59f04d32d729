// The traffic record (DESIGN decision 4): every tx, rx, fwd and drop, written on the hot
// path into a bounded ring of parallel typed arrays plus frame references (frames are
// immutable once transmitted, but for the bytes a router may rewrite in place: the ring
// keeps those aside, stack/frame-alloc.ts), and turned into TrafficEvent objects (TrafficEvents) only
// when a consumer drains or listens. Recording must not summarize, allocate or name
// things per packet; names come from the World through TraceNames when events are built.
// While the world explains, a parallel column keeps each record's decision (else it is absent),
// and drained events carry a copy of their frame.

import { summarizeFrame, type FrameSummary } from '../wire/decode';
import type { Decision } from '../stack/explain';
import { REWRITABLE_BYTES, REWRITE_MIN_BYTES, rewritableEqual, saveRewritable, swapRewritable } from '../stack/frame-alloc';
import type { TrafficEvent } from './protocol';

/** Action codes stored in the ring; order matches TRAFFIC_ACTIONS. */
export const ACTION = { TX: 0, RX: 1, FWD: 2, DROP: 3, DELIVER: 4 } as const;
export type ActionCode = (typeof ACTION)[keyof typeof ACTION];
export const TRAFFIC_ACTIONS = ['tx', 'rx', 'fwd', 'drop', 'deliver'] as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvU32(h: number, v: number): number {
  h = Math.imul(h ^ (v & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((v >>> 8) & 0xff), FNV_PRIME);
  h = Math.imul(h ^ ((v >>> 16) & 0xff), FNV_PRIME);
  return Math.imul(h ^ (v >>> 24), FNV_PRIME);
}

/** Fields of one record in the ring's number column (REC_STRIDE numbers per slot). */
const REC = { TIME: 0, FRAME_ID: 1, ARRIVE: 2, EVENT_COUNT: 3, IFACE: 4, IFACE2: 5, LINK: 6, ACTION_REASON: 7 } as const;
/** Numbers per record: a power of two, so a slot's first field is `slot << 3`. */
const REC_STRIDE = 8;

/**
 * Ring buffer of traffic records. When it fills before a consumer drains it, the oldest
 * records are overwritten and counted in `skipped`, so the event stream says what it lost.
 * A record's numbers sit side by side in one Float64Array (REC fields): one array to write
 * per record on the hot path instead of one per field. Integers (interfaces, link, the
 * action and reason bytes) are exact in a double.
 */
export class TrafficRecord {
  private readonly mask: number;
  private readonly nums: Float64Array;
  readonly frames: (Uint8Array | null)[];
  /**
   * Per slot, the REWRITABLE bytes of a frame longer than REWRITE_MIN_BYTES as they were
   * when recorded: a router may rewrite them in place later (stack/frame-alloc.ts), and
   * `withRecordedBytes` puts them back while an event is built.
   */
  private readonly heads: Uint8Array;
  /** Why, per slot (stack/explain.ts): present only while the world explains, so recording stays as cheap when it does not. */
  decisions: (Decision | null)[] | null = null;
  private head = 0;
  private count = 0;
  /** Records lost (overwritten or sampled away) since the last `takeSkipped`. */
  private skipped = 0;
  /** Total records ever written. */
  total = 0;
  /** FNV-1a over (time, iface, action, frame bytes) of every record, when hashing. */
  private hash = FNV_OFFSET;
  /** Reason strings by code; code 0 is "none". */
  private readonly reasonCodes = new Map<string, number>([['', 0]]);
  readonly reasonNames: string[] = [''];

  constructor(
    capacity = 1 << 16,
    /** Hash every record for determinism tests (costs a pass over the frame bytes). */
    readonly hashing = true,
    /** The scheduler whose event count each record keeps (none: 0). */
    private readonly clock: { executed(): number } = { executed: () => 0 },
  ) {
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    this.mask = cap - 1;
    this.nums = new Float64Array(cap * REC_STRIDE);
    this.frames = new Array(cap).fill(null);
    this.heads = new Uint8Array(cap * REWRITABLE_BYTES);
  }

  reasonCode(reason: string): number {
    let c = this.reasonCodes.get(reason);
    if (c === undefined) {
      c = this.reasonNames.length;
      if (c > 255) c = 255; // more than 255 distinct reasons: lump the rest (never expected)
      else {
        this.reasonCodes.set(reason, c);
        this.reasonNames.push(reason);
      }
    }
    return c;
  }

  record(action: ActionCode, timeNs: number, frameId: number, iface: number, iface2: number, link: number, arriveNs: number, reason: number, frame: Uint8Array): void {
    let i: number;
    if (this.count <= this.mask) i = (this.head + this.count++) & this.mask;
    else {
      i = this.head;
      this.head = (this.head + 1) & this.mask;
      this.skipped++;
    }
    const n = this.nums;
    const k = i << 3;
    n[k + REC.TIME] = timeNs;
    n[k + REC.FRAME_ID] = frameId;
    n[k + REC.ARRIVE] = arriveNs;
    n[k + REC.EVENT_COUNT] = this.clock.executed();
    n[k + REC.IFACE] = iface;
    n[k + REC.IFACE2] = iface2;
    n[k + REC.LINK] = link;
    n[k + REC.ACTION_REASON] = action | (reason << 8);
    this.frames[i] = frame;
    if (frame.length > REWRITE_MIN_BYTES) saveRewritable(frame, this.heads, i * REWRITABLE_BYTES);
    this.total++;
    if (this.hashing) this.hashRecord(timeNs, iface, action, frame);
  }

  private hashRecord(timeNs: number, iface: number, action: number, frame: Uint8Array): void {
    let h = this.hash;
    h = fnvU32(h, timeNs % 4294967296);
    h = fnvU32(h, Math.floor(timeNs / 4294967296));
    h = fnvU32(h, iface);
    h = Math.imul(h ^ action, FNV_PRIME);
    for (let k = 0; k < frame.length; k++) h = Math.imul(h ^ frame[k], FNV_PRIME);
    this.hash = h;
  }

  /** Hash of everything recorded so far (hex), for determinism tests. */
  traceHash(): string {
    return (this.hash >>> 0).toString(16).padStart(8, '0');
  }

  /** True when slot `i`'s frame was rewritten in place by a router after it was recorded. */
  rewrittenSince(i: number): boolean {
    const frame = this.frames[i]!;
    return frame.length > REWRITE_MIN_BYTES && !rewritableEqual(frame, this.heads, i * REWRITABLE_BYTES);
  }

  /** True when slots `i` and `j`, which hold the same frame, recorded it with the same bytes (no router rewrote it in between). */
  sameRecordedBytes(i: number, j: number): boolean {
    if (this.frames[i]!.length <= REWRITE_MIN_BYTES) return true;
    const h = this.heads;
    const a = i * REWRITABLE_BYTES;
    const b = j * REWRITABLE_BYTES;
    for (let k = 0; k < REWRITABLE_BYTES; k++) if (h[a + k] !== h[b + k]) return false;
    return true;
  }

  /**
   * Exchanges slot `i`'s frame's rewritten bytes with those recorded: the frame then reads
   * as when recorded, and the second call makes it as it is now again. Only between two
   * events (nothing else runs meanwhile), for a slot that `rewrittenSince`.
   */
  swapRecorded(i: number): void {
    swapRewritable(this.frames[i]!, this.heads, i * REWRITABLE_BYTES);
  }

  /** Turn the per-record decisions on (an empty column) or off (none kept). */
  setExplaining(on: boolean): void {
    this.decisions = on ? new Array<Decision | null>(this.mask + 1).fill(null) : null;
  }

  /**
   * Events the scheduler had executed when record number `r` (0 = the first ever) was
   * written, or null once the ring has overwritten it. Record r always sits in slot r & mask:
   * each record takes the slot after the previous one's, drained or not.
   */
  eventCountOf(r: number): number | null {
    if (!(r >= 0 && r < this.total && this.total - r <= this.mask + 1)) return null;
    return this.nums[((r & this.mask) << 3) + REC.EVENT_COUNT];
  }

  // Fields of the record in ring slot `i` (a slot lastSlot or drainWith gave).
  timeAt(i: number): number {
    return this.nums[(i << 3) + REC.TIME];
  }
  frameIdAt(i: number): number {
    return this.nums[(i << 3) + REC.FRAME_ID];
  }
  /** Arrival time of a tx, the firewall rule of a drop, else -1. */
  arriveAt(i: number): number {
    return this.nums[(i << 3) + REC.ARRIVE];
  }
  /** World interface, or -2 - node index for a node without one. */
  ifaceAt(i: number): number {
    return this.nums[(i << 3) + REC.IFACE];
  }
  /** The interface a forwarded frame came in on, or -1. */
  iface2At(i: number): number {
    return this.nums[(i << 3) + REC.IFACE2];
  }
  linkAt(i: number): number {
    return this.nums[(i << 3) + REC.LINK];
  }
  actionAt(i: number): ActionCode {
    return (this.nums[(i << 3) + REC.ACTION_REASON] & 0xff) as ActionCode;
  }
  reasonAt(i: number): number {
    return this.nums[(i << 3) + REC.ACTION_REASON] >>> 8;
  }

  /** Ring slot of the most recent record (for eager listeners), or -1. */
  lastSlot(): number {
    return this.count === 0 ? -1 : (this.head + this.count - 1) & this.mask;
  }

  pending(): number {
    return this.count;
  }

  /**
   * Visit up to `max` records, oldest first, calling `build(this, i)` with the ring slot and
   * collecting its results. When more are pending, the oldest surplus is discarded and
   * counted as skipped (the UI keeps the most recent picture). No per-record allocation here.
   */
  drainWith<T>(max: number, build: (rec: TrafficRecord, slot: number) => T, out: T[] = []): T[] {
    if (this.count > max) {
      const drop = this.count - max;
      for (let k = 0; k < drop; k++) this.frames[(this.head + k) & this.mask] = null;
      if (this.decisions !== null) for (let k = 0; k < drop; k++) this.decisions[(this.head + k) & this.mask] = null;
      this.head = (this.head + drop) & this.mask;
      this.count = max;
      this.skipped += drop;
    }
    while (this.count > 0) {
      const i = this.head;
      out.push(build(this, i));
      this.frames[i] = null;
      if (this.decisions !== null) this.decisions[i] = null;
      this.head = (i + 1) & this.mask;
      this.count--;
    }
    return out;
  }

  /** Skipped records since the previous call. */
  takeSkipped(): number {
    const s = this.skipped;
    this.skipped = 0;
    return s;
  }
}

/** A frame's summary (and bytes, while explaining) as recorded in ring slot `slot`: reused for its other records with the same recorded bytes. */
interface BuiltFrame {
  slot: number;
  summary: FrameSummary;
  bytes: Uint8Array | undefined;
}

/** How the World names what the record stores as indexes. */
export interface TraceNames {
  /** Node id owning world interface `g`. */
  ifaceNodeId(g: number): string;
  /** Interface name of world interface `g`. */
  ifaceName(g: number): string;
  /** Node id by node index. */
  nodeId(index: number): string;
  linkId(index: number): string;
}

/**
 * Builds TrafficEvents from the record: drained in batches (the engine, once per tick) or
 * one by one as they happen for listeners (tests and the CLI).
 */
export class TrafficEvents {
  private readonly listeners: ((e: TrafficEvent) => void)[] = [];
  /** True while someone listens: the hot path checks this one field. */
  listening = false;

  constructor(
    readonly record: TrafficRecord,
    private readonly names: TraceNames,
  ) {}

  listen(listener: (e: TrafficEvent) => void): () => void {
    this.listeners.push(listener);
    this.listening = true;
    return () => {
      const k = this.listeners.indexOf(listener);
      if (k >= 0) this.listeners.splice(k, 1);
      this.listening = this.listeners.length > 0;
    };
  }

  /** Hand the most recent record to the listeners (the ring keeps it for `drain` too). */
  emitLast(): void {
    const slot = this.record.lastSlot();
    if (slot < 0) return;
    const e = this.build(slot, new Map());
    for (const l of this.listeners) l(e);
  }

  /** Build up to `max` pending events (the most recent), and how many were skipped. */
  drain(max: number): { events: TrafficEvent[]; skipped: number } {
    // One frame shows up as fwd, tx and rx: summarize each version of it once (a version
    // lasts until a router rewrites it in place, stack/frame-alloc.ts). While explaining,
    // each event carries its frame (the explain view's tree and hex): one copy per version,
    // shared by its events, so a slab (frame-alloc.ts) is never sent whole.
    const cache = new Map<Uint8Array, BuiltFrame>();
    const withBytes = this.record.decisions !== null;
    const events = this.record.drainWith(max, (_rec, i) => this.build(i, cache, withBytes));
    return { events, skipped: this.record.takeSkipped() };
  }

  private build(i: number, cache: Map<Uint8Array, BuiltFrame>, withBytes = false): TrafficEvent {
    const rec = this.record;
    const names = this.names;
    const frame = rec.frames[i]!;
    let built = cache.get(frame);
    if (built === undefined || !rec.sameRecordedBytes(i, built.slot)) {
      // The frame as recorded: a router may have rewritten it in place since
      // (stack/frame-alloc.ts); then it is read with its recorded bytes swapped in.
      const rewritten = rec.rewrittenSince(i);
      if (rewritten) rec.swapRecorded(i);
      try {
        built = { slot: i, summary: summarizeFrame(frame), bytes: withBytes ? frame.slice() : undefined };
      } finally {
        if (rewritten) rec.swapRecorded(i);
      }
      cache.set(frame, built);
    }
    const s = built.summary;
    const bytes = built.bytes;
    const action = rec.actionAt(i);
    const g = rec.ifaceAt(i);
    const e: TrafficEvent = {
      type: 'traffic',
      frame: rec.frameIdAt(i),
      timeNs: rec.timeAt(i),
      action: TRAFFIC_ACTIONS[action],
      // No interface (e.g. a local send with no route): the node is encoded as -2 - index.
      node: g >= 0 ? names.ifaceNodeId(g) : g <= -2 ? names.nodeId(-2 - g) : '',
      proto: s.proto,
      summary: s.info,
      lengthBytes: frame.length,
    };
    if (g >= 0) e.iface = names.ifaceName(g);
    if (s.tcpFlags !== undefined) e.tcpFlags = s.tcpFlags;
    const g2 = rec.iface2At(i);
    if (g2 >= 0) e.fromIface = names.ifaceName(g2);
    const l = rec.linkAt(i);
    if (l >= 0) e.link = names.linkId(l);
    const reason = rec.reasonAt(i);
    if (action === ACTION.DROP || action === ACTION.DELIVER || (action === ACTION.TX && reason !== 0)) e.reason = rec.reasonNames[reason];
    if (action === ACTION.TX) e.arriveNs = rec.arriveAt(i);
    if (action === ACTION.DROP && rec.arriveAt(i) >= 0) e.rule = rec.arriveAt(i);
    const d = rec.decisions?.[i];
    if (d != null) e.decision = d;
    if (bytes !== undefined) e.bytes = bytes;
    return e;
  }
}

/** Run-time warnings kept until taken (older ones past `max` are counted, not kept). */
export class Notices {
  private pending: string[] = [];
  private lost = 0;
  private readonly seen = new Set<string>();

  constructor(readonly max: number) {}

  /** Queue a warning; with `onceKey`, only the first with that key is queued. */
  add(message: string, onceKey?: string): void {
    if (onceKey !== undefined) {
      if (this.seen.has(onceKey)) return;
      this.seen.add(onceKey);
    }
    if (this.pending.length >= this.max) {
      this.lost++;
      return;
    }
    this.pending.push(message);
  }

  /** Like add, but builds the text only when there is room to keep it. */
  addLazy(message: () => string): void {
    if (this.pending.length >= this.max) {
      this.lost++;
      return;
    }
    this.pending.push(message());
  }

  /** Warnings since the last call, oldest first, then how many were not kept. */
  take(): string[] {
    const out = this.pending;
    this.pending = [];
    if (this.lost > 0) out.push(`${this.lost} more warnings were not kept`);
    this.lost = 0;
    return out;
  }
}
