// The Engine facade: implements the typed protocol (protocol.ts) over one World — validates
// every request, drives virtual time (play at a speed or as fast as possible, pause, step,
// run-until) and batches events (traffic, captures, clock, link state, shell output) per
// host tick. It must not read a wall clock itself (the host injects one) nor touch a port.
// Every request type has a handler (the switch in `apply` is exhaustive), and an internal
// error is reported once: in the reply of the request that hit it, or as one engine/error
// event when it happened while playing. Every input that changes the run (shell lines and
// text, Ctrl-C, Ctrl-Z, link changes) is kept with its event count, so `sim/rewind` can rebuild any
// earlier moment (rewind.ts) from a checkpoint built in idle tick time (checkpoints.ts).

import type { FilesBaseline } from './node-files-diff';
import { RealTimeDriver, clampSpeed, stepToTraffic, type WallClock } from '../sim/drivers';
import type { LinkParams, TopologyDoc } from '../topology/document';
import { SCENARIO_LIMITS, type ScenarioDoc } from '../topology/scenario';
import type { CapturedFrameEvent, EngineErrorInfo, EngineEvent, EngineRequest, EngineRequestType, EngineResults, ReplyMessage, RequestMessage, Speed } from './protocol';
import { World } from './world';
import { runStartup } from './startup';
import { nodeSnapshot, allCounters, linkCounters } from './inspect';
import { TcpWatches } from './inspect-tcp';
import { SimStall } from '../sim/scheduler';
import { ShellSessions } from './shell-sessions';
import { Rerun, type TimedInput } from './rewind';
import { Checkpoints, type CheckpointOptions } from './checkpoints';
import { validateRequest } from './validate';
import { ERROR_CODE, EngineError } from './errors';
import { gradeNetwork } from '../lab/grade';

export { ERROR_CODE, EngineError } from './errors';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Inputs a run keeps for step back (a slider dragged for half an hour); past them, step back is refused. */
export const STEP_BACK_INPUTS_MAX = 100_000;

export interface EngineOptions {
  /** Wall clock in ms (performance.now) for real-time play; without it play advances nothing. */
  clock?: WallClock;
  /** Most traffic events sent per tick; older surplus is skipped and counted. */
  trafficPerTick?: number;
  /** Most captured frames streamed per capture per tick. */
  captureFramesPerTick?: number;
  /** Most scheduler events run per tick when playing at `max`. */
  maxEventsPerTick?: number;
  /** Wall-clock budget of one `max` tick in ms, so requests and events keep flowing (default 30). */
  maxTickMs?: number;
  /** Most shell output characters queued per session between flushes (default 1 MiB). */
  shellOutputMax?: number;
  /** Step back's checkpoints (checkpoints.ts); `max: 0` keeps none (every step back replays from the start). */
  checkpoints?: CheckpointOptions;
  /** Wall-clock budget in ms of a tick (its real-time play included) up to which checkpoints are built (default 8). */
  checkpointTickMs?: number;
  /** Inputs kept for step back (default STEP_BACK_INPUTS_MAX). */
  stepBackInputsMax?: number;
}

export type Outcome<T extends EngineRequestType = EngineRequestType> = { ok: true; result: EngineResults[T] } | { ok: false; error: EngineErrorInfo };

/** What each kind of replayed input is, for a refusal that names it. */
const INPUT_WORDS: Record<NonNullable<TimedInput['kind']>, string> = {
  line: 'a typed command',
  stdin: 'text was typed into a running command',
  interrupt: 'a command was interrupted (Ctrl-C)',
  suspend: 'a command was stopped (Ctrl-Z)',
  close: 'a terminal was closed',
  'link-up': 'a link was set down or up',
  'link-params': 'a link parameter was changed',
};

export class Engine {
  world: World | null = null;
  private driver: RealTimeDriver | null = null;
  private running = false;
  private speed: Speed = 1;
  private pendingEvents: EngineEvent[] = [];
  private readonly shells: ShellSessions;
  /** Per link: up, queue depth a→b, b→a as last reported (-1 = never). */
  private lastLinkState = new Int32Array(0);
  private clockDirty = true;
  /** Traffic events still allowed in the current flush, and those skipped since the last one. */
  private trafficBudget: number;
  private trafficSkipped = 0;
  private readonly opts: Required<EngineOptions>;
  /** Paused runs at earlier event counts that step back goes on from (built in idle tick time). */
  private checkpoints: Checkpoints | null = null;
  /** What a step back rebuilds the run from: the document, seed and shell lines typed (rewind.ts). */
  private runDoc: TopologyDoc | null = null;
  /** Every node's files once the network had started (the baseline of `net/files`). */
  private filesBase: FilesBaseline = new Map();
  private runSeed = 1;
  private inputs: TimedInput[] = [];
  /** Set once an input could not be kept (STEP_BACK_INPUTS_MAX): this run cannot be replayed. */
  private inputsLost = false;
  private explaining = false;

