// Run-mode state (zustand, vanilla): a RunStore is the store API plus the handles views
// need outside React state (shells, captures, the animator). Actions live in small modules
// (run-lifecycle, run-time, run-tools, run-tcp, run-stream); engine port, frame summariser, frame
// scheduler, wall clock and file saver are injected. No React, no DOM.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaptureInfo } from './capture-store';
import type { PacketAnimator } from './packet-animator';
import { lifecycleActions } from './run-lifecycle';
import type { RunSession } from './run-session';
import { initialState, type BatchStats, type LogEntry, type RunActions, type RunCtx, type RunDeps, type RunState } from './run-state';
import { scenarioActions } from './run-scenario';
import { timeActions } from './run-time';
import { tcpActions } from './run-tcp';
import { toolActions } from './run-tools';
import { ShellHub } from './shell-hub';
import { Timeline } from './timeline';

export { RUN_STATUS, isRunning, type LogEntry, type RunActions, type RunDeps, type RunState, type RunStatus, type StopPrompt, type TerminalTab, type BatchStats } from './run-state';

const LOG_MAX = 1000;

export class RunStore implements StoreApi<RunState & RunActions> {
  readonly shells = new ShellHub();
  readonly captureMap = new Map<number, CaptureInfo>();
  /** Every traffic event of the run (the Timeline tab reads it through `timelineVersion`). */
  readonly timeline = new Timeline();
  readonly stats: BatchStats = { batches: 0, events: 0, totalMs: 0, maxMs: 0 };
  readonly getState: StoreApi<RunState & RunActions>['getState'];
  readonly getInitialState: StoreApi<RunState & RunActions>['getInitialState'];
  readonly setState: StoreApi<RunState & RunActions>['setState'];
  readonly subscribe: StoreApi<RunState & RunActions>['subscribe'];
  private session: RunSession | null = null;

  constructor(deps: RunDeps) {
    const api = createStore<RunState & RunActions>()((set, get) => {
      const ctx = this.context(deps, set, get);
      const tools = toolActions(ctx);
      return { ...initialState(), ...lifecycleActions(ctx, tools.saveAll), ...timeActions(ctx), ...tools, ...tcpActions(ctx), ...scenarioActions(ctx) };
    });
    this.getState = api.getState;
    this.getInitialState = api.getInitialState;
    this.setState = api.setState;
    this.subscribe = api.subscribe;
  }

  /** The live network's packet animation, if one runs. */
  animator(): PacketAnimator | null {
    return this.session?.animator ?? null;
  }

  /** Applies queued engine events now (tests, and before Stop). */
  flushNow(): void {
    this.session?.batcher.flush();
  }

  private context(deps: RunDeps, set: (p: Partial<RunState>) => void, get: () => RunState & RunActions): RunCtx {
    let logSeq = 0;
    const ctx: RunCtx = {
      deps,
      get,
      set,
      live: () => this.session,
      setLive: (s) => void (this.session = s),
      async call(fn) {
        const s = ctx.live();
        if (!s) return { ok: false, error: 'the network is not running' };
        const r = await s.request(fn);
        if (!r.ok && !s.client.crashed && ctx.live() === s) ctx.log([{ timeNs: get().clock?.nowNs ?? 0, kind: 'error', text: r.error }]);
        return r;
      },
      log(entries: Omit<LogEntry, 'seq'>[]) {
        if (entries.length === 0) return;
        const next = [...get().log, ...entries.map((e) => ({ ...e, seq: ++logSeq }))];
        set({ log: next.length > LOG_MAX ? next.slice(next.length - LOG_MAX) : next });
      },
      fail(message) {
        set({ status: 'failed', playing: false, error: message });
        ctx.log([{ timeNs: get().clock?.nowNs ?? 0, kind: 'error', text: message }]);
      },
      nodeName: (id) => get().doc?.nodes.find((n) => n.id === id || n.name === id)?.name ?? id,
      shells: this.shells,
      captureMap: this.captureMap,
      stats: this.stats,
      commands: new Map(),
      savedTranscripts: new Map(),
      timeline: this.timeline,
    };
    return ctx;
  }
}

export function createRunStore(deps: RunDeps): RunStore {
  return new RunStore(deps);
}
