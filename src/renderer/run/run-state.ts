// Run mode's state shape and what its action modules share: the store's fields, the
// injected dependencies (engine port, frame summariser, frame scheduler, wall clock, file
// saver) and the context each action module receives. Types, the initial state and
// `isRunning`; no behaviour.
import type { CaptureTarget, EngineResults, InterfaceCounters, NodeSnapshot, Speed } from '../../emulator/engine/protocol';
import type { LinkParams, TopologyDoc } from '../../emulator/topology/document';
import type { CaptureInfo, Summarize } from './capture-store';
import type { EnginePort } from './engine-client';
import type { FrameScheduler } from './event-batcher';
import type { Result, RunSession } from './run-session';
import type { ShellHub } from './shell-hub';
import type { TcpActions } from './run-tcp';
import type { ClockSample } from './time-map';
import type { JourneyPath, Timeline } from './timeline';

export const RUN_STATUS = { stopped: 'stopped', starting: 'starting', running: 'running', failed: 'failed' } as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

/** The network runs (or is starting): the editor locks topology edits (link parameters stay editable). */
export function isRunning(s: { status: RunStatus }): boolean {
  return s.status === 'running' || s.status === 'starting';
}

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

/** Work Stop would throw away, shown in the Stop dialog. */
export interface StopPrompt {
  shells: { session: number; nodeName: string }[];
  captures: { id: number; name: string; frames: number }[];
  /** Nodes whose files changed while running (shell edits, services' files): kept in the document if the user says so. */
  files: StopFilesChange[];
}

/** One node's files changed during the run: all its files now, and the paths that changed. */
export interface StopFilesChange {
  node: string;
  nodeName: string;
  files: Record<string, string>;
  changed: string[];
}

export interface RunDeps {
  createPort(): EnginePort;
  summarize: Summarize;
  schedule: FrameScheduler;
  nowMs(): number;
  /** Saves a file for the user (a download; Electron asks where). Absent: nothing can be saved. */
  saveFile?(name: string, data: Uint8Array | string, mime: string): void;
  /** A command line the user ran in a node's shell (a lab records the student's work). */
  onCommand?(nodeName: string, line: string): void;
  /** At Stop the user chose to keep these nodes' changed files: the editor puts them into the document. */
  onFilesKept?(changes: readonly StopFilesChange[]): void;
}

export interface RunState {
  status: RunStatus;
  error: string | null;
  warnings: string[];
  doc: TopologyDoc | null;
  /** The engine's virtual clock as last reported (the truth; the display may lag behind it in slow motion). */
  clock: ClockSample | null;
  /** The user wants time to run (slow motion may still hold the engine back briefly). */
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
  /** The packet followed in the timeline: every node and link it went through is coloured on the canvas. */
  journey: JourneyPath | null;
  /** Links changed live in this run, as they were at the moment last stepped back to (the editor shows them; `seq` tells steps apart). */
  rewoundLinks: { links: NonNullable<EngineResults['sim/rewind']['links']>; seq: number } | null;
  /** Canvas flash for a selected packet. */
  highlight: { node?: string; link?: string; seq: number; atMs: number } | null;
  trafficCount: number;
  /** Simulation mode: nodes explain their decisions (traffic events carry them); on by default in the app. */
  explain: boolean;
  /** Bumped whenever the timeline (RunStore.timeline) gained events. */
  timelineVersion: number;
  /** Stop was asked for while unsaved transcripts or captures exist. */
  stopPrompt: StopPrompt | null;
  /** Link edits made while running changed the document: said once, until dismissed. */
  linkEditNotice: boolean;
  /** The node whose TCP connections the TCP tab shows. */
  tcpNodeId: string | null;
}

