// The simulation timeline's model: every traffic event the engine sent this run, kept in
// arrival order up to TIMELINE_MAX (the oldest are dropped and counted), and filtered into
// an index list the virtualised view reads. Filters: protocol, node, link, drops only, a
// packet's journey, and a text expression (words that must all appear in the row). Pure;
// no React, no DOM, no engine.
import type { TrafficEvent } from '../../emulator/engine/protocol';

/** Events kept per run (about 200 bytes each without decisions). */
export const TIMELINE_MAX = 1_000_000;

export interface TimelineFilter {
  proto: string;
  node: string;
  link: string;
  dropsOnly: boolean;
  /** Every word must appear in the row's text (node, interfaces, protocol, summary, reason). */
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
  return `${e.proto}|${e.summary.replace(/,?\s*(ttl|hlim)=\d+/g, '').trim()}`;
}

export class Timeline {
  private events: TrafficEvent[] = [];
  /** Index of the first kept event in `events` (dropped ones are spliced out in blocks). */
  lost = 0;
  /** Bumped on every change. */
  version = 0;

  constructor(readonly max = TIMELINE_MAX) {}

  get size(): number {
    return this.events.length;
  }

  at(i: number): TrafficEvent | undefined {
    return this.events[i];
  }

  push(batch: readonly TrafficEvent[]): void {
    if (batch.length === 0) return;
    for (const e of batch) this.events.push(e);
    const over = this.events.length - this.max;
    if (over > 0) {
      // Drop in blocks of a tenth so a full timeline is not copied on every batch.
      const cut = Math.max(over, Math.floor(this.max / 10));
      this.events.splice(0, cut);
      this.lost += cut;
    }
    this.version++;
  }

  /** Forget the events after `timeNs` (a step back: they have not happened yet). */
  truncateAfter(timeNs: number): void {
    let n = this.events.length;
    while (n > 0 && this.events[n - 1].timeNs > timeNs) n--;
    if (n === this.events.length) return;
    this.events.length = n;
    this.version++;
  }

  clear(): void {
    this.events = [];
    this.lost = 0;
    this.version++;
  }

  /** Indexes of the events that pass `f`, oldest first. */
  filter(f: TimelineFilter, nodeName: (id: string) => string = (id) => id): Int32Array {
    const ev = this.events;
    const words = f.text.toLowerCase().split(/\s+/).filter((w) => w !== '');
    const node = f.node.toLowerCase();
    if (f.proto === '' && node === '' && f.link === '' && !f.dropsOnly && words.length === 0 && f.journey === null) {
      const all = new Int32Array(ev.length);
      for (let i = 0; i < ev.length; i++) all[i] = i;
      return all;
    }
    const out: number[] = [];
    for (let i = 0; i < ev.length; i++) {
      const e = ev[i];
      if (f.dropsOnly && e.action !== 'drop') continue;
      if (f.proto !== '' && e.proto !== f.proto) continue;
      if (f.link !== '' && e.link !== f.link) continue;
      if (node !== '' && nodeName(e.node).toLowerCase() !== node && e.node.toLowerCase() !== node) continue;
      if (f.journey !== null && journeyKey(e) !== f.journey) continue;
      if (words.length > 0) {
        const text = rowText(e, nodeName).toLowerCase();
        if (!words.every((w) => text.includes(w))) continue;
      }
      out.push(i);
    }
    return Int32Array.from(out);
  }
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

function rowText(e: TrafficEvent, nodeName: (id: string) => string): string {
  const io = rowIfaces(e);
  return `${nodeName(e.node)} ${e.action} ${io.in} ${io.out} ${e.proto} ${e.summary} ${e.reason ?? ''}`;
}