  constructor(
    private readonly emit: (events: EngineEvent[]) => void,
    options: EngineOptions = {},
  ) {
    this.opts = {
      clock: options.clock ?? (() => 0),
      trafficPerTick: options.trafficPerTick ?? 2000,
      captureFramesPerTick: options.captureFramesPerTick ?? 2000,
      maxEventsPerTick: options.maxEventsPerTick ?? 1_000_000,
      maxTickMs: options.maxTickMs ?? 30,
      shellOutputMax: options.shellOutputMax ?? 1 << 20,
      checkpoints: options.checkpoints ?? {},
      checkpointTickMs: options.checkpointTickMs ?? 8,
      stepBackInputsMax: options.stepBackInputsMax ?? STEP_BACK_INPUTS_MAX,
    };
    this.trafficBudget = this.opts.trafficPerTick;
    this.shells = new ShellSessions((e) => this.queue(e));
  }

  /** Answer one request: resolves with its typed result, rejects with an EngineError (code, seed). */
  async handle<T extends EngineRequestType>(request: Extract<EngineRequest, { type: T }>): Promise<EngineResults[T]> {
    const out = this.handleSync(request);
    if (out.ok) return out.result as EngineResults[T];
    throw new EngineError(out.error.code, out.error.message, out.error.seed);
  }

  /** Envelope form used by hosts: a request message in, a reply message out. */
  dispatch(msg: RequestMessage): ReplyMessage {
    const id = msg && typeof msg.id === 'number' ? msg.id : -1;
    const out = this.handleSync(msg?.request);
    return out.ok ? { kind: 'reply', id, ok: true, result: out.result } : { kind: 'reply', id, ok: false, error: out.error };
  }

  handleSync(request: unknown): Outcome {
    try {
      const req = validateRequest(request);
      const result = this.apply(req);
      this.flush();
      return { ok: true, result } as Outcome;
    } catch (err) {
      const error = this.errorInfo(err);
      this.flush();
      return { ok: false, error };
    }
  }

  /** Host heartbeat (e.g. every 16 ms): advance time while playing, then flush events. */
  tick(): void {
    try {
      const start = this.opts.clock();
      if (this.running && this.world) {
        if (this.speed === 'max') this.runMaxSlice(this.world);
        else {
          this.driver?.tick();
          // Real-time play leaves most of a tick idle: checkpoints follow the run (what is left of the budget).
          this.warmCheckpoints(this.world, start);
        }
        this.clockDirty = true;
      } else if (this.world) this.warmCheckpoints(this.world, start);
    } catch (err) {
      this.running = false;
      this.driver?.pause();
      this.clockDirty = true;
      this.pendingEvents.push({ type: 'engine/error', error: this.errorInfo(err) });
    }
    this.flush();
  }

  /** As fast as possible, in chunks, until idle or the tick's wall-clock budget is spent. */
  private runMaxSlice(w: World): void {
    const start = this.opts.clock();
    let ran = 0;
    while (ran < this.opts.maxEventsPerTick) {
      const n = w.sim.runUntilIdle(4096);
      ran += n;
      if (n < 4096 || this.opts.clock() - start >= this.opts.maxTickMs) break;
    }
  }

  /** Keep an input of the live run (with the event count and time it is given at), so step back replays it. */
  private record(input: DistributiveOmit<TimedInput, 'afterEvents' | 'atNs'>): void {
    const sim = this.need().sim;
    if (this.inputs.length >= this.opts.stepBackInputsMax) this.inputsLost = true;
    else this.inputs.push({ ...input, afterEvents: sim.executed(), atNs: sim.now() } as TimedInput);
  }

  /**
   * While paused or playing in real time: build step back's checkpoints behind the live
   * event count until the tick, begun at `start`, has used `checkpointTickMs`.
   */
  private warmCheckpoints(w: World, start: number): void {
    const cps = this.checkpoints;
    if (cps === null || this.inputsLost) return;
    const live = w.sim.executed();
    // Slices of 512 events (a few ms in a large lab), at most 32 a tick, also when the host's clock does not move.
    for (let slice = 0; slice < 32 && this.opts.clock() - start < this.opts.checkpointTickMs; slice++) if (cps.warm(live, this.inputs, 512) === 0) return;
  }

