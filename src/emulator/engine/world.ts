// The World: builds the running network from a topology document — one cloned stack per
// pc/host/router (with its routing daemons from frr.conf and IMUNES auto default routes),
// a bridge per lanswitch/hub, a pipe per link — implements StackEnv for
// every stack, and runs the hot path: each frame a link moves or a node drops is written
// to the traffic record (trace.ts) and handed to captures (capture.ts), which own turning
// records into events and frames into files. Counters belong to their owners (stack
// interfaces, switch ports, link directions), never to the World. It must not pace time
// (the engine does) nor speak the protocol (engine.ts does). Bounds it hits are queued
// once each as notices. RFC 1812 §5.3.5 and RFC 826 are applied through the stack API only.
// With explanations on (simulation mode) it also groups each node's decisions per scheduler
// event and files them beside the records they explain (stack/explain.ts).

import { syncDaemonProcs } from '../node/daemons/daemon-procs';
import { changedNodeFiles, filesBaseline, type FilesBaseline, type NodeFilesChange } from './node-files-diff';
import { FrameAlloc } from '../stack/frame-alloc';
import { NodeFiles, nodeFiles } from '../node/files';
import { nodeServices, registerService, type NodeServices } from '../node/services';
import { startDhclient } from '../node/services/dhclient';
import type { NamedServer } from '../node/services/named-types';
import type { Httpd } from '../node/services/httpd';
import { startNodeHttpd } from '../node/services/httpd-node';
import type { NodeProcs } from '../node/procs';
import { Scheduler, ZERO_PROGRESS_EVENTS } from '../sim/scheduler';
import { RngStreams, type Rng } from '../sim/rng';
import { Link, WORLD_IN_FLIGHT_MAX, type InFlightBudget, type LinkDir, type LinkEndpoint, type LinkObserver } from '../link/link';
import { Bridge, vlanPortsFromDoc, type PortedNode } from '../node/bridge';
import { PatmatFilter, patmatRulesFromDoc } from '../node/filter';
import { Packgen, packgenFromDoc } from '../node/packgen';
import { StpBridge, stpConfigFromDoc } from '../node/stp';
import { Hub } from '../node/hub';
import { DROP, type AnswerNote, type DropReason, type StackEnv, type TraceSink } from '../stack/env';
import type { NetStack } from '../stack/types';
import { DECISION_STEPS_MAX, dropLayer, type Decision, type DecisionStep, type Explainer } from '../stack/explain';
import { createStack, ifaceAddAddress, routeAdd, setCarrier, type StackIfaceOptions } from '../stack';
import { configureInet6 } from './world-inet6';
import { etherInput } from '../stack/ip-input';
import { parseCidr, parseIpv4, parseMac } from '../wire/addr';
import { defaultForwarding, isEmulatedKind, type InterfaceDoc, type LinkDoc, type LinkParams, type NodeDoc, type TopologyDoc } from '../topology/document';
import type { InterfaceCounterValues, TrafficEvent } from './protocol';
import { ACTION, Notices, TrafficEvents, TrafficRecord, type TraceNames } from './trace';
import { CaptureTaps, type Capture, type CaptureSpec } from './capture';
import { ERROR_CODE, EngineError } from './errors';
import { frrNotRunning, startDaemons, type NodeDaemons } from '../node/daemons';
import type { RtadvdDaemon } from '../node/daemons/rtadvd';
import { imunesDefaultGateways } from '../topology/imunes/default-routes';

export interface NodeRuntime {
  id: string;
  name: string;
  kind: string;
  /** Index in world.nodes (the stack's nodeIndex). */
  index: number;
  stack: NetStack | null;
  /** Layer-2 nodes without a stack: lanswitch, hub, stpswitch, filter, packgen. */
  bridge?: PortedNode;
  /** World-wide index of this node's interface 0. */
  ifaceBase: number;
  /** Interface (or port) names by local index. */
  ifaceNames: string[];
  /** Routing daemons started from the node's frr.conf; absent when it has none (idle nodes stay small). */
  daemons?: NodeDaemons;
  /** rtadvd started from the node's shell; absent until then. */
  rtadvd?: RtadvdDaemon;
  /** The node's private files (node/files.ts); absent until a file is written or read from the document. */
  files?: NodeFiles;
  /** Services started on the node (dhcpd, dhclient, dhcrelay); absent until one starts. */
  services?: NodeServices;
  /** The node's programs with their PIDs (ps, kill, sockstat); absent until one starts or a shell opens. */
  procs?: NodeProcs;
  /** named (node/services/named.ts) while it runs on this node; absent otherwise. */
  named?: NamedServer;
  /** The web server a `host` node runs from Start (node/services/httpd.ts); absent on other kinds. */
  httpd?: Httpd;
}

