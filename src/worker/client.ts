// A typed client of the engine protocol over any PortLike: `request` returns a promise of
// the typed result (or rejects with an EngineRequestError carrying the engine's code and
// seed), `onEvents` subscribes to event batches. Used by the renderer, the CLI and tests;
// no Node or DOM imports.

import type { EngineErrorInfo, EngineEvent, EngineRequest, EngineRequestType, EngineResults, ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import type { PortLike } from './port';

export class EngineRequestError extends Error {
  readonly code: string;
  readonly seed?: number;
  constructor(info: EngineErrorInfo) {
    super(info.message);
    this.code = info.code;
    if (info.seed !== undefined) this.seed = info.seed;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((events: EngineEvent[]) => void)[] = [];

  constructor(private readonly port: PortLike) {
    port.onmessage = (ev) => this.receive(ev.data as ReplyMessage);
  }

  request<T extends EngineRequestType>(req: Extract<EngineRequest, { type: T }>): Promise<EngineResults[T]> {
    const id = this.nextId++;
    return new Promise<EngineResults[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ id, request: req } satisfies RequestMessage);
    });
  }

  /** Subscribe to event batches; returns an unsubscribe function. */
  onEvents(cb: (events: EngineEvent[]) => void): () => void {
    this.listeners.push(cb);
    return () => {
      const k = this.listeners.indexOf(cb);
      if (k >= 0) this.listeners.splice(k, 1);
    };
  }

  /** Reject everything still waiting (the host went away). */
  close(reason = 'engine connection closed'): void {
    for (const p of this.pending.values()) p.reject(new EngineRequestError({ code: 'closed', message: reason }));
    this.pending.clear();
    this.port.onmessage = null;
  }

  private receive(msg: ReplyMessage): void {
    if (!msg || typeof msg !== 'object') return;
    if (msg.kind === 'events') {
      for (const l of this.listeners.slice()) l(msg.events);
      return;
    }
    if (msg.kind !== 'reply') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new EngineRequestError(msg.error));
  }
}
