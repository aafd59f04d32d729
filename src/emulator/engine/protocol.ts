// The typed protocol the engine speaks over a port (DESIGN decision 6): requests carry an
// id and get exactly one reply; events flow unprompted, batched per host tick. Electron
// main, the browser Web Worker, the CLI and tests all use these types, so the renderer
// cannot tell which host runs the engine. Plain structured-clone values only.

import type { GradeResult } from '../lab/grade';
import type { LinkParams, TopologyDoc } from '../topology/document';
import type { LabCommand, LabDoc } from '../topology/lab';
import type { ScenarioDoc } from '../topology/scenario';
import type { ProtoClass } from '../wire/decode';
import type { TcpProbeSample, TcpRexmitCause } from '../stack/tcp/tcp-probe';
import type { StpInfo } from '../node/stp';
import type { Decision } from '../stack/explain';
import type { NodeFilesChange } from './node-files-diff';

/** Virtual time in integer nanoseconds since the network was started. */
export type TimeNs = number;

/** `max` runs as fast as possible; a number is a fraction of real time (0.01 … 1). */
export type Speed = number | 'max';

export type EngineRequest =
  | { type: 'net/start'; doc: TopologyDoc; seed?: number }
  | { type: 'net/stop' }
  | { type: 'sim/play'; speed?: Speed }
  | { type: 'sim/pause' }
  /**
   * Run exactly one scheduled event (or `count` events), then pause. With `to: 'traffic'`
   * each step runs events until one records traffic (a frame hop, forward or drop).
   */
  | { type: 'sim/step'; count?: number; to?: 'event' | 'traffic' }
  | { type: 'sim/set-speed'; speed: Speed }
  /** Run as fast as possible until virtual time `untilNs`, then pause. */
  | { type: 'sim/run-until'; untilNs: TimeNs }
  /** Simulation mode: traffic events carry each node's decision (`decision`) while on (off at start). */
  | { type: 'sim/explain'; on: boolean }
  /**
   * Step back `back` scheduler events: the network is rebuilt as it was then (document,
   * seed and the inputs so far — shell lines, stdin text, Ctrl-C, shells closed, link
   * changes — replayed from the nearest checkpoint: engine/rewind.ts, checkpoints.ts) and
   * paused; inputs given later are forgotten (a new one branches). Captures of the old run end. With
   * `to: 'traffic'`, `back` counts traffic records: the run goes back to before the event
   * that wrote the `back`-th most recent one.
   */
  | { type: 'sim/rewind'; back: number; to?: 'event' | 'traffic' }
  /**
   * The run's inputs so far as a document's scenario (topology/scenario.ts, what `virtnet run
   * --record-scenario` writes): seed, lines typed with their virtual time and event count,
   * and now as the end time. Refused after inputs a scenario cannot hold (stdin, Ctrl-C,
   * Ctrl-Z, live link changes).
   */
  | { type: 'sim/scenario' }
  | { type: 'link/set-params'; link: string; params: Partial<LinkParams>; direction?: 'ab' | 'ba' | 'both' }
  | { type: 'link/set-up'; link: string; up: boolean }
  | { type: 'shell/open'; node: string }
  | { type: 'shell/exec'; session: number; line: string }
  | { type: 'shell/interrupt'; session: number }
  /** Ctrl-Z: stop the running command and make it a job (`fg`/`bg` continue it); nothing at the prompt. */
  | { type: 'shell/suspend'; session: number }
  /** Text typed while a command runs, for its standard input (nc); `accepted` false when it reads none. */
  | { type: 'shell/input'; session: number; text: string }
  /** Tab: what the word before `cursor` in `line` could become (nothing runs). */
  | { type: 'shell/complete'; session: number; line: string; cursor: number }
  | { type: 'shell/close'; session: number }
  | { type: 'inspect/node'; node: string }
  | { type: 'inspect/counters' }
  /** Nodes whose files changed since the network started (shell edits, services' files): Stop offers to keep them. */
  | { type: 'net/files' }
  /** A node's TCP connections (netstat -an) with their congestion state. */
  | { type: 'tcp/connections'; node: string }
  /** Start recording a connection's sample log (at most TCP_WATCH_MAX at once); `on: false` stops and forgets it. */
  | { type: 'tcp/watch'; node: string; conn: string; on: boolean }
  /** Samples of a watched connection numbered `since` and later (start at 0; pass back `next`). */
  | { type: 'tcp/samples'; node: string; conn: string; since: number }
  | { type: 'capture/start'; target: CaptureTarget }
  | { type: 'capture/stop'; capture: number }
  | { type: 'capture/export'; capture: number; format: 'pcap' | 'pcapng' }
  /**
   * Grades `work` against `lab` (whose starting network is `start`) in a separate headless
   * network, after replaying `commands`; the running network, if any, is not touched.
   */
  | { type: 'lab/grade'; lab: LabDoc; start: TopologyDoc; work: TopologyDoc; commands?: LabCommand[] };