export interface WorldOptions {
  seed?: number;
  /** Traffic ring capacity in records (default 4096). */
  traceCapacity?: number;
  /** Hash every traffic record for `traceHash()` (default true; the bench turns it off). */
  traceHash?: boolean;
  /**
   * Events allowed at one virtual instant before the run stops as stuck (default: the
   * larger of 1 million and 4 × interfaces², the burst of every interface broadcasting
   * at once). The bench, which injects traffic without advancing time, turns it off.
   */
  zeroProgressEvents?: number;
  /** Frames in flight on all links together (default WORLD_IN_FLIGHT_MAX). */
  inFlightMax?: number;
  /**
   * Called once nodes and links exist, before addresses are configured (configuring an
   * address announces it with a gratuitous ARP at t=0): start captures here to record
   * the network from its first frame.
   */
  onWired?: (world: World) => void;
}

/** Notices kept until taken (older ones are counted, not kept). */
export const NOTICES_MAX = 256;

export class World implements LinkObserver, TraceNames {
  readonly sim = new Scheduler();
  readonly seed: number;
  readonly nodes: NodeRuntime[] = [];
  readonly links: Link[] = [];
  /** Problems found while building (reported once by net/start). */
  readonly warnings: string[] = [];
  readonly traffic: TrafficRecord;
  readonly events: TrafficEvents;
  taps: CaptureTaps;
  private readonly rngs: RngStreams;
  private readonly byName = new Map<string, NodeRuntime>();
  private readonly byId = new Map<string, NodeRuntime>();
  private readonly linkById = new Map<string, Link>();
  /** World interface → owning node index / link / side. */
  private ifaceNode: number[] = [];
  private ifaceLink: (Link | null)[] = [];
  private ifaceSide: LinkDir[] = [];
  /** Per link: world interface of side a (2k) and side b (2k+1). */
  private linkEnds: number[] = [];
  private readonly budget: InFlightBudget;
  private nextFrame = 1;
  /** The frame a stack is transmitting with a note (a TCP retransmission's reason) and the note's code: its tx record carries it. */
  private noteFrame: Uint8Array | null = null;
  private noteCode = 0;
  /** Frame being delivered right now, so a stack's drop of it keeps the wire frame id. */
  private curFrame: Uint8Array | null = null;
  private curFrameId = 0;
  /** The link that delivered curFrame also delivered the same object elsewhere (LinkObserver.linkRx). */
  private curShared = false;
  /** curFrame is being rewritten in place by the stack handling it: records of it from now on are of a new frame, as a copy's would be. */
  private curRewritten = false;
  /** Run-time warnings (bounds hit, loops detected) not yet taken. */
  private readonly notices = new Notices(NOTICES_MAX);
  /** Routing events (adjacencies, route changes) for the Events list, bounded like notices. */
  private readonly routingEvents = new Notices(NOTICES_MAX);
  readonly traceSink: TraceSink;
  /** Frame memory of every stack in this world (stack/frame-alloc.ts). */
  readonly frames = new FrameAlloc();
  /** Explanations on (simulation mode): stacks and switches file their decisions here. */
  private explaining = false;
  private readonly explainer: Explainer = { step: (nodeIndex, s) => this.explainStep(nodeIndex, s) };
  /** The decision being built, and the scheduler event and node it belongs to. */
  private decision: Decision | null = null;
  private decisionEvent = -1;
  private decisionNode = -1;

  /** The document the world was built from (read-only: IMUNES start-time settings read it). */
  private readonly doc: TopologyDoc;

  constructor(doc: TopologyDoc, options: WorldOptions = {}) {
    this.doc = doc;
    this.seed = (options.seed ?? 1) >>> 0;
    this.rngs = new RngStreams(this.seed);
    this.budget = { inFlight: 0, max: options.inFlightMax ?? WORLD_IN_FLIGHT_MAX };
    this.traffic = new TrafficRecord(options.traceCapacity ?? 4096, options.traceHash ?? true, this.sim);
    this.events = new TrafficEvents(this.traffic, this);
    this.traceSink = {
      forwarded: (nodeIndex, inIf, outIf, frame) => this.onForwarded(nodeIndex, inIf, outIf, frame),
      dropped: (nodeIndex, ifIndex, frame, reason, rule) => this.onStackDrop(nodeIndex, ifIndex, frame, reason, rule),
      answered: (nodeIndex, ifIndex, frame, note) => this.onStackAnswered(nodeIndex, ifIndex, frame, note),
      transmitNote: (_nodeIndex, frame, note) => {
        this.noteFrame = frame;
        this.noteCode = this.traffic.reasonCode(note);
      },
    };
    for (const n of doc.nodes) this.buildNode(n, doc);
    for (const l of doc.links) this.buildLink(l);
    this.taps = new CaptureTaps(this.ifaceNode.length, this.links.length);
    const ifaces = this.ifaceNode.length;
    this.sim.zeroProgressEvents = options.zeroProgressEvents ?? Math.max(ZERO_PROGRESS_EVENTS, 4 * ifaces * ifaces);
    this.initialCarrier();
    // Packet generators start once wired (IMUNES: "don't start traffic without a link").
    for (const rt of this.nodes) if (rt.bridge instanceof Packgen && this.ifaceLink[rt.ifaceBase] !== null) rt.bridge.start();
    options.onWired?.(this);
    // Addresses and routes last: adding an address announces it (gratuitous ARP) on the wire.
    for (const n of doc.nodes) {
      const rt = this.byId.get(n.id);
      if (rt?.stack) this.configureStack(n, rt.stack);
    }
    // Daemons last, once every address exists (as IMUNES boots FRR after ifconfig).
    for (const n of doc.nodes) {
      const rt = this.byId.get(n.id);
      if (rt?.stack && n.frrConf !== undefined) this.startDaemons(n, rt, rt.stack, n.frrConf);
      if (rt?.stack && n.kind === 'host') this.startHttpd(rt, rt.stack);
    }
    // Interfaces marked `dhcp` ask for their address once everything is wired (rc.conf's `ifconfig_X="DHCP"`).
    for (const n of doc.nodes) {
      const rt = this.byId.get(n.id);
      if (rt?.stack) for (const i of n.interfaces) if (i.dhcp === true && i.type !== 'lo') this.startDhclient(rt, rt.stack, i.name);
    }
  }