  /** Connections whose sample log the connection panel reads. */
  private readonly tcpWatches = new TcpWatches();

  /** Shell output characters queued per session since the last flush. */
  private shellQueued = new Map<number, number>();

  /**
   * Queue an event for the next flush, merging consecutive output of one shell session.
   * Output beyond `shellOutputMax` per session and flush is cut, marked once, and reported
   * once per session as a warning (a flood of output slows nothing else down). Traffic
   * recorded before a shell event is drained ahead of it, so traffic and shell output form
   * one ordered stream (a reply line follows the frame it reports).
   */
  private queue(e: EngineEvent): void {
    if (this.world) this.drainTrafficInto(this.world, this.pendingEvents);
    if (e.type === 'shell/output') {
      const queued = this.shellQueued.get(e.session) ?? 0;
      const max = this.opts.shellOutputMax;
      if (queued >= max) return;
      this.shellQueued.set(e.session, queued + e.text.length);
      if (queued + e.text.length >= max) {
        e = { ...e, text: `${e.text.slice(0, max - queued)}\n[output cut: more than ${max} characters at once]\n` };
        this.world?.notice(`shell session ${e.session}: output cut at ${max} characters per update`, `shell:${e.session}`);
      }
    }
    const last = this.pendingEvents[this.pendingEvents.length - 1];
    if (e.type === 'shell/output' && last?.type === 'shell/output' && last.session === e.session) last.text += e.text;
    else this.pendingEvents.push(e);
  }

  /** Event counts of step back's checkpoints built so far, and whether paused ticks have more to build. */
  checkpointState(): { positions: number[]; building: boolean } {
    const cps = this.checkpoints;
    if (cps === null || this.world === null) return { positions: [], building: false };
    return { positions: cps.positions(), building: cps.wantsWork(this.world.sim.executed()) };
  }

  isRunning(): boolean {
    return this.running;
  }

