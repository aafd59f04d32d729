// The renderer's side of the engine protocol (DESIGN decision 6): request ids, one promise
// per request, an event stream, and crash detection — over any port (Web Worker, Electron
// preload bridge, or an in-memory fake in tests). Must not know which host runs the engine.
import type {
  EngineErrorInfo,
  EngineEvent,
  EngineRequest,
  EngineResults,
  ReplyMessage,
  RequestMessage,
} from '../../emulator/engine/protocol';

/** A transport: posts request envelopes, delivers reply/event envelopes and failures. */
export interface EnginePort {
  post(message: RequestMessage): void;
  onMessage(listener: (message: ReplyMessage) => void): () => void;
  /** The host died (worker error, IPC gone); optional. */
  onCrash?(listener: (reason: string) => void): () => void;
  close(): void;
}

export class EngineRequestError extends Error {
  constructor(readonly info: EngineErrorInfo) {
    super(info.message);
    this.name = 'EngineRequestError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout> | null;
}

/** A request unanswered this long means the engine hangs (every request is synchronous). */
export const REQUEST_TIMEOUT_MS = 20_000;

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(events: EngineEvent[]) => void>();
  private readonly crashListeners = new Set<(reason: string) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private dead: string | null = null;

  constructor(
    private readonly port: EnginePort,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.unsubscribe.push(port.onMessage((m) => this.receive(m)));
    if (port.onCrash) this.unsubscribe.push(port.onCrash((r) => this.crash(r)));
  }

  request<T extends EngineRequest['type']>(req: Extract<EngineRequest, { type: T }>): Promise<EngineResults[T]> {
    if (this.dead) return Promise.reject(new Error(`engine stopped: ${this.dead}`));
    const id = this.nextId++;
    return new Promise<EngineResults[T]>((resolve, reject) => {
      const timer = this.timeoutMs > 0 ? setTimeout(() => this.crash(`the engine did not answer ${req.type} within ${this.timeoutMs / 1000} s`), this.timeoutMs) : null;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.port.post({ id, request: req });
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

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

  close(): void {
    for (const u of this.unsubscribe) u();
    this.failAll('engine closed');
    this.port.close();
  }

  private receive(m: ReplyMessage): void {
    if (m.kind === 'events') {
      for (const l of this.eventListeners) l(m.events);
      return;
    }
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
    this.failAll(reason);
    for (const l of this.crashListeners) l(reason);
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) {
      if (p.timer !== null) clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.pending.clear();
  }
}

/** Port over a Web Worker running src/worker/web-host.ts (browser mode, or Electron's renderer). */
export function workerPort(worker: Worker): EnginePort {
  return {
    post: (m) => worker.postMessage(m),
    onMessage(listener) {
      const h = (e: MessageEvent) => listener(e.data as ReplyMessage);
      worker.addEventListener('message', h);
      return () => worker.removeEventListener('message', h);
    },
    onCrash(listener) {
      const h = (e: ErrorEvent) => listener(e.message || 'the engine worker crashed');
      const m = () => listener('the engine worker sent an unreadable message');
      worker.addEventListener('error', h);
      worker.addEventListener('messageerror', m);
      return () => {
        worker.removeEventListener('error', h);
        worker.removeEventListener('messageerror', m);
      };
    },
    close: () => worker.terminate(),
  };
}

/** The engine as the Electron preload exposes it (`window.virtnet.engine`), if present. */
interface DesktopEngineBridge {
  post(message: RequestMessage): void;
  onMessage(listener: (message: ReplyMessage) => void): () => void;
}

export function desktopPort(bridge: DesktopEngineBridge): EnginePort {
  const subscriptions: (() => void)[] = [];
  return {
    post: (m) => bridge.post(m),
    onMessage(listener) {
      const off = bridge.onMessage(listener);
      subscriptions.push(off);
      return off;
    },
    // The engine lives in Electron main's worker thread and outlives this port: closing
    // only detaches; the next `net/start` replaces whatever network was running.
    close: () => subscriptions.splice(0).forEach((off) => off()),
  };
}

/**
 * Default port: in Electron, the engine in main's worker thread through the preload bridge
 * (`window.virtnet.engine`); in browser mode, a fresh Web Worker.
 */
export function createDefaultPort(): EnginePort {
  const bridge = (globalThis as { virtnet?: { engine?: DesktopEngineBridge } }).virtnet?.engine;
  if (bridge) return desktopPort(bridge);
  const worker = new Worker(new URL('../../worker/web-host.ts', import.meta.url), { type: 'module' });
  return workerPort(worker);
}
