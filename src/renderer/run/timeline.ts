// The simulation timeline's model: every traffic event the engine sent this run, kept in
// arrival order up to TIMELINE_MAX (the oldest are dropped and counted), and queried into
// an index list the virtualised view reads. Filters: protocol, node, link, drops only, a
// packet's journey, and a display-filter expression (the capture view's language,
// filter/display-filter.ts; plain words match the row's text). A query runs in slices and
// goes on from where it was when events are appended, so a million rows never block a
// frame. Frame bytes (present while explaining) are kept for the newest TIMELINE_FRAMES_MAX
// events only. Pure; no React, no DOM, no engine.
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { summarizeFrame, type FrameSummary } from '../../emulator/wire/decode';
import { compileFilter, type FilterPredicate, type FilterRow } from './capture-filter';

/** Events kept per run (about 200 bytes each without decisions). */
export const TIMELINE_MAX = 1_000_000;
/** Events that keep their frame's bytes (the newest; as many as a capture keeps rows). */
export const TIMELINE_FRAMES_MAX = 50_000;

export interface TimelineFilter {
  proto: string;
  node: string;
  link: string;
  dropsOnly: boolean;
  /** A display-filter expression (icmp && ip.src==10.0.0.1); plain words must appear in the row's text. */
  text: string;
  /** Only the hops of this packet (see journeyKey). */
  journey: string | null;
}

export const NO_FILTER: TimelineFilter = { proto: '', node: '', link: '', dropsOnly: false, text: '', journey: null };

/**
 * The key of one packet across its hops: its summary without what routers change (TTL,
 * hop limit), with its protocol. An echo request keeps its id and seq on every hop, so
 * its journey is all events with the same key.
 */
export function journeyKey(e: Pick<TrafficEvent, 'proto' | 'summary'>): string {
  return `${e.proto}|${journeyLabel(e)}`;
}

/** The packet a journey follows, as people read it: its summary without what changes per hop. */
export function journeyLabel(e: Pick<TrafficEvent, 'summary'>): string {
  return e.summary.replace(/,?\s*(ttl|hlim)=\d+/g, '').trim();
}

/** The nodes and links a followed packet went through (for the canvas). */
export interface JourneyPath {
  key: string;
  /** What the packet is, for the canvas's "Following …" chip. */
  label: string;
  nodes: string[];
  links: string[];
}

/** `path` with the hops of its packet among `events` added (the same object when none are new). */
export function extendJourney(path: JourneyPath, events: Iterable<TrafficEvent>): JourneyPath {
  const nodes = new Set(path.nodes);
  const links = new Set(path.links);
  for (const e of events) {
    if (journeyKey(e) !== path.key) continue;
    if (e.node !== '') nodes.add(e.node);
    if (e.link !== undefined) links.add(e.link);
  }
  return nodes.size === path.nodes.length && links.size === path.links.length ? path : { ...path, nodes: [...nodes], links: [...links] };
}

/** The filter's expression compiled (null when empty: no per-row work), or why it cannot be. */
export function compileTimelineText(text: string): { ok: true; match: FilterPredicate | null } | { ok: false; error: string } {
  return text.trim() === '' ? { ok: true, match: null } : compileFilter(text);
}

export class Timeline {
  private events: TrafficEvent[] = [];
  /** Events let go from the front so far: event `i` of the run is `at(i - lost)`. */
  lost = 0;
  /** Bumped on every change. */
  version = 0;
  /** Bumped when events go away other than from the front (clear, step back): queries start over. */
  generation = 0;
  /** Kept events that still hold their frame's bytes, and the run index to strip next. */
  private framesKept = 0;
  private stripAt = 0;

  constructor(
    readonly max = TIMELINE_MAX,
    readonly framesMax = TIMELINE_FRAMES_MAX,
  ) {}

  get size(): number {
    return this.events.length;
  }

  at(i: number): TrafficEvent | undefined {
    return this.events[i];
  }

  /** The kept events, oldest first (read only). */
  all(): readonly TrafficEvent[] {
    return this.events;
  }

  /** Index in `at` terms of an event object (binary search by time, then a scan); -1 when gone. */
  indexOf(e: TrafficEvent): number {
    const ev = this.events;
    let lo = 0;
    let hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ev[mid].timeNs < e.timeNs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ev.length && ev[i].timeNs === e.timeNs; i++) if (ev[i] === e) return i;
    return -1;
  }

  push(batch: readonly TrafficEvent[]): void {
    if (batch.length === 0) return;
    for (const e of batch) {
      this.events.push(e);
      if (e.bytes !== undefined) this.framesKept++;
    }
    const over = this.events.length - this.max;
    if (over > 0) {
      // Drop in blocks of a tenth so a full timeline is not copied on every batch.
      const cut = Math.max(over, Math.floor(this.max / 10));
      for (let k = 0; k < cut; k++) if (this.events[k].bytes !== undefined) this.framesKept--;
      this.events.splice(0, cut);
      this.lost += cut;
    }
    this.stripFrames();
    this.version++;
  }

  /** Lets the oldest events' bytes go until at most `framesMax` keep them. */
  private stripFrames(): void {
    if (this.stripAt < this.lost) this.stripAt = this.lost;
    while (this.framesKept > this.framesMax) {
      const e = this.events[this.stripAt - this.lost];
      if (e.bytes !== undefined) {
        e.bytes = undefined;
        this.framesKept--;
      }
      this.stripAt++;
    }
  }

  /**
   * Forget the events after `timeNs` (a step back: they have not happened yet), and past the
   * run's first `records` events when given (hops undone at the same instant go too).
   */
  truncateAfter(timeNs: number, records?: number): void {
    let n = this.events.length;
    const keep = records === undefined ? n : Math.max(0, Math.min(n, records - this.lost));
    while (n > 0 && (n > keep || this.events[n - 1].timeNs > timeNs)) if (this.events[--n].bytes !== undefined) this.framesKept--;
    if (n === this.events.length) return;
    this.events.length = n;
    this.stripAt = Math.min(this.stripAt, this.lost + n);
    this.version++;
    this.generation++;
  }

  clear(): void {
    this.events = [];
    this.lost = 0;
    this.framesKept = 0;
    this.stripAt = 0;
    this.version++;
    this.generation++;
  }

  /** Indexes (in `at` terms) of the events that pass `f` (and `predicate`), oldest first, all at once. */
  filter(f: TimelineFilter, nodeName: (id: string) => string = (id) => id): Int32Array {
    const compiled = compileTimelineText(f.text);
    if (!compiled.ok) throw new Error(compiled.error);
    const q = new TimelineQuery(this, f, compiled.match, nodeName);
    while (!q.advance(1 << 20)) {}
    return q.indices();
  }
}

