// One started network as run mode holds it: the engine client, the packet animator, the
// slow-motion pacer, the per-frame event batcher, last link states, and whether slow
// motion is holding the engine back. A new session per Start; a closed one ignores
// everything that still arrives for it. No React, no DOM, no store writes.
import type { TopologyDoc } from '../../emulator/topology/document';
import { EngineClient, EngineRequestError, type EnginePort } from './engine-client';
import { EventBatcher, type EventBatch, type FrameScheduler } from './event-batcher';
import { PacketAnimator } from './packet-animator';
import { StreamPacer } from './stream-pacer';

/** A request's outcome: errors are values, so success is never confused with failure. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export class RunSession {
  readonly animator: PacketAnimator;
  readonly pacer = new StreamPacer();
  readonly batcher: EventBatcher;
  /** Link up/down as last reported, to log changes only. */
  readonly linkUp = new Map<string, boolean>();
  /** Slow motion paused the engine until the animation catches up (the user still sees "playing"). */
  held = false;
  /** A pump of the pacer is scheduled. */
  pumping = false;
  /** The displayed clock never goes back: the highest virtual time shown. */
  clockFloorNs = 0;
  closed = false;
  /** Scheduler events the network's startup ran (a replayed scenario counts from here). */
  startEvents = 0;

  constructor(
    readonly client: EngineClient,
    doc: TopologyDoc,
    schedule: FrameScheduler,
    onBatch: (batch: EventBatch) => void,
  ) {
    const index = indexDoc(doc);
    this.animator = new PacketAnimator((id) => index.links.get(id) ?? null, (n) => index.nodes.get(n) ?? n);
    this.batcher = new EventBatcher(schedule, (b) => !this.closed && onBatch(b));
  }

  static open(port: EnginePort, timeoutMs: number, doc: TopologyDoc, schedule: FrameScheduler, onBatch: (batch: EventBatch) => void): RunSession {
    const s = new RunSession(new EngineClient(port, timeoutMs), doc, schedule, onBatch);
    s.client.onEvents((ev) => !s.closed && s.batcher.push(ev));
    return s;
  }

  /** Sends a request; an engine refusal or a dead engine comes back as `{ ok: false }`. */
  async request<T>(fn: (c: EngineClient) => Promise<T>): Promise<Result<T>> {
    try {
      return { ok: true, value: await fn(this.client) };
    } catch (err) {
      const error = err instanceof EngineRequestError ? `${err.info.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      return { ok: false, error };
    }
  }

  close(): void {
    if (this.closed) return;
    this.batcher.flush();
    this.closed = true;
    this.client.close();
    this.animator.clear();
    this.pacer.clear();
  }
}

/**
 * Lookups the animation makes for every frame and event, built once per run: link ends by
 * link id, and canvas node id by node id or name (traffic events name nodes by id).
 */
function indexDoc(doc: TopologyDoc) {
  const links = new Map(doc.links.map((l) => [l.id, { a: l.a.node, b: l.b.node, bandwidthBps: l.params.bandwidthBps }]));
  const nodes = new Map<string, string>();
  for (const n of doc.nodes) nodes.set(n.name, n.id);
  for (const n of doc.nodes) nodes.set(n.id, n.id);
  return { links, nodes };
}