  /** dhclient on `iface` in the background, as rc runs it; a failure is a warning naming the node. */
  private startDhclient(rt: NodeRuntime, stack: NetStack, iface: string): void {
    const ns = nodeServices(rt);
    const c = startDhclient({ node: rt.name, stack, files: nodeFiles(rt) }, ns, iface, () => {}, () => {});
    if ('error' in c) this.warnings.push(`${rt.name}: ${c.error}`);
    else registerService(rt, c, this.sim.now());
  }

  /** Starts the node's routing daemons; what does not run is one `router R: …` line, each unimplemented statement a located line. */
  private startDaemons(n: NodeDoc, rt: NodeRuntime, stack: NetStack, text: string): void {
    rt.daemons = startDaemons(stack, text, (m) => this.warnings.push(`${n.name}: ${m}`));
    syncDaemonProcs(rt, this.sim.now());
    const off = frrNotRunning(rt.daemons.config);
    if (off !== null) this.warnings.push(`router ${n.name}: ${off}`);
  }

  /** A host's web server (issue 14: on by default on `host` nodes); a taken port 80 is a warning. */
  private startHttpd(rt: NodeRuntime, stack: NetStack): void {
    const h = startNodeHttpd(rt, stack, this.sim);
    if ('errno' in h) this.warnings.push(`host ${rt.name}: httpd: port 80: ${h.errno}`);
  }

  rng(name: string): Rng {
    return this.rngs.get(name);
  }

  /** Every node's files now, to compare with later (`changedFiles`). */
  filesBaseline(): FilesBaseline {
    return filesBaseline(this);
  }

  /** The nodes whose files differ from `base` (files kept at Stop, `virtnet run --keep-files`). */
  changedFiles(base: FilesBaseline): NodeFilesChange[] {
    return changedNodeFiles(this, base);
  }

  nodeByName(name: string): NodeRuntime | undefined {
    return this.byName.get(name);
  }

  nodeById(id: string): NodeRuntime | undefined {
    return this.byId.get(id);
  }

  /** Node by id or, failing that, by name (protocol requests accept either). */
  findNode(idOrName: string): NodeRuntime | undefined {
    return this.byId.get(idOrName) ?? this.byName.get(idOrName);
  }

  link(id: string): Link | undefined {
    return this.linkById.get(id);
  }

  setLinkParams(id: string, params: Partial<LinkParams>, direction: 'ab' | 'ba' | 'both' = 'both'): boolean {
    const l = this.linkById.get(id);
    if (!l) return false;
    l.setParams(params, direction);
    return true;
  }

  setLinkUp(id: string, up: boolean): boolean {
    const l = this.linkById.get(id);
    if (!l) return false;
    l.setUp(up);
    return true;
  }

  /** World interface index of `node`'s interface `iface`, or -1. */
  ifaceOf(node: NodeRuntime, iface: string): number {
    const k = node.ifaceNames.indexOf(iface);
    return k < 0 ? -1 : node.ifaceBase + k;
  }

  ifaceCount(): number {
    return this.ifaceNode.length;
  }

  /** `node:iface` label of a world interface (node by name, as captures and the CLI show it). */
  ifaceLabel(g: number): string {
    const n = this.nodes[this.ifaceNode[g]];
    return `${n.name}:${n.ifaceNames[g - n.ifaceBase]}`;
  }

  /** A link as a person reads it: `router1:eth1 — switch2:eth0`. */
  linkLabel(link: Link): string {
    return `${this.ifaceLabel(this.linkEnds[link.index * 2])} — ${this.ifaceLabel(this.linkEnds[link.index * 2 + 1])}`;
  }

  /** The counters an interface keeps itself: the stack's (netstat -i) or the switch port's. */
  ifaceCounters(g: number): InterfaceCounterValues {
    const n = this.nodes[this.ifaceNode[g]];
    const k = g - n.ifaceBase;
    const c = n.stack ? n.stack.ifaces[k].counters : n.bridge!.counters[k];
    return { rxPackets: c.rxPackets, rxBytes: c.rxBytes, txPackets: c.txPackets, txBytes: c.txBytes, drops: c.drops, errors: c.errors };
  }