export interface RunActions extends TcpActions {
  /** Starts the network; `paused` leaves the clock stopped (a scenario replay drives it). */
  start(doc: TopologyDoc, seed?: number, paused?: boolean): Promise<void>;
  /** The run's inputs so far as a scenario for the document (null, with the reason logged, when it cannot be one). */
  scenario(): Promise<EngineResults['sim/scenario'] | null>;
  /** Starts `doc` afresh with its scenario's seed and types its commands at their event counts, then pauses at its end time. */
  replayScenario(doc: TopologyDoc): Promise<boolean>;
  stop(): Promise<void>;
  /** Stop, but first ask when transcripts, captures or changed node files would be lost (see `stopPrompt`). */
  requestStop(): Promise<void>;
  /**
   * Answer to the Stop dialog: save everything first (transcripts, captures, and the files
   * of the nodes in `keepFiles`, all of them when absent), stop without saving, or keep running.
   */
  answerStop(answer: 'save' | 'discard' | 'cancel', keepFiles?: readonly string[]): Promise<void>;
  /** Stops whatever is left and starts again, with `doc` if given (the editor's current one). */
  restart(doc?: TopologyDoc): Promise<void>;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** Runs to the next traffic event (a frame hop) and shows it. */
  step(): Promise<void>;
  /** Go back `count` traffic events: the network as it was then (rebuilt by replay); typing then branches. */
  stepBack(count: number): Promise<void>;
  setSpeed(speed: Speed): Promise<void>;
  openShell(nodeId: string): Promise<number | null>;
  closeShell(session: number): Promise<void>;
  exec(session: number, line: string): Promise<void>;
  interrupt(session: number): Promise<void>;
  /** Ctrl-Z: stop the running command (the shell makes it a job). */
  suspend(session: number): Promise<void>;
  /** Text typed for the running command's standard input. */
  input(session: number, text: string): Promise<void>;
  /** Tab completion candidates for the word before `cursor` (null if the engine could not answer). */
  complete(session: number, line: string, cursor: number): Promise<{ from: number; candidates: string[] } | null>;
  setActiveTab(tab: string): void;
  startCapture(target: CaptureTarget): Promise<number | null>;
  stopCapture(capture: number): Promise<void>;
  exportCapture(capture: number, format: 'pcap' | 'pcapng'): Promise<{ bytes: Uint8Array; fileName: string } | null>;
  /** Exports and saves a capture (marks it saved for the Stop dialog). */
  saveCapture(capture: number, format: 'pcap' | 'pcapng'): Promise<boolean>;
  /** A shell's transcript as text: output with the commands typed, no terminal escapes. */
  transcriptText(session: number): string;
  setLinkParams(link: string, params: Partial<LinkParams>, direction?: 'ab' | 'ba' | 'both', before?: LinkParams): Promise<void>;
  setLinkUp(link: string, up: boolean): Promise<void>;
  /** The document changed a link while running (shown as a notice until dismissed). */
  noteLinkEdit(): void;
  dismissLinkEditNotice(): void;
  inspect(nodeId: string | null): Promise<void>;
  refreshCounters(): Promise<void>;
  flash(target: { node?: string; link?: string }): void;
  /** Follow one packet (its journeyKey) across its hops on the canvas; null stops following. */
  follow(key: string | null, label?: string): void;
  /** Turn simulation mode's explanations on or off (kept across restarts). */
  setExplain(on: boolean): Promise<void>;
  /** Virtual time on display: monotonic, the shown event's time in slow motion, the engine's when paused. */
  displayNs(): number;
  clockText(): string;
}

/** Main-thread cost of applying event batches (for the frame-time report). */
export interface BatchStats {
  batches: number;
  events: number;
  totalMs: number;
  maxMs: number;
}

/** What every action module gets: state access, the live session, and shared helpers. */
export interface RunCtx {
  deps: RunDeps;
  get(): RunState & RunActions;
  set(patch: Partial<RunState>): void;
  live(): RunSession | null;
  setLive(s: RunSession | null): void;
  /** A request on the live session; a refusal is logged and returned as a value. */
  call<T>(fn: (c: RunSession['client']) => Promise<T>): Promise<Result<T>>;
  log(entries: Omit<LogEntry, 'seq'>[]): void;
  fail(message: string): void;
  nodeName(id: string): string;
  shells: ShellHub;
  captureMap: Map<number, CaptureInfo>;
  stats: BatchStats;
  /** Commands typed per shell session, with where in the transcript they were typed. */
  commands: Map<number, { at: number; line: string }[]>;
  /** Transcript length per session when it was last saved. */
  savedTranscripts: Map<number, number>;
  /** Every traffic event of this run, for the timeline. */
  timeline: Timeline;
}

export function initialState(): RunState {
  return {
    status: 'stopped', error: null, warnings: [], doc: null, clock: null, playing: false,
    speed: 1, terminals: [], activeTab: 'events', captures: [], captureVersion: 0, log: [],
    inspectNodeId: null, snapshot: null, counters: [], highlight: null, journey: null, rewoundLinks: null, trafficCount: 0, explain: true, timelineVersion: 0,
    stopPrompt: null, linkEditNotice: false, tcpNodeId: null,
  };
}