export type EngineRequestType = EngineRequest['type'];

/** What a request returns on success, by request type. */
export interface EngineResults {
  /** `events`: scheduler events the startup configuration ran (a replayed scenario counts from here). */
  'net/start': { warnings: string[]; nodes: number; links: number; events: number };
  'net/stop': null;
  'sim/play': null;
  'sim/pause': null;
  /** `events`: scheduler events run since the start (a scenario's `afterEvents` counts these). */
  'sim/step': { executed: number; nowNs: TimeNs; events: number };
  'sim/set-speed': null;
  'sim/run-until': { nowNs: TimeNs };
  'sim/explain': null;
  'sim/scenario': ScenarioDoc;
  /** Where the run is now, and each open shell's output up to then. */
  'sim/rewind': {
    nowNs: TimeNs;
    events: number;
    transcripts: { session: number; text: string }[];
    /** Traffic records the rebuilt run has written (the timeline keeps that many: same-instant hops undone go too). */
    records?: number;
    /** Links set down/up or re-parametered live in this run, as they are at the moment stepped back to (parameters a→b and b→a). */
    links?: { link: string; up: boolean; params: LinkParams; paramsBA: LinkParams }[];
  };
  'link/set-params': null;
  'link/set-up': null;
  'shell/open': { session: number; prompt: string; banner: string };
  'shell/exec': null;
  'shell/interrupt': null;
  'shell/suspend': null;
  'shell/input': { accepted: boolean };
  /** `line.slice(from, cursor)` may be replaced by any of `candidates` (sorted). */
  'shell/complete': { from: number; candidates: string[] };
  'shell/close': null;
  'inspect/node': NodeSnapshot;
  'inspect/counters': { interfaces: InterfaceCounters[]; links: LinkCounters[] };
  'net/files': { nodes: NodeFilesChange[] };
  'tcp/connections': { connections: TcpConnSnapshot[]; listening: number[] };
  'tcp/watch': null;
  /** `conn` null once the connection is gone (its last samples are still returned); `lost`: samples overwritten before they were read. */
  'tcp/samples': { conn: TcpConnSnapshot | null; samples: TcpProbeSample[]; next: number; lost: number };
  'capture/start': { capture: number; name: string };
  'capture/stop': null;
  'capture/export': { bytes: Uint8Array; fileName: string };
  'lab/grade': GradeResult;
}

/** Envelope on the port: renderer/CLI → engine. */
export interface RequestMessage {
  id: number;
  request: EngineRequest;
}

/** Envelope on the port: engine → caller. Exactly one reply per request id. */
export type ReplyMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: EngineErrorInfo }
  | { kind: 'events'; events: EngineEvent[] };

export interface EngineErrorInfo {
  /** Stable machine code: `bad-request`, `unknown-node`, `not-running`, `internal` … */
  code: string;
  message: string;
  /** Seed of the run, reported with internal errors so they can be replayed. */
  seed?: number;
}

export type CaptureTarget = { kind: 'iface'; node: string; iface: string } | { kind: 'link'; link: string };

export type TrafficAction = 'tx' | 'rx' | 'fwd' | 'drop' | 'deliver';

/** Protocol class for colouring: the highest layer we recognise (declared once, in wire/decode). */
export type { ProtoClass };

/**
 * One record of traffic (DESIGN decision 4). `tx` is a frame leaving an interface onto
 * its link, `rx` a frame arriving at an interface, `fwd` a datagram routed from one
 * interface to another, `drop` a frame or datagram discarded with its reason, `deliver` a
 * datagram that reached its node and was answered as its sender expects (a traceroute
 * probe's port unreachable), with what happened in `reason`.
 */
