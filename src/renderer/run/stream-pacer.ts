// Slow motion and Step: paces the engine's ordered stream (traffic and shell output) in wall
// time, so every hop of every frame is drawn for a visible minimum even when virtual time
// does not advance (zero-delay links), and shell output is released only once the frames
// before it have been shown. Pure: wall time is a parameter; drawing and delivery are the
// caller's (run-store.ts), and it never talks to the engine.
import type { EngineEvent, TrafficEvent } from '../../emulator/engine/protocol';

export type ShellEvent = Extract<EngineEvent, { type: 'shell/output' | 'shell/done' }>;
export type StreamEvent = TrafficEvent | ShellEvent;

/** An event with the wall time it is due; a hop (`tx` on a link) also has its dot's end. */
export interface Paced {
  event: StreamEvent;
  atMs: number;
  /** For a hop: when its dot reaches the far end (atMs … endMs is the animation). */
  endMs: number;
}

export interface HopTiming {
  /** Fraction of real time (0.01 … 1). */
  speed: number;
  /** Least wall time a hop is drawn for, so a zero-delay hop can be seen. */
  minHopMs: number;
}

/** Frames whose dot end is remembered (for their arrival); older ones are forgotten. */
const DOT_ENDS_MAX = 4096;

export class StreamPacer {
  private queue: Paced[] = [];
  private head = 0;
  /** Due time of the last event queued: events are released in stream order. */
  private lastAtMs = Number.NEGATIVE_INFINITY;
  /** Every frame that has arrived so far (rx seen) is fully drawn by this wall time. */
  private arrivedMs = Number.NEGATIVE_INFINITY;
  /** Latest end of anything scheduled. */
  private lastEndMs = Number.NEGATIVE_INFINITY;
  private readonly dotEnd = new Map<number, number>();
  /** Hops released and possibly still on screen (for the clock). */
  private live: Paced[] = [];
  private shownNs = 0;

  /**
   * Schedules `events` (in stream order) from wall time `wallMs`. A hop starts once every
   * frame that arrived before it in the stream has been drawn to its end (causality: a
   * switch forwards what it received), and lasts its virtual flight time at `speed`, at
   * least `minHopMs`. An arrival is due when its hop's dot ends; a drop or shell output
   * when everything that arrived before it has been drawn.
   */
  push(events: readonly StreamEvent[], wallMs: number, hop: HopTiming): void {
    for (const event of events) {
      let atMs = Math.max(wallMs, this.lastAtMs);
      let endMs = atMs;
      if (event.type === 'traffic' && event.action === 'tx' && event.link !== undefined) {
        atMs = Math.max(atMs, this.arrivedMs);
        const flightMs = ((event.arriveNs ?? event.timeNs) - event.timeNs) / (hop.speed * 1e6);
        endMs = atMs + Math.max(flightMs, hop.minHopMs);
        this.rememberDot(event.frame, endMs);
      } else if (event.type === 'traffic' && event.action === 'rx') {
        const end = this.dotEnd.get(event.frame);
        atMs = Math.max(atMs, end ?? this.arrivedMs);
        endMs = atMs;
        this.arrivedMs = Math.max(this.arrivedMs, atMs);
      } else {
        atMs = Math.max(atMs, this.arrivedMs);
        endMs = atMs;
      }
      this.lastAtMs = atMs;
      this.lastEndMs = Math.max(this.lastEndMs, endMs);
      this.queue.push({ event, atMs, endMs });
    }
  }

  /** Events due by `wallMs`, oldest first. */
  release(wallMs: number): Paced[] {
    const out: Paced[] = [];
    while (this.head < this.queue.length && this.queue[this.head]!.atMs <= wallMs) out.push(this.queue[this.head++]!);
    this.compact();
    this.note(out);
    return out;
  }

  /** Everything still queued, now (leaving slow motion). Dots keep their windows. */
  drain(): Paced[] {
    const out = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.note(out);
    return out;
  }

  /**
   * Step: what is still queued is due now, and what comes next starts now instead of
   * after the animation already scheduled (each click shows its own hop at once).
   */
  skipTo(wallMs: number): Paced[] {
    const out = this.drain();
    this.lastAtMs = Math.min(this.lastAtMs, wallMs);
    this.arrivedMs = Math.min(this.arrivedMs, wallMs);
    for (const [frame, end] of this.dotEnd) if (end > wallMs) this.dotEnd.set(frame, wallMs);
    return out;
  }

  /** How far ahead of `wallMs` the scheduled animation runs. */
  backlogMs(wallMs: number): number {
    return Math.max(0, this.lastEndMs - wallMs);
  }

  /** Nothing queued and nothing still moving at `wallMs` (a dot ending now is still drawn). */
  idle(wallMs: number): boolean {
    return this.head >= this.queue.length && wallMs > this.lastEndMs;
  }

  /**
   * Virtual time of what is on screen: the latest released event, moving along a hop while
   * its dot flies. Null when idle (the engine's own clock is then the truth).
   */
  clockNs(wallMs: number): number | null {
    if (this.idle(wallMs)) return null;
    let t = this.shownNs;
    this.live = this.live.filter((p) => p.endMs >= wallMs);
    for (const p of this.live) {
      if (p.event.type !== 'traffic' || wallMs < p.atMs) continue;
      const span = p.endMs - p.atMs;
      const f = span <= 0 ? 1 : (wallMs - p.atMs) / span;
      const e = p.event;
      t = Math.max(t, e.timeNs + Math.floor(f * ((e.arriveNs ?? e.timeNs) - e.timeNs)));
    }
    return t;
  }

  clear(): void {
    this.queue = [];
    this.head = 0;
    this.lastAtMs = this.arrivedMs = this.lastEndMs = Number.NEGATIVE_INFINITY;
    this.dotEnd.clear();
    this.live = [];
    this.shownNs = 0;
  }

  private note(released: Paced[]): void {
    for (const p of released) {
      if (p.event.type !== 'traffic') continue;
      this.shownNs = Math.max(this.shownNs, p.event.timeNs);
      if (p.endMs > p.atMs) this.live.push(p);
    }
  }

  private rememberDot(frame: number, endMs: number): void {
    this.dotEnd.set(frame, Math.max(endMs, this.dotEnd.get(frame) ?? endMs));
    if (this.dotEnd.size > DOT_ENDS_MAX) this.dotEnd.delete(this.dotEnd.keys().next().value!);
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