  /** The link an interface is cabled to and its side, or null. */
  ifaceLinkOf(g: number): { link: Link; side: LinkDir } | null {
    const l = this.ifaceLink[g];
    return l ? { link: l, side: this.ifaceSide[g] } : null;
  }

  /** Frames in flight on all links together (the shared budget). */
  inFlight(): number {
    return this.budget.inFlight;
  }

  traceHash(): string {
    return this.traffic.traceHash();
  }

  // ---- TraceNames (used when events are built, never on the hot path) --------------------

  ifaceNodeId(g: number): string {
    return this.nodes[this.ifaceNode[g]].id;
  }

  ifaceName(g: number): string {
    const n = this.nodes[this.ifaceNode[g]];
    return n.ifaceNames[g - n.ifaceBase];
  }

  nodeId(index: number): string {
    return this.nodes[index].id;
  }

  linkId(index: number): string {
    return this.links[index].id;
  }

  /** Listen to every traffic event as it happens (builds events eagerly: tests and CLI only). */
  onTraffic(listener: (e: TrafficEvent) => void): () => void {
    return this.events.listen(listener);
  }

  /** Build up to `max` pending traffic events (the most recent), and how many were skipped. */
  drainTraffic(max: number): { events: TrafficEvent[]; skipped: number } {
    return this.events.drain(max);
  }

  // ---- notices ---------------------------------------------------------------------------

  /** Queue a run-time warning; with `onceKey`, only the first with that key is queued. */
  notice(message: string, onceKey?: string): void {
    this.notices.add(message, onceKey);
  }

  /** Warnings since the last call, oldest first (the engine turns them into events). */
  takeNotices(): string[] {
    return this.notices.take();
  }

  /** Routing events since the last call (`router1: bgpd: %ADJCHANGE: …`), oldest first. */
  takeRoutingEvents(): string[] {
    return this.routingEvents.take();
  }

  // ---- captures -------------------------------------------------------------------------

  get captures(): Map<number, Capture> {
    return this.taps.captures;
  }

  /**
   * Start a capture on an interface (`{ node, iface }`) or a link. Throws an EngineError
   * whose code says what was not found (unknown-node, unknown-iface, unknown-link).
   */
  startCapture(spec: CaptureSpec): Capture {
    let cap: Capture;
    if (spec.kind === 'iface') {
      const node = this.findNode(spec.node);
      if (!node) throw new EngineError(ERROR_CODE.UNKNOWN_NODE, `unknown node ${spec.node}`);
      const g = this.ifaceOf(node, spec.iface);
      if (g < 0) throw new EngineError(ERROR_CODE.UNKNOWN_IFACE, `node ${node.name} has no interface ${spec.iface}`);
      const sub = node.stack?.ifaces.find((i) => i.name === spec.iface);
      if (sub && sub.vlanParent >= 0) {
        const parent = node.stack!.ifaces[sub.vlanParent]?.name ?? 'its parent';
        throw new EngineError(ERROR_CODE.UNKNOWN_IFACE, `${node.name}:${spec.iface} is a VLAN interface with no link of its own: capture on ${node.name}:${parent} to see its tagged frames`);
      }
      cap = this.taps.onIface(g, `${node.name}:${spec.iface}`, this.ifaceLabel(g));
    } else {
      const link = this.linkById.get(spec.link);
      if (!link) throw new EngineError(ERROR_CODE.UNKNOWN_LINK, `unknown link ${spec.link}`);
      const ends = [this.linkEnds[link.index * 2], this.linkEnds[link.index * 2 + 1]];
      cap = this.taps.onLink(link.index, `link ${link.id}`, ends.map((g) => this.ifaceLabel(g)));
    }
    cap.onFull = (message) => this.notice(message);
    return cap;
  }

  /**
   * A live reader of `node`'s interface (bpf(4) for a shell's tcpdump): `sink` gets each
   * frame sent or received there; nothing is kept. Null when the node has no such interface.
   */
  tapIface(node: NodeRuntime, iface: string, sink: NonNullable<Capture['sink']>): Capture | null {
    const g = this.ifaceOf(node, iface);
    return g < 0 ? null : this.taps.liveOnIface(g, this.ifaceLabel(g), sink);
  }

  // ---- LinkObserver (hot path) -------------------------------------------------------------

  nextFrameId(): number {
    return this.nextFrame++;
  }

  linkTx(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, arriveNs: number): void {
    const g = this.linkEnds[link.index * 2 + dir];
    const now = this.sim.now();
    // One pointer compare per frame; the note is set only for retransmitted segments.
    let note = 0;
    if (frame === this.noteFrame) {
      note = this.noteCode;
      this.noteFrame = null; // a duplicate the link makes of it is no retransmission
    }
    this.traffic.record(ACTION.TX, now, frameId, g, -1, link.index, arriveNs, note, frame);
    if (this.explaining) this.attachDecision(this.ifaceNode[g], false);
    if (this.taps.attached > 0) this.taps.tx(g, link.index, dir, now, frameId, frame);
    if (this.events.listening) this.events.emitLast();
  }