export interface TrafficEvent {
  type: 'traffic';
  /** Monotonic id of the frame on the wire it refers to (same id for tx and its rx). */
  frame: number;
  timeNs: TimeNs;
  action: TrafficAction;
  node: string;
  iface?: string;
  /** Link id the frame is on (tx/rx/link drops). */
  link?: string;
  proto: ProtoClass;
  /** One-line summary like tshark's Info column. */
  summary: string;
  lengthBytes: number;
  /**
   * Drop reason (`no-route`, `ttl-exceeded`, `queue-full`, `link-loss` …), for `deliver` how it
   * was answered, for a `tx` of a retransmitted TCP segment why (`retransmitted: 3 duplicate ACKs`,
   * `retransmitted: RTO expired`, `retransmitted: SACK recovery`).
   */
  reason?: string;
  /** For tx: when the frame will arrive at the far end (lets the UI animate it). */
  arriveNs?: TimeNs;
  /** For fwd: the interface the datagram came in on (`iface` is the one it leaves by). */
  fromIface?: string;
  /** For a `firewall` drop: the number of the ipfw rule that dropped it. */
  rule?: number;
  /** For a TCP segment: its flags byte (TCP_FLAG bits), so the canvas can mark SYN, FIN and RST. */
  tcpFlags?: number;
  /** Why the node did it (route, ARP, switch, TTL, firewall, socket), present only while explanations are on. */
  decision?: Decision;
  /**
   * The frame's bytes at this point (a copy; one per frame per batch, shared by its events),
   * present only while explanations are on: the explain view decodes it before and after.
   */
  bytes?: Uint8Array;
}

export interface CapturedFrameEvent {
  type: 'capture/frame';
  capture: number;
  index: number;
  timeNs: TimeNs;
  /** `node:iface` the frame was seen on. */
  where: string;
  /** Direction relative to `where`. */
  direction: 'in' | 'out';
  frame: number;
  bytes: Uint8Array;
}

export type EngineEvent =
  | TrafficEvent
  | CapturedFrameEvent
  | {
      type: 'sim/clock';
      nowNs: TimeNs;
      running: boolean;
      speed: Speed;
      pendingEvents: number;
      /** Traffic events left out of this batch (too many per tick, the most recent are kept). */
      trafficSkipped?: number;
    }
  /** Shell output, in stream order with the traffic events around it (not merged across them). */
  | { type: 'shell/output'; session: number; text: string }
  /** The command finished; the shell is ready for the next line. */
  | { type: 'shell/done'; session: number; exitCode: number; prompt: string }
  /** The running command started (open) or stopped reading its standard input (shell/input). */
  | { type: 'shell/stdin'; session: number; open: boolean }
  /** `label` names the link by its ends, as a person reads it: `router1:eth1 — switch2:eth0`. */
  | { type: 'link/state'; link: string; up: boolean; queueDepthAB: number; queueDepthBA: number; label?: string }
  /** Something the user should know that does not stop the run: a bound hit (once each), a loop detected. */
  | { type: 'engine/warning'; message: string }
  /** A routing daemon's event: adjacency up/down, a route added, changed or removed (`router1: zebra: …`). */
  | { type: 'routing/event'; message: string }
  | { type: 'engine/error'; error: EngineErrorInfo };

/** A watched connection's sample log (declared once, in stack/tcp/tcp-probe). */
export type { TcpProbeSample, TcpRexmitCause };

/** One TCP connection of a node, as `netstat -an` lists it plus its congestion state (tcp/connections). */
export interface TcpConnSnapshot {
  /** Stable id of the connection on its node: `local addr:port-remote addr:port`. */
  conn: string;
  /** `10.0.0.20.5201` as netstat -an prints an endpoint. */
  local: string;
  remote: string;
  state: string;
  recvQ: number;
  sendQ: number;
  /** Congestion-control algorithm (net.inet.tcp.cc.algorithm when it was created). */
  cc: string;
  mss: number;
  cwnd: number;
  /** Null while unset (FreeBSD's "infinite" initial ssthresh). */
  ssthresh: number | null;
  srttNs: number;
  rtoNs: number;
  sndWnd: number;
  /** Data segments sent again (tcpi_snd_rexmitpack). */
  rexmitPack: number;
  sackOn: boolean;
  /** The connection's sample log is being recorded. */
  watched: boolean;
}

export interface InterfaceSnapshot {
  name: string;
  mac?: string;
  mtu: number;
  up: boolean;
  carrier: boolean;
  ipv4: string[];
  counters: InterfaceCounterValues;
}

export interface InterfaceCounterValues {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  drops: number;
  errors: number;
}