  private apply(req: EngineRequest): EngineResults[EngineRequestType] {
    switch (req.type) {
      case 'net/start':
        return this.start(req.doc, req.seed);
      case 'net/stop':
        this.stop();
        return null;
      case 'net/files':
        return { nodes: this.need().changedFiles(this.filesBase) };
      case 'sim/play':
        return this.play(req.speed);
      case 'sim/pause':
        this.pause();
        return null;
      case 'sim/step': {
        const w = this.need();
        this.pause();
        let n = 0;
        const count = req.count ?? 1;
        if (req.to === 'traffic') while (n < count && stepToTraffic(w.sim, () => w.traffic.total) > 0) n++;
        else while (n < count && w.sim.step()) n++;
        return { executed: n, nowNs: w.sim.now(), events: w.sim.executed() };
      }
      case 'sim/set-speed':
        this.setSpeed(req.speed);
        return null;
      case 'sim/explain':
        this.need().setExplaining(req.on);
        this.explaining = req.on;
        return null;
      case 'sim/scenario':
        return this.scenario();
      case 'sim/rewind':
        if (this.inputsLost) throw new EngineError(ERROR_CODE.NOT_SUPPORTED, `cannot step back in this run: it had more than ${this.opts.stepBackInputsMax.toLocaleString('en-US')} inputs (commands, typed text, link changes) to replay`);
        return this.rewind(req.to === 'traffic' ? this.eventBeforeRecords(req.back) : this.need().sim.executed() - req.back);
      case 'sim/run-until': {
        const w = this.need();
        this.pause();
        if (req.untilNs > w.sim.now()) w.sim.runUntil(req.untilNs);
        return { nowNs: w.sim.now() };
      }
      case 'link/set-params': {
        const direction = req.direction ?? 'both';
        this.needLink(req.link).setParams(req.params as Partial<LinkParams>, direction);
        this.record({ kind: 'link-params', link: req.link, params: { ...req.params } as Partial<LinkParams>, direction });
        return null;
      }
      case 'link/set-up':
        this.needLink(req.link).setUp(req.up);
        this.record({ kind: 'link-up', link: req.link, up: req.up });
        return null;
      case 'shell/open':
        return this.shells.open(this.need(), this.needNode(req.node).id);
      case 'shell/exec':
        this.record({ node: this.shells.nodeName(req.session), session: req.session, line: req.line });
        this.shells.exec(req.session, req.line);
        return null;
      case 'shell/interrupt':
        this.record({ kind: 'interrupt', node: this.shells.nodeName(req.session), session: req.session });
        this.shells.interrupt(req.session);
        return null;
      case 'shell/suspend':
        this.record({ kind: 'suspend', node: this.shells.nodeName(req.session), session: req.session });
        this.shells.suspend(req.session);
        return null;
      case 'shell/input': {
        const node = this.shells.nodeName(req.session);
        const accepted = this.shells.input(req.session, req.text);
        // Refused text changed nothing (the terminal keeps it as type-ahead, sent later as a line).
        if (accepted) this.record({ kind: 'stdin', node, session: req.session, text: req.text });
        return { accepted };
      }
      case 'shell/complete':
        return this.shells.complete(req.session, req.line, req.cursor);
      case 'shell/close':
        // Closing ends the shell's jobs (a ping stops): replayed too.
        if (this.world) this.record({ kind: 'close', node: this.shells.nodeName(req.session), session: req.session });
        this.shells.close(req.session);
        return null;
      case 'inspect/node':
        return nodeSnapshot(this.need(), this.needNode(req.node));
      case 'inspect/counters':
        return { interfaces: allCounters(this.need()), links: linkCounters(this.need()) };
      case 'tcp/connections':
        return this.tcpWatches.connections(this.needNode(req.node));
      case 'tcp/watch':
        return this.tcpWatches.watch(this.needNode(req.node), req.conn, req.on);
      case 'tcp/samples':
        return this.tcpWatches.samples(this.needNode(req.node), req.conn, req.since);
      case 'capture/start': {
        const cap = this.need().startCapture(req.target);
        return { capture: cap.id, name: cap.name };
      }
      case 'capture/stop':
        this.needCapture(req.capture).finish();
        return null;
      case 'capture/export': {
        const cap = this.needCapture(req.capture);
        return { bytes: req.format === 'pcap' ? cap.toPcap() : cap.toPcapng(), fileName: cap.fileName(req.format) };
      }
      case 'lab/grade':
        try {
          return gradeNetwork(req.lab, req.start, req.work, req.commands ?? []);
        } catch (err) {
          throw new EngineError(ERROR_CODE.BAD_TOPOLOGY, `cannot grade this network: ${err instanceof Error ? err.message : String(err)}`);
        }
      default:
        // A request type without a case above does not compile.
        throw new EngineError(ERROR_CODE.BAD_REQUEST, `unknown request type ${(req satisfies never as { type: string }).type}`);
    }
  }