  linkRx(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, shared: boolean): void {
    const g = this.linkEnds[link.index * 2 + 1 - dir];
    const now = this.sim.now();
    this.traffic.record(ACTION.RX, now, frameId, g, -1, link.index, -1, 0, frame);
    if (this.explaining) this.attachDecision(this.ifaceNode[g], true);
    if (this.taps.attached > 0) this.taps.rx(g, now, frameId, frame);
    this.curFrame = frame;
    this.curFrameId = frameId;
    this.curShared = shared;
    this.curRewritten = false;
    if (this.events.listening) this.events.emitLast();
  }

  /** A link discarded a frame (the link counted it): recorded at the sending interface. */
  linkDrop(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, reason: DropReason): void {
    const g = this.linkEnds[link.index * 2 + dir];
    this.traffic.record(ACTION.DROP, this.sim.now(), frameId, g, -1, link.index, -1, this.traffic.reasonCode(reason), frame);
    if (this.explaining) this.attachDrop(this.ifaceNode[g], reason, -1);
    if (this.events.listening) this.events.emitLast();
  }

  linkBound(link: Link, dir: LinkDir, message: string): void {
    const from = this.ifaceLabel(this.linkEnds[link.index * 2 + dir]);
    this.notice(`link ${this.linkLabel(link)}, from ${from}: ${message}`, `link:${link.index}:${dir}`);
  }

  // ---- StackEnv / TraceSink ------------------------------------------------------------------

  /** Put a frame from world interface `g` on its link (`shared`: a flooding bridge sends the same object to other links too). */
  transmit(g: number, frame: Uint8Array, shared = false): void {
    const link = this.ifaceLink[g];
    if (link === null) {
      // No cable: the frame goes nowhere, and the record says so.
      this.traffic.record(ACTION.DROP, this.sim.now(), this.nextFrame++, g, -1, -1, -1, this.traffic.reasonCode(DROP.LINK_DOWN), frame);
      if (this.explaining) this.attachDrop(this.ifaceNode[g], DROP.LINK_DOWN, -1);
      if (this.events.listening) this.events.emitLast();
      return;
    }
    link.send(this.ifaceSide[g], frame, shared);
  }

  private claimForRewrite(frame: Uint8Array): boolean {
    if (frame !== this.curFrame || this.curShared || this.explaining) return false;
    this.curRewritten = true;
    return true;
  }

  private onForwarded(nodeIndex: number, inIf: number, outIf: number, frame: Uint8Array): void {
    const base = this.nodes[nodeIndex].ifaceBase;
    this.traffic.record(ACTION.FWD, this.sim.now(), this.curFrameId, base + outIf, base + inIf, -1, -1, 0, frame);
    if (this.explaining) this.attachDecision(nodeIndex, false);
    if (this.events.listening) this.events.emitLast();
  }

  /** A node discarded a frame (the node counted it on its interface); a firewall drop names its rule. */
  private onStackDrop(nodeIndex: number, ifIndex: number, frame: Uint8Array, reason: DropReason, rule = -1): void {
    // No interface (e.g. a local send with no route): encode the node as -2 - nodeIndex.
    const g = ifIndex >= 0 ? this.nodes[nodeIndex].ifaceBase + ifIndex : -2 - nodeIndex;
    const id = frame === this.curFrame && !this.curRewritten ? this.curFrameId : this.nextFrame++;
    // A firewall drop keeps its rule number in the (otherwise unused) arrival column.
    this.traffic.record(ACTION.DROP, this.sim.now(), id, g, -1, -1, rule, this.traffic.reasonCode(reason), frame);
    if (this.explaining) this.attachDrop(nodeIndex, reason, rule);
    if (this.events.listening) this.events.emitLast();
  }

  private onStackAnswered(nodeIndex: number, ifIndex: number, frame: Uint8Array, note: AnswerNote): void {
    const g = this.nodes[nodeIndex].ifaceBase + ifIndex;
    const id = frame === this.curFrame && !this.curRewritten ? this.curFrameId : this.nextFrame++;
    this.traffic.record(ACTION.DELIVER, this.sim.now(), id, g, -1, -1, -1, this.traffic.reasonCode(note), frame);
    if (this.explaining) this.attachDecision(nodeIndex, false);
    if (this.events.listening) this.events.emitLast();
  }

  // ---- explanations (simulation mode) -------------------------------------------------------

  /**
   * Turn explanations on or off: every stack and switch files the decisions it takes into
   * the record beside the frames they concern (stack/explain.ts). Off, they cost one
   * check per decision point and nothing is kept.
   */
  setExplaining(on: boolean): void {
    if (on === this.explaining) return;
    this.explaining = on;
    this.traffic.setExplaining(on);
    this.decision = null;
    for (const n of this.nodes) {
      if (n.stack !== null) n.stack.explain = on ? this.explainer : null;
      if (n.bridge !== undefined) {
        n.bridge.explain = on ? this.explainer : null;
        n.bridge.explainNode = n.index;
      }
    }
  }