export interface InterfaceCounters extends InterfaceCounterValues {
  node: string;
  iface: string;
}

/** What one direction of a link counts itself (as ng_pipe does). */
export interface LinkDirCounterValues {
  /** Frames handed to the link in this direction (duplicates included). */
  offered: number;
  sentPackets: number;
  sentBytes: number;
  deliveredPackets: number;
  deliveredBytes: number;
  /** Frames queued or on the wire now. */
  inFlight: number;
  /** Discards by reason: link-down, queue-full, link-loss, link-ber. */
  drops: Record<string, number>;
}

export interface LinkCounters {
  link: string;
  /** `router1:eth1 — switch2:eth0`. */
  label: string;
  ab: LinkDirCounterValues;
  ba: LinkDirCounterValues;
}

export interface NodeSnapshot {
  node: string;
  name: string;
  kind: string;
  forwarding: boolean;
  interfaces: InterfaceSnapshot[];
  arp: { ip: string; mac: string | null; iface: string; state: 'complete' | 'incomplete'; expiresInNs: number | null }[];
  /** `origin`: connected, local, static, kernel, rip, ospf or bgp; `ageNs`: time since it was installed. */
  routes: { dest: string; gateway: string | null; iface: string; flags: string; origin: string; ageNs: number }[];
  /** Learning-bridge table of a switch. */
  macTable?: { mac: string; port: string; ageNs: number; /** VLAN of the entry on a VLAN-filtering switch. */ vlan?: number }[];
  /** The node's firewall (ipfw/iptables, NAT, dummynet), absent until its first ipfw/iptables command. */
  firewall?: FirewallSnapshot;
  /** Running services (dhcpd leases, a dhclient's lease, dhcrelay), each as one table; absent when none runs. */
  services?: ServiceSnapshot[];
  /** named's cache while named runs: one row per record (or negative answer), TTL left in seconds. */
  dnsCache?: DnsCacheSnapshot;
  /** An stpswitch's spanning tree: bridge and root ids (`32768.42:00:aa:00:00:01`), root port, per-port role and state. */
  stp?: StpSnapshot;
}

/** One running service as a titled table (`dhcpd leases`: Address, MAC, State, Expires in). */
export interface ServiceSnapshot {
  key: string;
  title: string;
  columns: string[];
  rows: string[][];
}

export interface DnsCacheSnapshot {
  /** The zones named serves or is transferring: `state` is `loaded`, or why a secondary has no copy yet. */
  zones: { name: string; type: string; serial: number | null; records: number; state: string }[];
  /** At most DNS_CACHE_ROWS_MAX rows, oldest first; `more` counts the rest. */
  rows: { name: string; type: string; data: string; ttlS: number }[];
  more: number;
  hits: number;
  misses: number;
}

/** Defined beside the bridge that fills it (node/stp.ts). */
export type StpSnapshot = StpInfo;

/** One NAT instance (`ipfw nat N`) and its live links, original (inside) ↔ alias (outside) endpoint. */
export interface FwNatSnapshot {
  n: number;
  config: string;
  /** The alias address now ('' when its interface has none). */
  alias: string;
  links: { proto: string; original: string; alias: string; remote: string; /** null: a permanent redirect. */ expiresInNs: number | null }[];
  moreLinks: number;
}

/** A node's firewall as `ipfw show`, `ipfw nat show` and `ipfw pipe show` see it; each list capped, `more*` says how many rows were left out. */
export interface FirewallSnapshot {
  enabled: boolean;
  /** Static rules in order, with `ipfw show` counters; `text` is the rule as `ipfw list` prints it, without the number. */
  rules: { num: number; packets: number; bytes: number; text: string }[];
  moreRules: number;
  /** Live dynamic rules (keep-state). */
  states: number;
  nats: FwNatSnapshot[];
  moreNats: number;
  /** dummynet pipes: configuration, packets queued now and totals. */
  pipes: { n: number; bandwidthBps: number; delayNs: number; queueMax: number; queueBytes: boolean; plrPpm: number; queued: number; queuedBytes: number; totPackets: number; totBytes: number; drops: number }[];
  morePipes: number;
  /** dummynet queues (ipfw queue N config pipe P weight W): their pipe, weight, bound, packets waiting and totals. Absent from older engines. */
  queues?: { n: number; pipe: number; weight: number; queueMax: number; queueBytes: boolean; plrPpm: number; queued: number; queuedBytes: number; totPackets: number; totBytes: number; drops: number }[];
}
