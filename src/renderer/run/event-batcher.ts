// Collects engine events as they arrive and hands them to the run store once per
// animation frame, so a burst of thousands of traffic events costs one React update.
// Must not interpret events (the store does); the frame scheduler is injected.
import type { EngineEvent } from '../../emulator/engine/protocol';

export type FrameScheduler = (cb: () => void) => void;

export interface EventBatch {
  events: EngineEvent[];
  /** Traffic events dropped because the batch exceeded its cap (still counted). */
  trafficDropped: number;
}

export interface EventBatcherOptions {
  /** Traffic events kept per flush; more are counted, not kept. Others are never dropped. */
  trafficCap?: number;
}

export class EventBatcher {
  private queue: EngineEvent[] = [];
  private trafficKept = 0;
  private trafficDropped = 0;
  private scheduled = false;
  private readonly trafficCap: number;

  constructor(
    private readonly schedule: FrameScheduler,
    private readonly flushTo: (batch: EventBatch) => void,
    opts: EventBatcherOptions = {},
  ) {
    this.trafficCap = opts.trafficCap ?? 5000;
  }

  push(events: readonly EngineEvent[]): void {
    for (const e of events) {
      if (e.type === 'traffic') {
        if (this.trafficKept >= this.trafficCap) {
          this.trafficDropped++;
          continue;
        }
        this.trafficKept++;
      }
      this.queue.push(e);
    }
    if (!this.scheduled && (this.queue.length > 0 || this.trafficDropped > 0)) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Delivers what is queued now (also used by tests and on stop). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0 && this.trafficDropped === 0) return;
    const batch: EventBatch = { events: coalesceClock(this.queue), trafficDropped: this.trafficDropped };
    this.queue = [];
    this.trafficKept = 0;
    this.trafficDropped = 0;
    this.flushTo(batch);
  }

  pendingCount(): number {
    return this.queue.length;
  }
}

/** Only the last `sim/clock` of a batch matters; keeps every other event in order. */
export function coalesceClock(events: EngineEvent[]): EngineEvent[] {
  let lastClock = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.type === 'sim/clock') {
      lastClock = i;
      break;
    }
  }
  if (lastClock < 0) return events;
  return events.filter((e, i) => e.type !== 'sim/clock' || i === lastClock);
}