  get isExplaining(): boolean {
    return this.explaining;
  }

  /** The decision of `nodeIndex` in the scheduler event running now (a new one when `fresh` or none yet). */
  private decisionOf(nodeIndex: number, fresh: boolean): Decision {
    const ev = this.sim.epoch();
    if (fresh || this.decision === null || this.decisionEvent !== ev || this.decisionNode !== nodeIndex) {
      this.decision = { node: this.nodes[nodeIndex].name, steps: [] };
      this.decisionEvent = ev;
      this.decisionNode = nodeIndex;
    }
    return this.decision;
  }

  private explainStep(nodeIndex: number, s: DecisionStep): void {
    const d = this.decisionOf(nodeIndex, false);
    if (d.steps.length < DECISION_STEPS_MAX) d.steps.push(s);
  }

  /** The most recent record carries the decision its node is taking now (a received frame starts a new one). */
  private attachDecision(nodeIndex: number, fresh: boolean): void {
    const slot = this.traffic.lastSlot();
    const ev = this.sim.epoch();
    const own = !fresh && this.decision !== null && this.decisionEvent === ev && this.decisionNode === nodeIndex;
    if (fresh) {
      const d = this.decisionOf(nodeIndex, true);
      d.in = this.ifaceName(this.traffic.ifaceAt(slot));
      this.traffic.decisions![slot] = d;
    } else this.traffic.decisions![slot] = own ? this.decision : null;
  }

  /** A drop ends its node's decision with the reason (and the firewall rule). */
  private attachDrop(nodeIndex: number, reason: string, rule: number): void {
    if (nodeIndex < 0) return;
    const step: DecisionStep = { kind: 'drop', layer: dropLayer(reason), reason };
    if (rule >= 0) step.rule = rule;
    this.explainStep(nodeIndex, step);
    this.traffic.decisions![this.traffic.lastSlot()] = this.decision;
  }

  // ---- building ----------------------------------------------------------------------------

  private buildNode(n: NodeDoc, doc: TopologyDoc): void {
    const index = this.nodes.length;
    const rt: NodeRuntime = { id: n.id, name: n.name, kind: n.kind, index, stack: null, ifaceBase: this.ifaceNode.length, ifaceNames: [] };
    if (n.files !== undefined && Object.keys(n.files).length > 0) rt.files = new NodeFiles(n.files);
    if (!isEmulatedKind(n.kind)) {
      this.warnings.push(`node ${n.name} (kind ${n.kind}) will not run yet`);
    } else if (n.kind === 'lanswitch' || n.kind === 'hub' || n.kind === 'stpswitch' || n.kind === 'filter' || n.kind === 'packgen') {
      const ports = n.interfaces.filter((i) => i.type !== 'lo');
      rt.ifaceNames = ports.map((i) => i.name);
      const transmit = (port: number, frame: Uint8Array, shared?: boolean) => this.transmit(rt.ifaceBase + port, frame, shared === true);
      const drop = (port: number, frame: Uint8Array, reason: DropReason) => this.traceSink.dropped(index, port, frame, reason);
      if (n.kind === 'hub') rt.bridge = new Hub({ ports: rt.ifaceNames, transmit, drop });
      else if (n.kind === 'stpswitch') rt.bridge = this.buildStpBridge(n, rt.index, ports, transmit, drop);
      else if (n.kind === 'filter') rt.bridge = this.buildFilter(n, ports, doc, transmit, drop);
      else if (n.kind === 'packgen') {
        const problems: string[] = [];
        const { frames, pps } = packgenFromDoc(n.extra?.packgen, problems);
        for (const p of problems) this.warnings.push(`node ${n.name}: ${p}`);
        rt.bridge = new Packgen({ sim: this.sim, ports: rt.ifaceNames, frames, pps, transmit, drop });
      }
      else rt.bridge = this.buildBridge(n, ports, transmit, drop);
    } else {
      rt.stack = this.buildStack(n, rt);
      rt.ifaceNames = rt.stack.ifaces.map((i) => i.name);
    }
    for (let k = 0; k < rt.ifaceNames.length; k++) {
      this.ifaceNode.push(index);
      this.ifaceLink.push(null);
      this.ifaceSide.push(0);
    }
    this.nodes.push(rt);
    this.byId.set(n.id, rt);
    this.byName.set(n.name, rt);
  }

  /** A lanswitch; with IMUNES `vlan_filtering` its ports are 802.1Q access/trunk ports. */
  private buildBridge(n: NodeDoc, ports: InterfaceDoc[], transmit: (port: number, frame: Uint8Array, shared?: boolean) => void, drop: (port: number, frame: Uint8Array, reason: DropReason) => void): Bridge {
    const problems: string[] = [];
    const vlans = vlanPortsFromDoc(n.extra?.vlan_filtering, ports, problems) ?? undefined;
    for (const p of problems) this.warnings.push(`node ${n.name}: ${p}`);
    const notice = (message: string) => this.notice(`${n.name}: ${message}`);
    return new Bridge({ sim: this.sim, ports: ports.map((i) => i.name), transmit, drop, notice, vlans });
  }

