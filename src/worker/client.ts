// The one typed client of the engine protocol (DESIGN decision 6), used by the renderer,
// the CLI host and tests: `request` returns a promise of the typed result (or rejects with
// an EngineRequestError carrying the engine's code and seed), `onEvents` subscribes to
// event batches, and a host that dies or stops answering is reported once to `onCrash`.
// Works over any transport; no Node or DOM imports.

import type { EngineErrorInfo, EngineEvent, EngineRequest, EngineRequestType, EngineResults, ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import type { PortLike } from './port';

/** A transport: posts request envelopes, delivers reply/event envelopes and failures. */
export interface EnginePort {
  post(message: RequestMessage): void;
  onMessage(listener: (message: ReplyMessage) => void): () => void;
  /** The host died (worker error, IPC gone); optional. */
  onCrash?(listener: (reason: string) => void): () => void;
  close(): void;
}

export class EngineRequestError extends Error {
  readonly code: string;
  readonly seed?: number;
  constructor(readonly info: EngineErrorInfo) {
    super(info.message);
    this.name = 'EngineRequestError';
    this.code = info.code;
    if (info.seed !== undefined) this.seed = info.seed;
  }
}

/** An EnginePort over a `{ postMessage, onmessage }` port (Web Worker, MessagePort, memory pair). */
export function portLikeEnginePort(port: PortLike): EnginePort {
  const listeners = new Set<(m: ReplyMessage) => void>();
  port.onmessage = (ev) => {
    const m = ev.data as ReplyMessage;
    if (m && typeof m === 'object') for (const l of listeners) l(m);
  };
  return {
    post: (m) => port.postMessage(m),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      port.onmessage = null;
    },
  };
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout> | null;
}

/** What the renderer waits before declaring a hung engine (every request is synchronous there). */
export const REQUEST_TIMEOUT_MS = 20_000;

export class EngineClient {
  private nextId = 1;
  private readonly port: EnginePort;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(events: EngineEvent[]) => void>();
  private readonly crashListeners = new Set<(reason: string) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private dead: string | null = null;

  /** `timeoutMs` > 0: a request unanswered that long counts as a crashed engine. */
  constructor(port: EnginePort | PortLike, private readonly timeoutMs = 0) {
    this.port = 'postMessage' in port ? portLikeEnginePort(port) : port;
    this.unsubscribe.push(this.port.onMessage((m) => this.receive(m)));
    if (this.port.onCrash) this.unsubscribe.push(this.port.onCrash((r) => this.crash(r)));
  }

  request<T extends EngineRequestType>(req: Extract<EngineRequest, { type: T }>): Promise<EngineResults[T]> {
    if (this.dead) return Promise.reject(new Error(`engine stopped: ${this.dead}`));
    const id = this.nextId++;
    return new Promise<EngineResults[T]>((resolve, reject) => {
      const timer = this.timeoutMs > 0 ? setTimeout(() => this.crash(`the engine did not answer ${req.type} within ${this.timeoutMs / 1000} s`), this.timeoutMs) : null;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.port.post({ id, request: req });
      } catch (err) {
        this.pending.delete(id);
        if (timer !== null) clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Subscribe to event batches; returns an unsubscribe function. */
  onEvents(listener: (events: EngineEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onCrash(listener: (reason: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  get crashed(): string | null {
    return this.dead;
  }

  /** Detach from the port and reject everything still waiting. */
  close(reason = 'engine connection closed'): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.failAll(new EngineRequestError({ code: 'closed', message: reason }));
    this.port.close();
  }

  private receive(m: ReplyMessage): void {
    if (m.kind === 'events') {
      for (const l of this.eventListeners) l(m.events);
      return;
    }
    if (m.kind !== 'reply') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (p.timer !== null) clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new EngineRequestError(m.error));
  }

  private crash(reason: string): void {
    if (this.dead) return;
    this.dead = reason;
    this.failAll(new Error(reason));
    for (const l of this.crashListeners) l(reason);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      if (p.timer !== null) clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