  private start(doc: TopologyDoc, seed?: number): EngineResults['net/start'] {
    this.stop();
    let world: World;
    try {
      world = new World(doc, { seed: seed ?? 1 });
    } catch (err) {
      throw new EngineError(ERROR_CODE.BAD_TOPOLOGY, `cannot start the network: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.world = world;
    this.runDoc = doc;
    this.runSeed = seed ?? 1;
    this.inputs = [];
    this.inputsLost = false;
    this.explaining = false;
    this.checkpoints = this.opts.checkpoints.max === 0 ? null : new Checkpoints(doc, this.runSeed, this.opts.checkpoints);
    runStartup(world, doc); // a node's startup configuration; failures are warnings, never a failed start
    this.filesBase = world.filesBaseline();
    // 50k events per tick (tens of ms): beyond that the virtual clock falls behind rather than the UI.
    this.driver = new RealTimeDriver(world.sim, this.opts.clock, typeof this.speed === 'number' ? this.speed : 1, 50_000);
    this.lastLinkState = new Int32Array(0);
    this.clockDirty = true;
    return { warnings: world.warnings.slice(), nodes: world.nodes.length, links: world.links.length, events: world.sim.executed() };
  }

  /**
   * The event count just before the event that wrote the `back`-th most recent traffic
   * record: read from the record while the ring still holds it, else found by a replay
   * that counts records event by event.
   */
  private eventBeforeRecords(back: number): number {
    const w = this.need();
    const limit = w.traffic.total - back;
    if (limit < 0) return -1;
    const at = w.traffic.eventCountOf(limit);
    if (at !== null) return Math.max(0, at - 1);
    const probe = new Rerun(this.runDoc!, this.runSeed, this.inputs);
    let k = 0;
    for (;;) {
      probe.runTo(k + 1);
      if (probe.events === k || probe.world.traffic.total > limit) return k;
      k = probe.events;
    }
  }

  /** The inputs so far as a scenario (a step back forgets the later ones, so they are not in it). */
  private scenario(): ScenarioDoc {
    const w = this.need();
    if (this.inputsLost) throw new EngineError(ERROR_CODE.NOT_SUPPORTED, `cannot save this run as a scenario: it had more than ${this.opts.stepBackInputsMax.toLocaleString('en-US')} inputs`);
    const other = this.inputs.find((i) => i.kind !== undefined && i.kind !== 'line');
    if (other !== undefined) throw new EngineError(ERROR_CODE.NOT_SUPPORTED, `cannot save this run as a scenario: ${INPUT_WORDS[other.kind ?? 'line']}, which a scenario does not hold yet (it holds typed commands)`);
    const inputs = this.inputs.flatMap((i) => (i.kind === undefined || i.kind === 'line' ? [{ atNs: i.atNs ?? 0, afterEvents: i.afterEvents, node: i.node, exec: i.line }] : []));
    if (inputs.length > SCENARIO_LIMITS.MAX_INPUTS) throw new EngineError(ERROR_CODE.NOT_SUPPORTED, `cannot save this run as a scenario: ${inputs.length} commands (at most ${SCENARIO_LIMITS.MAX_INPUTS})`);
    return { seed: this.runSeed, inputs, untilNs: w.sim.now() };
  }

  /** Go back to event count `k` by rebuilding the run (rewind.ts); paused there, later inputs forgotten. */
  private rewind(k: number): EngineResults['sim/rewind'] {
    const w = this.need();
    if (k < 0) throw new EngineError(ERROR_CODE.BAD_REQUEST, `sim/rewind: not that far back (${w.sim.executed()} events, ${w.traffic.total} traffic records so far)`);
    if (k >= w.sim.executed()) throw new EngineError(ERROR_CODE.BAD_REQUEST, `sim/rewind: event ${k} is not in the past`);
    this.pause();
    const keep = this.inputs.filter((i) => i.afterEvents <= k);
    const rerun = this.checkpoints?.take(k, keep) ?? new Rerun(this.runDoc!, this.runSeed, keep);
    rerun.runTo(k);
    this.pendingEvents = this.pendingEvents.filter((e) => e.type !== 'traffic' && e.type !== 'capture/frame');
    const sessions = this.shells.adopt(rerun);
    this.world = rerun.world;
    if (this.explaining) rerun.world.setExplaining(true);
    rerun.world.drainTraffic(0); // the rebuilt past is not news: only what happens from here is sent
    this.driver = new RealTimeDriver(rerun.world.sim, this.opts.clock, typeof this.speed === 'number' ? this.speed : 1, 50_000);
    this.lastLinkState = new Int32Array(0);
    this.clockDirty = true;
    const changed = new Set(this.inputs.flatMap((i) => (i.kind === 'link-up' || i.kind === 'link-params' ? [i.link] : [])));
    this.inputs = keep;
    const result: EngineResults['sim/rewind'] = { nowNs: rerun.world.sim.now(), events: rerun.events, records: rerun.world.traffic.total, transcripts: sessions.map((session) => ({ session, text: rerun.transcripts.get(`#${session}`) ?? '' })) };
    if (changed.size > 0)
      result.links = [...changed].map((id) => {
        const l = rerun.world.link(id)!;
        return { link: id, up: l.up, params: l.params(0), paramsBA: l.params(1) };
      });
    return result;
  }

  private stop(): void {
    this.shells.closeAll();
    this.tcpWatches.clear();
    this.running = false;
    this.world = null;
    this.driver = null;
    this.checkpoints = null;
    this.clockDirty = true;
  }

  private play(speed?: Speed): null {
    this.need();
    if (speed !== undefined) this.setSpeed(speed);
    this.running = true;
    if (this.speed !== 'max') this.driver!.start();
    this.clockDirty = true;
    return null;
  }

  private pause(): void {
    this.running = false;
    this.driver?.pause();
    this.clockDirty = true;
  }

  private setSpeed(speed: Speed): void {
    if (speed !== 'max') clampSpeed(speed);
    this.speed = speed;
    if (speed !== 'max' && this.driver) {
      this.driver.setSpeed(speed);
      if (this.running) this.driver.start();
    }
    this.clockDirty = true;
  }

  // ---- event batching --------------------------------------------------------------------

  private flush(): void {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    this.shellQueued.clear();
    const w = this.world;
    if (w) {
      for (const message of w.takeNotices()) events.push({ type: 'engine/warning', message });
      for (const message of w.takeRoutingEvents()) events.push({ type: 'routing/event', message });
      this.drainTrafficInto(w, events);
      this.captureEvents(w, events);
      this.linkStateEvents(w, events);
    }
    const skipped = this.trafficSkipped;
    this.trafficSkipped = 0;
    this.trafficBudget = this.opts.trafficPerTick;
    if (this.clockDirty || skipped > 0 || events.length > 0) {
      this.clockDirty = false;
      const clock: EngineEvent = {
        type: 'sim/clock',
        nowNs: w ? w.sim.now() : 0,
        running: this.running,
        speed: this.speed,
        pendingEvents: w ? w.sim.pending() : 0,
      };
      if (skipped > 0) clock.trafficSkipped = skipped;
      events.push(clock);
    }
    if (events.length > 0) this.emit(events);
  }

  /** Appends pending traffic events (within this flush's budget; the surplus is counted). */
  private drainTrafficInto(w: World, out: EngineEvent[]): void {
    if (w.traffic.pending() === 0) {
      this.trafficSkipped += w.traffic.takeSkipped();
      return;
    }
    const t = w.drainTraffic(Math.max(0, this.trafficBudget));
    this.trafficSkipped += t.skipped;
    this.trafficBudget -= t.events.length;
    for (const e of t.events) out.push(e);
  }

  private captureEvents(w: World, out: EngineEvent[]): void {
    for (const cap of w.captures.values()) {
      const end = Math.min(cap.frames.length, cap.streamed + this.opts.captureFramesPerTick);
      for (let i = cap.streamed; i < end; i++) {
        const f = cap.frames[i];
        const e: CapturedFrameEvent = { type: 'capture/frame', capture: cap.id, index: i, timeNs: f.timeNs, where: cap.where[f.end], direction: f.direction, frame: f.frameId, bytes: f.frame };
        out.push(e);
      }
      cap.streamed = end;
    }
  }

  private linkStateEvents(w: World, out: EngineEvent[]): void {
    const n = w.links.length;
    if (this.lastLinkState.length !== n * 3) this.lastLinkState = new Int32Array(n * 3).fill(-1);
    const last = this.lastLinkState;
    for (const l of w.links) {
      const ab = l.queueDepth(0);
      const ba = l.queueDepth(1);
      const up = l.up ? 1 : 0;
      const o = l.index * 3;
      if (last[o] === up && last[o + 1] === ab && last[o + 2] === ba) continue;
      last[o] = up;
      last[o + 1] = ab;
      last[o + 2] = ba;
      out.push({ type: 'link/state', link: l.id, up: l.up, queueDepthAB: ab, queueDepthBA: ba, label: w.linkLabel(l) });
    }
  }

  // ---- lookups and errors ----------------------------------------------------------------

  private need(): World {
    if (!this.world) throw new EngineError(ERROR_CODE.NOT_RUNNING, 'the network is not running (send net/start first)');
    return this.world;
  }

  private needNode(node: string) {
    const n = this.need().findNode(node);
    if (!n) throw new EngineError(ERROR_CODE.UNKNOWN_NODE, `unknown node ${node}`);
    return n;
  }

  private needLink(id: string) {
    const l = this.need().link(id);
    if (!l) throw new EngineError(ERROR_CODE.UNKNOWN_LINK, `unknown link ${id}`);
    return l;
  }

  private needCapture(id: number) {
    const c = this.need().captures.get(id);
    if (!c) throw new EngineError(ERROR_CODE.UNKNOWN_CAPTURE, `unknown capture ${id}`);
    return c;
  }

  /** What went wrong, as a value; reporting it (reply or event) is the caller's one job. */
  private errorInfo(err: unknown): EngineErrorInfo {
    if (err instanceof EngineError) return { code: err.code, message: err.message };
    const seed = this.world?.seed;
    if (err instanceof SimStall) {
      this.running = false;
      this.driver?.pause();
      const info: EngineErrorInfo = { code: ERROR_CODE.STALLED, message: `the run stopped: ${err.message}${seed !== undefined ? ` (replay with seed ${seed})` : ''}` };
      if (seed !== undefined) info.seed = seed;
      return info;
    }
    const message = err instanceof Error ? err.message : String(err);
    const info: EngineErrorInfo = { code: ERROR_CODE.INTERNAL, message: `internal error: ${message}` };
    if (seed !== undefined) info.seed = seed;
    return info;
  }
}