  /** An IMUNES filter: ng_patmat rules per interface; rules toward an interface without a link are left out, as IMUNES does. */
  private buildFilter(n: NodeDoc, ports: InterfaceDoc[], doc: TopologyDoc, transmit: (port: number, frame: Uint8Array) => void, drop: (port: number, frame: Uint8Array, reason: DropReason) => void): PatmatFilter {
    const names = ports.map((i) => i.name);
    const linked = names.map((name) => doc.links.some((l) => (l.a.node === n.id && l.a.iface === name) || (l.b.node === n.id && l.b.iface === name)));
    const rules = ports.map((i) => {
      const problems: string[] = [];
      const r = patmatRulesFromDoc(i.extra?.filter_rules, names, linked, problems);
      for (const p of problems) this.warnings.push(`node ${n.name}: ${i.name} filter ${p}`);
      return r;
    });
    return new PatmatFilter({ ports: names, rules, transmit, drop });
  }

  /** An IMUNES stpswitch: if_bridge with (R)STP from its `bridge` settings; address timeout 240 s as IMUNES sets it. */
  private buildStpBridge(n: NodeDoc, index: number, ports: InterfaceDoc[], transmit: (port: number, frame: Uint8Array, shared?: boolean) => void, drop: (port: number, frame: Uint8Array, reason: DropReason) => void): StpBridge {
    const problems: string[] = [];
    const cfg = stpConfigFromDoc(n.extra?.bridge, ports, problems);
    for (const p of problems) this.warnings.push(`node ${n.name}: ${p}`);
    const timeout = Number((n.extra?.bridge as Record<string, unknown> | undefined)?.address_timeout ?? 240);
    const agingNs = (Number.isInteger(timeout) && timeout > 0 ? timeout : 240) * 1e9;
    const macs = ports.map((i, k) => (i.mac !== undefined ? parseMac(i.mac) : null) ?? fallbackMac(index, k));
    const notice = (message: string) => this.notice(`${n.name}: ${message}`);
    return new StpBridge({ sim: this.sim, ports: ports.map((i) => i.name), transmit, drop, notice, agingNs }, macs, cfg);
  }

  private buildStack(n: NodeDoc, rt: NodeRuntime): NetStack {
    const world = this;
    const env: StackEnv = {
      sim: this.sim,
      rng: (name) => this.rngs.get(name.startsWith('node:') ? name : `node:${n.name}:${name}`),
      transmit: (ifIndex, frame) => world.transmit(rt.ifaceBase + ifIndex, frame),
      trace: this.traceSink,
      frames: this.frames,
      claimForRewrite: (frame) => world.claimForRewrite(frame),
      log: (message) => this.routingEvents.addLazy(() => `${n.name}: ${message()}`),
    };
    const phys = n.interfaces.filter((i) => i.type !== 'lo');
    const interfaces: StackIfaceOptions[] = phys.map((i, k) => ({
      name: i.name,
      mac: (i.mac !== undefined ? parseMac(i.mac) : null) ?? fallbackMac(rt.index, k),
      mtu: i.mtu ?? 1500,
      up: i.up ?? true,
    }));
    phys.forEach((i, k) => {
      if (i.type === 'vlan') this.vlanSubIface(n, i, interfaces, k);
    });
    return createStack(env, { name: n.name, nodeIndex: rt.index, forwarding: n.forwarding ?? defaultForwarding(n.kind), interfaces });
  }

  /**
   * An IMUNES `vlan` interface (`vlan_dev` parent, `vlan_tag` VID) becomes an 802.1Q
   * sub-interface sharing its parent's MAC, as FreeBSD vlan(4) does; a bad one stays a
   * plain interface without a link, with a warning.
   */
  private vlanSubIface(n: NodeDoc, i: InterfaceDoc, interfaces: StackIfaceOptions[], k: number): void {
    const dev = i.extra?.vlan_dev;
    const vid = Number(i.extra?.vlan_tag);
    const parent = interfaces.find((p, j) => p.name === dev && n.interfaces.find((x) => x.name === p.name)?.type !== 'vlan' && j !== k);
    if (parent === undefined || !Number.isInteger(vid) || vid < 1 || vid > 4094) {
      this.warnings.push(`node ${n.name}: VLAN interface ${i.name} (vlan_dev ${String(dev)}, vlan_tag ${String(i.extra?.vlan_tag)}) has no usable parent or tag; it stays unlinked`);
      return;
    }
    interfaces[k] = { ...interfaces[k], mac: parent.mac, vlan: { parent: parent.name, vid } };
  }

