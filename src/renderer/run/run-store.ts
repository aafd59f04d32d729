// Run-mode state (zustand, vanilla): engine lifecycle (start/stop/restart, failures), the
// virtual clock and speed, shell sessions, captures, inspection and the event log. Engine
// port, frame summariser, frame scheduler and wall clock are injected; no React, no DOM.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  CaptureTarget,
  CapturedFrameEvent,
  EngineEvent,
  InterfaceCounters,
  NodeSnapshot,
  Speed,
  TrafficEvent,
} from '../../emulator/engine/protocol';
import type { LinkParams, TopologyDoc } from '../../emulator/topology/document';
import { formatLinkParams } from '../../emulator/topology/link-text';
import { appendFrames, describeTarget, type CaptureInfo, type Summarize } from './capture-store';
import { EngineClient, EngineRequestError, REQUEST_TIMEOUT_MS, type EnginePort } from './engine-client';
import { EventBatcher, type FrameScheduler } from './event-batcher';
import { PacketAnimator } from './packet-animator';
import { formatClock, virtualNow, type ClockSample } from './time-map';
import { ShellHub } from './shell-hub';

export const RUN_STATUS = { stopped: 'stopped', starting: 'starting', running: 'running', failed: 'failed' } as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

export interface TerminalTab {
  session: number;
  node: string;
  nodeName: string;
}

export interface LogEntry {
  seq: number;
  timeNs: number;
  kind: 'drop' | 'link' | 'error' | 'warning' | 'info';
  text: string;
  node?: string;
  link?: string;
}

export interface RunDeps {
  createPort(): EnginePort;
  summarize: Summarize;
  schedule: FrameScheduler;
  nowMs(): number;
}

export interface RunState {
  status: RunStatus;
  /** True while the network runs: the editor locks topology edits (link params stay editable). */
  running: boolean;
  error: string | null;
  warnings: string[];
  doc: TopologyDoc | null;
  clock: ClockSample | null;
  playing: boolean;
  speed: Speed;
  terminals: TerminalTab[];
  activeTab: string;
  /** Capture tabs (changes on start/stop only); rows are read from `store.captureMap`. */
  captures: CaptureInfo[];
  /** Bumped whenever any capture gained frames. */
  captureVersion: number;
  log: LogEntry[];
  inspectNodeId: string | null;
  snapshot: NodeSnapshot | null;
  counters: InterfaceCounters[];
  /** Canvas flash for a selected packet. */
  highlight: { node?: string; link?: string; seq: number; atMs: number } | null;
  trafficCount: number;
}

export interface RunActions {
  start(doc: TopologyDoc, seed?: number): Promise<void>;
  stop(): Promise<void>;
  /** Stops whatever is left and starts again, with `doc` if given (the editor's current one). */
  restart(doc?: TopologyDoc): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  step(count?: number): Promise<void>;
  setSpeed(speed: Speed): Promise<void>;
  openShell(nodeId: string): Promise<number | null>;
  closeShell(session: number): Promise<void>;
  exec(session: number, line: string): Promise<void>;
  interrupt(session: number): Promise<void>;
  setActiveTab(tab: string): void;
  startCapture(target: CaptureTarget): Promise<number | null>;
  stopCapture(capture: number): Promise<void>;
  exportCapture(capture: number, format: 'pcap' | 'pcapng'): Promise<{ bytes: Uint8Array; fileName: string } | null>;
  setLinkParams(link: string, params: Partial<LinkParams>, direction?: 'ab' | 'ba' | 'both'): Promise<void>;
  setLinkUp(link: string, up: boolean): Promise<void>;
  inspect(nodeId: string | null): Promise<void>;
  refreshCounters(): Promise<void>;
  flash(target: { node?: string; link?: string }): void;
  clockText(): string;
}

/** Main-thread cost of applying event batches (for the frame-time report). */
export interface BatchStats {
  batches: number;
  events: number;
  totalMs: number;
  maxMs: number;
}