/**
 * One filtering of the timeline, run in slices (`advance`) and continued over appended
 * events. Stores run indexes, so events let go from the front only shorten it.
 */
export class TimelineQuery {
  private readonly rows: number[] = [];
  /** Run index of the next event to look at. */
  private scanned: number;
  private first = 0;
  readonly generation: number;
  private readonly node: string;
  private readonly row: FilterRow = { proto: '', src: '', dst: '', info: '', lengthBytes: 0, where: '' };

  constructor(
    readonly timeline: Timeline,
    readonly f: TimelineFilter,
    readonly predicate: FilterPredicate | null,
    readonly nodeName: (id: string) => string,
  ) {
    this.generation = timeline.generation;
    this.scanned = timeline.lost;
    this.node = f.node.toLowerCase();
  }

  /** Looks at up to `budget` more events; true when every kept event has been looked at. */
  advance(budget: number): boolean {
    const t = this.timeline;
    if (this.scanned < t.lost) this.scanned = t.lost;
    const end = Math.min(t.lost + t.size, this.scanned + budget);
    for (let i = this.scanned; i < end; i++) if (this.passes(t.at(i - t.lost)!)) this.rows.push(i);
    this.scanned = end;
    return this.done;
  }

  get done(): boolean {
    return this.scanned >= this.timeline.lost + this.timeline.size;
  }

  /** Share of the kept events looked at (0 … 1). */
  get progress(): number {
    const t = this.timeline;
    return t.size === 0 ? 1 : Math.min(1, (this.scanned - t.lost) / t.size);
  }

  /** Rows found so far that are still kept. */
  get count(): number {
    this.skipLost();
    return this.rows.length - this.first;
  }

  /** The `k`-th row's index in `timeline.at` terms. */
  indexAt(k: number): number {
    this.skipLost();
    return this.rows[this.first + k] - this.timeline.lost;
  }

  /** Every row found so far, in `timeline.at` terms. */
  indices(): Int32Array {
    this.skipLost();
    const out = new Int32Array(this.rows.length - this.first);
    const lost = this.timeline.lost;
    for (let k = 0; k < out.length; k++) out[k] = this.rows[this.first + k] - lost;
    return out;
  }

  private skipLost(): void {
    const lost = this.timeline.lost;
    while (this.first < this.rows.length && this.rows[this.first] < lost) this.first++;
  }

  private passes(e: TrafficEvent): boolean {
    const f = this.f;
    if (f.dropsOnly && e.action !== 'drop') return false;
    if (f.proto !== '' && e.proto !== f.proto) return false;
    if (f.link !== '' && e.link !== f.link) return false;
    if (this.node !== '' && this.nodeName(e.node).toLowerCase() !== this.node && e.node.toLowerCase() !== this.node) return false;
    if (f.journey !== null && journeyKey(e) !== f.journey) return false;
    return this.predicate === null || this.predicate(this.filterRow(e));
  }

  /** The event as the display filter reads a capture row (one scratch object: the predicate keeps nothing). */
  private filterRow(e: TrafficEvent): FilterRow {
    const r = this.row;
    const io = rowIfaces(e);
    r.proto = e.proto;
    r.info = `${e.action} ${io.in} ${io.out} ${e.summary} ${e.reason ?? ''}`;
    r.lengthBytes = e.lengthBytes;
    r.where = `${this.nodeName(e.node)}:${e.iface ?? ''}`;
    r.bytes = e.bytes;
    if (e.bytes !== undefined) {
      const s = columnsOf(e.bytes);
      r.src = s.src;
      r.dst = s.dst;
    } else r.src = r.dst = '';
    return r;
  }
}

/** The Source and Destination columns of kept frames (as many as keep bytes: they go with them). */
const columns = new WeakMap<Uint8Array, FrameSummary>();

function columnsOf(bytes: Uint8Array): FrameSummary {
  let s = columns.get(bytes);
  if (s === undefined) columns.set(bytes, (s = summarizeFrame(bytes)));
  return s;
}

/** In and out interface of a row: rx and drops come in, tx goes out, a forward has both. */
export function rowIfaces(e: TrafficEvent): { in: string; out: string } {
  switch (e.action) {
    case 'tx':
      return { in: '', out: e.iface ?? '' };
    case 'fwd':
      return { in: e.fromIface ?? '', out: e.iface ?? '' };
    case 'rx':
    case 'drop':
    case 'deliver':
      return { in: e.iface ?? '', out: '' };
    default:
      return (e.action satisfies never, { in: '', out: '' });
  }
}