  private configureStack(n: NodeDoc, stack: NetStack): void {
    for (const i of n.interfaces) {
      i.ipv4.forEach((cidr, k) => {
        const p = parseCidr(cidr);
        if (!p) return void this.warnings.push(`node ${n.name}: bad IPv4 address ${cidr} on ${i.name}`);
        if (i.type === 'lo' && p.addr === 0x7f000001) return;
        const r = ifaceAddAddress(stack, i.name, p.addr, p.prefixLen, { alias: k > 0 });
        if (!r.ok) this.warnings.push(`node ${n.name}: ${i.name} ${cidr}: ${r.message}`);
      });
    }
    configureInet6(n, stack, this.warnings);
    this.autoDefaultRoutes(n, stack);
    for (const route of n.routes4) {
      const d = parseCidr(route.dest);
      const gw = parseIpv4(route.gateway);
      if (!d || gw === null) {
        this.warnings.push(`node ${n.name}: bad route ${route.dest} ${route.gateway}`);
        continue;
      }
      const r = routeAdd(stack, { dest: d.addr, prefixLen: d.prefixLen, gateway: gw });
      if (!r.ok) this.warnings.push(`node ${n.name}: route ${route.dest} ${route.gateway}: ${r.message}`);
    }
  }

  /** IMUNES `auto_default_routes`: a default route toward the first router on the node's subnets (unless it has one). */
  private autoDefaultRoutes(n: NodeDoc, stack: NetStack): void {
    if (n.routes4.some((r) => r.dest === '0.0.0.0/0' || r.dest === 'default')) return;
    for (const gw of imunesDefaultGateways(this.doc, n)) {
      // The kernel takes the first; IMUNES's later `route add default` calls fail the same way.
      if (routeAdd(stack, { dest: 0, prefixLen: 0, gateway: parseIpv4(gw)! }).ok) return;
    }
  }

  private buildLink(l: LinkDoc): void {
    const a = this.byId.get(l.a.node);
    const b = this.byId.get(l.b.node);
    const label = `link ${l.id} (${a?.name ?? l.a.node}:${l.a.iface} — ${b?.name ?? l.b.node}:${l.b.iface})`;
    if (!a || !b) return void this.warnings.push(`${label}: unknown node`);
    if (a.ifaceNames.length === 0 || b.ifaceNames.length === 0) {
      return void this.warnings.push(`${label} will not run: ${a.ifaceNames.length === 0 ? a.name : b.name} does not run`);
    }
    const ga = this.ifaceOf(a, l.a.iface);
    const gb = this.ifaceOf(b, l.b.iface);
    if (ga < 0 || gb < 0) return void this.warnings.push(`${label}: no such interface`);
    if (this.ifaceLink[ga] || this.ifaceLink[gb]) return void this.warnings.push(`${label}: interface already linked`);
    const index = this.links.length;
    const link = new Link({
      id: l.id,
      index,
      sim: this.sim,
      observer: this,
      params: l.params,
      paramsBA: l.paramsBA,
      budget: this.budget,
      rngs: { loss: this.rng(`link:${l.id}:loss`), ber: this.rng(`link:${l.id}:ber`), dup: this.rng(`link:${l.id}:dup`), jitter: this.rng(`link:${l.id}:jitter`) },
    });
    link.attach(0, this.endpoint(a, ga));
    link.attach(1, this.endpoint(b, gb));
    this.ifaceLink[ga] = link;
    this.ifaceSide[ga] = 0;
    this.ifaceLink[gb] = link;
    this.ifaceSide[gb] = 1;
    this.linkEnds.push(ga, gb);
    this.links.push(link);
    this.linkById.set(l.id, link);
    if (l.up === false) link.up = false;
  }

  private endpoint(node: NodeRuntime, g: number): LinkEndpoint {
    const k = g - node.ifaceBase;
    const stack = node.stack;
    // Bind the input function once: under a CommonJS transpile (tsx) every `etherInput(…)`
    // call site would otherwise go through a module getter on each frame.
    const input = etherInput;
    if (stack) return { deliver: (frame) => input(stack, k, frame), carrier: (up) => setCarrier(stack, k, up) };
    const br = node.bridge!;
    return { deliver: (frame) => br.input(k, frame), carrier: (up) => br.setCarrier(k, up) };
  }

  /** Unlinked or down-linked interfaces have no carrier (loopbacks keep theirs). */
  private initialCarrier(): void {
    for (let g = 0; g < this.ifaceNode.length; g++) {
      const node = this.nodes[this.ifaceNode[g]];
      const k = g - node.ifaceBase;
      const link = this.ifaceLink[g];
      const up = link !== null && link.up;
      if (node.stack) {
        // VLAN sub-interfaces follow their parent's carrier (setCarrier propagates it).
        const iface = node.stack.ifaces[k];
        if (!iface.loopback && iface.vlanParent < 0) setCarrier(node.stack, k, up);
      } else if (!up) node.bridge?.setCarrier(k, false);
    }
  }
}

function fallbackMac(nodeIndex: number, k: number): number {
  return 0x4200aaff0000 + ((nodeIndex & 0xff) << 8) + (k & 0xff);
}