export type RunStore = StoreApi<RunState & RunActions> & {
  animator: () => PacketAnimator | null;
  stats: BatchStats;
  shells: ShellHub;
  captureMap: Map<number, CaptureInfo>;
  flushNow(): void;
};

const LOG_MAX = 1000;

function initialState(): RunState {
  return {
    status: 'stopped', running: false, error: null, warnings: [], doc: null, clock: null, playing: false,
    speed: 1, terminals: [], activeTab: 'events', captures: [], captureVersion: 0, log: [],
    inspectNodeId: null, snapshot: null, counters: [], highlight: null, trafficCount: 0,
  };
}

export function createRunStore(deps: RunDeps): RunStore {
  let client: EngineClient | null = null;
  let animator: PacketAnimator | null = null;
  let batcher: EventBatcher | null = null;
  let logSeq = 0;
  let flashSeq = 0;
  let generation = 0;
  const shells = new ShellHub();
  const captureMap = new Map<number, CaptureInfo>();
  const stats: BatchStats = { batches: 0, events: 0, totalMs: 0, maxMs: 0 };

  const store = createStore<RunState & RunActions>()((set, get) => {
    const log = (entries: Omit<LogEntry, 'seq'>[]) => {
      if (entries.length === 0) return;
      const next = [...get().log, ...entries.map((e) => ({ ...e, seq: ++logSeq }))];
      set({ log: next.length > LOG_MAX ? next.slice(next.length - LOG_MAX) : next });
    };

    const fail = (message: string) => {
      set({ status: 'failed', running: false, playing: false, error: message });
      log([{ timeNs: get().clock?.nowNs ?? 0, kind: 'error', text: message }]);
    };

    /** Runs a request; engine errors become a log line (and failure when the engine died). */
    const call = async <T>(fn: (c: EngineClient) => Promise<T>): Promise<T | null> => {
      const c = client;
      if (!c) return null;
      try {
        return await fn(c);
      } catch (err) {
        if (c.crashed) return null;
        const msg = err instanceof EngineRequestError ? `${err.info.code}: ${err.message}` : String(err instanceof Error ? err.message : err);
        log([{ timeNs: get().clock?.nowNs ?? 0, kind: 'error', text: msg }]);
        return null;
      }
    };

    const nodeName = (id: string) => get().doc?.nodes.find((n) => n.id === id || n.name === id)?.name ?? id;

    const handleBatch = (events: EngineEvent[], trafficDropped: number) => {
      const traffic: TrafficEvent[] = [];
      const frames: CapturedFrameEvent[] = [];
      const entries: Omit<LogEntry, 'seq'>[] = [];
      let clock: ClockSample | null = null;
      for (const e of events) {
        switch (e.type) {
          case 'traffic':
            traffic.push(e);
            if (e.action === 'drop') {
              entries.push({ timeNs: e.timeNs, kind: 'drop', text: `${nodeName(e.node)}${e.iface ? ':' + e.iface : ''} dropped ${e.summary} (${e.reason ?? 'dropped'})`, node: e.node, link: e.link });
            }
            break;
          case 'capture/frame':
            frames.push(e);
            break;
          case 'sim/clock':
            clock = { nowNs: e.nowNs, running: e.running, speed: e.speed, wallMs: deps.nowMs() };
            trafficDropped += e.trafficSkipped ?? 0;
            break;
          case 'shell/output':
            shells.output(e.session, e.text);
            break;
          case 'shell/done':
            shells.done(e.session, e.exitCode, e.prompt);
            break;
          case 'link/state':
            if (e.label) linkLabels.set(e.link, e.label);
            if (get().doc && linkUpChanged(e.link, e.up)) entries.push({ timeNs: get().clock?.nowNs ?? 0, kind: 'link', text: `${e.label ?? `link ${e.link}`} ${e.up ? 'up' : 'down'}`, link: e.link });
            break;
          case 'engine/warning':
            entries.push({ timeNs: get().clock?.nowNs ?? 0, kind: 'warning', text: e.message });
            break;
          case 'engine/error':
            fail(`Engine error (${e.error.code}): ${e.error.message}${e.error.seed !== undefined ? ` — seed ${e.error.seed}` : ''}`);
            break;
        }
      }
      const patch: Partial<RunState> = {};
      if (clock) {
        patch.clock = clock;
        patch.playing = clock.running;
        patch.speed = clock.speed;
      }
      if (traffic.length > 0 || trafficDropped > 0) patch.trafficCount = get().trafficCount + traffic.length + trafficDropped;
      if (animator && traffic.length > 0) {
        const wall = deps.nowMs();
        const c = clock ?? get().clock;
        animator.addBatch(traffic, wall, virtualNow(c, wall), c?.speed ?? get().speed);
      }
      // Rows live in captureMap; only the version changes, so the tab list does not re-render.
      if (appendFrames(captureMap, frames, deps.summarize)) patch.captureVersion = get().captureVersion + 1;
      if (Object.keys(patch).length > 0) set(patch);
      log(entries);
    };

    const linkState = new Map<string, boolean>();
    /** Links by their ends (`router1:eth1 — switch2:eth0`), from the engine's link/state events. */
    const linkLabels = new Map<string, string>();
    const linkUpChanged = (link: string, up: boolean) => {
      const prev = linkState.get(link);
      linkState.set(link, up);
      return prev !== undefined && prev !== up;
    };

    const teardown = () => {
      generation++;
      batcher?.flush();
      client?.close();
      client = null;
      batcher = null;
      animator?.clear();
      animator = null;
      shells.closeAll();
      captureMap.clear();
      linkState.clear();
    };

    return {
      ...initialState(),

      async start(doc, seed) {
        if (get().status === 'starting' || get().status === 'running') return;
        teardown();
        const gen = generation;
        set({ ...initialState(), status: 'starting', doc, speed: get().speed, activeTab: get().activeTab });
        const c = new EngineClient(deps.createPort(), REQUEST_TIMEOUT_MS);
        client = c;
        const index = indexDoc(doc);
        animator = new PacketAnimator((id) => index.links.get(id) ?? null, (n) => index.nodes.get(n) ?? n);
        batcher = new EventBatcher(deps.schedule, (b) => {
          if (gen !== generation) return;
          const t0 = deps.nowMs();
          handleBatch(b.events, b.trafficDropped);
          const ms = deps.nowMs() - t0;
          stats.batches++;
          stats.events += b.events.length;
          stats.totalMs += ms;
          stats.maxMs = Math.max(stats.maxMs, ms);
        });
        c.onEvents((ev) => batcher?.push(ev));
        c.onCrash((reason) => gen === generation && fail(`The engine stopped unexpectedly: ${reason}`));
        try {
          const r = await c.request({ type: 'net/start', doc, ...(seed !== undefined ? { seed } : {}) });
          if (gen !== generation) return;
          set({ status: 'running', running: true, warnings: r.warnings });
          log(r.warnings.map((w) => ({ timeNs: 0, kind: 'warning' as const, text: w })));
          log([{ timeNs: 0, kind: 'info', text: `Started ${r.nodes} nodes, ${r.links} links` }]);
          await c.request({ type: 'sim/play', speed: get().speed });
          if (gen === generation) set({ playing: true });
        } catch (err) {
          if (gen === generation) fail(`Could not start the network: ${err instanceof Error ? err.message : String(err)}`);
        }
      },

      async stop() {
        const c = client;
        if (c && !c.crashed) await c.request({ type: 'net/stop' }).catch(() => undefined);
        teardown();
        set({ ...initialState(), speed: get().speed });
      },

      async restart(next) {
        const doc = next ?? get().doc;
        teardown();
        set({ ...initialState(), speed: get().speed });
        if (doc) await get().start(doc);
      },

      async play() {
        if ((await call((c) => c.request({ type: 'sim/play', speed: get().speed }))) !== null || client) set({ playing: true });
      },
      async pause() {
        await call((c) => c.request({ type: 'sim/pause' }));
        set({ playing: false });
      },
      async step(count = 1) {
        const r = await call((c) => c.request({ type: 'sim/step', count }));
        if (r) set({ playing: false, clock: { nowNs: r.nowNs, running: false, speed: get().speed, wallMs: deps.nowMs() } });
      },
      async setSpeed(speed) {
        set({ speed });
        await call((c) => c.request({ type: 'sim/set-speed', speed }));
      },

      async openShell(nodeId) {
        const r = await call((c) => c.request({ type: 'shell/open', node: nodeId }));
        if (!r) return null;
        shells.open(r.session, r.banner, r.prompt);
        const tab: TerminalTab = { session: r.session, node: nodeId, nodeName: nodeName(nodeId) };
        set({ terminals: [...get().terminals, tab], activeTab: `shell:${r.session}` });
        return r.session;
      },
      async closeShell(session) {
        await call((c) => c.request({ type: 'shell/close', session }));
        shells.close(session);
        const terminals = get().terminals.filter((t) => t.session !== session);
        set({ terminals, activeTab: get().activeTab === `shell:${session}` ? (terminals.length ? `shell:${terminals[terminals.length - 1]!.session}` : 'events') : get().activeTab });
      },
      async exec(session, line) {
        shells.busy(session);
        const r = await call((c) => c.request({ type: 'shell/exec', session, line }));
        if (r === null && !client) shells.done(session, 1, '');
      },
      async interrupt(session) {
        await call((c) => c.request({ type: 'shell/interrupt', session }));
      },
      setActiveTab(tab) {
        set({ activeTab: tab });
      },

      async startCapture(target) {
        const r = await call((c) => c.request({ type: 'capture/start', target }));
        if (!r) return null;
        captureMap.set(r.capture, { id: r.capture, name: r.name || describeTarget(target, nodeName), target, running: true, rows: [] });
        set({ captures: [...captureMap.values()], captureVersion: get().captureVersion + 1, activeTab: `capture:${r.capture}` });
        return r.capture;
      },
      async stopCapture(capture) {
        await call((c) => c.request({ type: 'capture/stop', capture }));
        const info = captureMap.get(capture);
        if (info) info.running = false;
        set({ captures: [...captureMap.values()], captureVersion: get().captureVersion + 1 });
      },
      async exportCapture(capture, format) {
        return call((c) => c.request({ type: 'capture/export', capture, format }));
      },

      async setLinkParams(link, params, direction = 'both') {
        await call((c) => c.request({ type: 'link/set-params', link, params, direction }));
        log([{ timeNs: get().clock?.nowNs ?? 0, kind: 'link', text: `${linkLabels.get(link) ?? `link ${link}`}: ${formatLinkParams(params)}`, link }]);
      },
      async setLinkUp(link, up) {
        await call((c) => c.request({ type: 'link/set-up', link, up }));
      },

      async inspect(nodeId) {
        set({ inspectNodeId: nodeId, ...(nodeId === get().inspectNodeId ? {} : { snapshot: null }) });
        if (!nodeId) return;
        const snap = await call((c) => c.request({ type: 'inspect/node', node: nodeId }));
        if (snap && get().inspectNodeId === nodeId) set({ snapshot: snap });
      },
      async refreshCounters() {
        const r = await call((c) => c.request({ type: 'inspect/counters' }));
        if (r) set({ counters: r.interfaces });
      },
      flash(target) {
        set({ highlight: { ...target, seq: ++flashSeq, atMs: deps.nowMs() } });
      },
      clockText() {
        return formatClock(virtualNow(get().clock, deps.nowMs()));
      },
    };
  });

  return Object.assign(store, {
    animator: () => animator,
    stats,
    shells,
    captureMap,
    flushNow: () => batcher?.flush(),
  });
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
