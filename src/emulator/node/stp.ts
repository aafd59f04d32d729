// The stpswitch node: IMUNES's FreeBSD if_bridge with bridgestp, a learning bridge running
// the Rapid Spanning Tree Protocol (or legacy STP with `proto stp`). Root election by
// bridge identifier, port roles (root, designated, alternate, backup, disabled) from the
// priority vectors, port states (discarding, learning, forwarding), RSTP's proposal/
// agreement handshake on point-to-point links, forward-delay timers otherwise, edge ports
// found automatically (autoedge), topology change flushing learned stations. BPDUs are real
// frames (wire/stp). One 1 s tick per bridge drives hello, info ageing and the timers.
// IEEE 802.1D-2004 §17.6 (priority vectors), §17.7 (roles), §17.10 (agreement), §17.19-21
// (timers, variables), §17.29 (Port Role Transitions, simplified), §17.30 (Port State).

import type { Scheduler } from '../sim/scheduler';
import { BPDU_FLAG, BPDU_ROLE, BPDU_TYPE, buildBpduFrame, compareBridgeId, parseBpdu, isBpduFrame, type BpduRepr, type BridgeId } from '../wire/stp';
import { formatMac } from '../wire/addr';
import { Bridge, PORT_GATE, type BridgeOptions } from './bridge';

const S = 1_000_000_000;
/** FreeBSD bridgestp defaults (IMUNES confNewNode): priority 32768, max age 20 s, hello 2 s, forward delay 15 s, hold count 6. */
export const STP_DEFAULTS = { priority: 32768, maxAgeS: 20, helloS: 2, fwdDelayS: 15, holdCount: 6 } as const;
/** BSTP_DEFAULT_MIGRATE_DELAY: an autoedge port that hears no BPDU this long becomes an edge port. */
const EDGE_DELAY_S = 3;
/** Path cost of a 1 Gbit/s port (802.1D-2004 Table 17-3: 20 000 000 000 / Mbit/s). */
export const DEFAULT_PATH_COST = 20_000;

export type StpRole = 'disabled' | 'root' | 'designated' | 'alternate' | 'backup';
export type StpState = 'discarding' | 'learning' | 'forwarding';

export interface StpBridgeConfig {
  protocol: 'rstp' | 'stp';
  priority: number;
  maxAgeS: number;
  helloS: number;
  fwdDelayS: number;
  holdCount: number;
  /** Per port (by index): STP on (`stp_enabled`), autoedge, admin edge, priority 0-240, path cost (0: automatic). */
  ports: { stp: boolean; autoEdge: boolean; edge: boolean; priority: number; pathCost: number }[];
}

interface Vector {
  root: BridgeId;
  cost: number;
  bridge: BridgeId;
  portId: number;
}

interface StpPort {
  index: number;
  portId: number;
  pathCost: number;
  stp: boolean;
  autoEdge: boolean;
  operEdge: boolean;
  role: StpRole;
  state: StpState;
  /** The designated vector last received (802.1D portPriority when infoIs Received), and its age. */
  msg: Vector | null;
  msgAgeS: number;
  msgExpireNs: number;
  /** Next forward-delay transition (discarding → learning → forwarding), 0 when none runs. */
  fdDueNs: number;
  edgeDueNs: number;
  proposing: boolean;
  agreed: boolean;
  tcUntilNs: number;
  txThisTick: number;
  bpdusSent: number;
  bpdusReceived: number;
}

/** What Inspect shows per port. */
export interface StpPortInfo {
  port: string;
  role: StpRole;
  state: StpState;
  edge: boolean;
  pathCost: number;
  designatedRoot: string;
  designatedBridge: string;
}

export interface StpInfo {
  protocol: 'rstp' | 'stp';
  bridgeId: string;
  rootId: string;
  rootCost: number;
  rootPort: string | null;
  topologyChanges: number;
  lastTopologyChangeNs: number | null;
  ports: StpPortInfo[];
}

function cmpVector(a: Vector, b: Vector): number {
  return compareBridgeId(a.root, b.root) || Math.sign(a.cost - b.cost) || compareBridgeId(a.bridge, b.bridge) || Math.sign(a.portId - b.portId);
}

function formatId(id: BridgeId): string {
  return `${id.prio}.${formatMac(id.mac)}`;
}

export class StpBridge extends Bridge {
  readonly cfg: StpBridgeConfig;
  readonly bridgeId: BridgeId;
  private readonly stpPorts: StpPort[];
  private readonly macs: number[];
  private readonly clock: Scheduler;
  private rootVec: Vector;
  private rootPort = -1;
  private rootMsgAgeS = 0;
  private topologyChanges = 0;
  private lastTcNs: number | null = null;
  private helloDueNs = 0;
  private tickTimer = 0;

  constructor(o: BridgeOptions, macs: number[], cfg: StpBridgeConfig) {
    super({ ...o, minStableAgeNs: 0 }); // if_bridge has no ng_bridge loop detection: the spanning tree prevents loops
    this.cfg = cfg;
    this.macs = macs;
    this.clock = o.sim;
    // bridgestp takes the lowest MAC of the member interfaces as the bridge address.
    const mac = macs.reduce((m, x) => (x < m ? x : m), macs[0] ?? 0x020000000001);
    this.bridgeId = { prio: cfg.priority & 0xf000, mac };
    this.rootVec = { root: this.bridgeId, cost: 0, bridge: this.bridgeId, portId: 0 };
    this.portGate = new Uint8Array(o.ports.length).fill(PORT_GATE.DISCARDING);
    this.stpPorts = o.ports.map((_, i) => {
      const pc = cfg.ports[i] ?? { stp: true, autoEdge: true, edge: false, priority: 128, pathCost: 0 };
      return {
        index: i,
        portId: ((pc.priority & 0xf0) << 8) | ((i + 1) & 0xfff),
        pathCost: pc.pathCost > 0 ? pc.pathCost : DEFAULT_PATH_COST,
        stp: pc.stp,
        autoEdge: pc.autoEdge,
        operEdge: pc.edge,
        role: 'disabled' as StpRole,
        state: 'discarding' as StpState,
        msg: null,
        msgAgeS: 0,
        msgExpireNs: 0,
        fdDueNs: 0,
        edgeDueNs: 0,
        proposing: false,
        agreed: false,
        tcUntilNs: 0,
        txThisTick: 0,
        bpdusSent: 0,
        bpdusReceived: 0,
      };
    });
    // A port without STP (`-stp`) is a plain bridge member: always forwarding.
    for (const p of this.stpPorts) if (!p.stp) this.setState(p, 'forwarding');
    this.tickTimer = this.clock.schedule(0, () => this.start());
  }

  private start(): void {
    this.recompute();
    this.helloDueNs = this.clock.now();
    this.tick();
  }

  /** Stops the 1 s tick (the node is removed). */
  stop(): void {
    if (this.tickTimer !== 0) this.clock.cancel(this.tickTimer);
    this.tickTimer = 0;
  }

  override setCarrier(port: number, up: boolean): void {
    super.setCarrier(port, up);
    const p = this.stpPorts[port];
    if (p === undefined || !p.stp) return;
    if (!up) p.msg = null;
    p.operEdge = this.cfg.ports[port]?.edge ?? false;
    this.recompute();
  }

  // ---- receive ----------------------------------------------------------------------------

  protected override spanningTreeInput(port: number, frame: Uint8Array): boolean {
    if (!isBpduFrame(frame)) return false;
    const p = this.stpPorts[port];
    if (!p.stp) return false; // a non-STP member bridges BPDUs like any frame
    const b = parseBpdu(frame, 0, frame.length);
    if (typeof b === 'string') return true; // a bad BPDU is dropped, counted on the port as received
    p.bpdusReceived++;
    // A BPDU on an edge port means a bridge is there after all (§17.19.17 operEdge).
    p.operEdge = false;
    p.edgeDueNs = 0;
    const now = this.clock.now();
    if (b.type === BPDU_TYPE.TCN) {
      this.topologyChange(p, now);
      return true;
    }
    const role = (b.flags >> 2) & 3;
    const designated = b.type === BPDU_TYPE.CONFIG || role === BPDU_ROLE.DESIGNATED;
    if (designated && b.msgAge < b.maxAge) {
      p.msg = { root: b.root, cost: b.rootCost, bridge: b.bridge, portId: b.portId };
      p.msgAgeS = Math.floor(b.msgAge / 256);
      // RSTP: info lasts three hellos (§17.21.23); STP: until the message reaches max age.
      const lifeS = this.cfg.protocol === 'rstp' ? 3 * this.cfg.helloS : Math.max(1, Math.floor((b.maxAge - b.msgAge) / 256));
      p.msgExpireNs = now + lifeS * S;
    }
    this.recompute();
    if (b.flags & BPDU_FLAG.TC) this.topologyChange(p, now, true);
    if (this.cfg.protocol !== 'rstp' || b.type !== BPDU_TYPE.RST) return true;
    // §17.29.3: an agreement from the bridge below lets a designated port forward at once.
    if ((b.flags & BPDU_FLAG.AGREEMENT) !== 0 && p.role === 'designated' && compareBridgeId(b.root, this.rootVec.root) === 0) {
      p.agreed = true;
      p.proposing = false;
      if (p.state !== 'forwarding') this.toForwarding(p, now);
    }
    // An alternate or backup port agrees at once: it discards, so the designated port may forward (the ALTERNATE_AGREED step of the port role transitions, §17.29).
    if ((b.flags & BPDU_FLAG.PROPOSAL) !== 0 && (p.role === 'alternate' || p.role === 'backup')) this.sendBpdu(p, BPDU_FLAG.AGREEMENT);
    // §17.29.2: a proposal on the root port: sync (the other designated ports discard and
    // propose downstream), then agree, so the new root path forwards without waiting.
    if ((b.flags & BPDU_FLAG.PROPOSAL) !== 0 && p.role === 'root') {
      for (const q of this.stpPorts) {
        if (q === p || q.role !== 'designated' || q.operEdge || q.agreed) continue;
        if (q.state !== 'discarding') this.setState(q, 'discarding');
        q.proposing = true;
        q.fdDueNs = now + this.cfg.fwdDelayS * S;
        this.sendBpdu(q, 0);
      }
      this.sendBpdu(p, BPDU_FLAG.AGREEMENT);
    }
    return true;
  }

  // ---- roles (Port Role Selection, §17.19.19 / §17.21.25) --------------------------------

  private recompute(): void {
    const own: Vector = { root: this.bridgeId, cost: 0, bridge: this.bridgeId, portId: 0 };
    let best: Vector | null = null;
    let bestPort = -1;
    let bestRx = 0;
    for (const p of this.stpPorts) {
      if (!p.stp || !this.carrier[p.index] || p.msg === null) continue;
      if (compareBridgeId(p.msg.bridge, this.bridgeId) === 0) continue; // our own BPDU came back: backup, not root
      const cand: Vector = { root: p.msg.root, cost: p.msg.cost + p.pathCost, bridge: p.msg.bridge, portId: p.msg.portId };
      const c = best === null ? -1 : cmpVector(cand, best);
      if (c < 0 || (c === 0 && p.portId < bestRx)) {
        best = cand;
        bestPort = p.index;
        bestRx = p.portId;
      }
    }
    const useRoot = best !== null && cmpVector(best, own) < 0;
    this.rootVec = useRoot ? best! : own;
    this.rootPort = useRoot ? bestPort : -1;
    this.rootMsgAgeS = useRoot ? this.stpPorts[bestPort].msgAgeS + 1 : 0;
    for (const p of this.stpPorts) {
      if (!p.stp) continue;
      let role: StpRole;
      if (!this.carrier[p.index]) role = 'disabled';
      else if (p.index === this.rootPort) role = 'root';
      else {
        const mine: Vector = { root: this.rootVec.root, cost: this.rootVec.cost, bridge: this.bridgeId, portId: p.portId };
        if (p.msg !== null && cmpVector(p.msg, mine) < 0) role = compareBridgeId(p.msg.bridge, this.bridgeId) === 0 ? 'backup' : 'alternate';
        else role = 'designated';
      }
      this.setRole(p, role);
    }
  }

  private setRole(p: StpPort, role: StpRole): void {
    if (p.role === role) return;
    const now = this.clock.now();
    p.role = role;
    p.agreed = false;
    p.proposing = false;
    p.fdDueNs = 0;
    switch (role) {
      case 'disabled':
      case 'alternate':
      case 'backup':
        this.setState(p, 'discarding');
        return;
      case 'root':
        // RSTP: a new root port forwards at once (the old one became alternate and discards first); STP: forward delay.
        if (this.cfg.protocol === 'rstp') this.toForwarding(p, now);
        else this.startForwardDelay(p, now);
        return;
      case 'designated':
        if (p.operEdge) return this.toForwarding(p, now);
        if (p.state === 'forwarding') return; // stays forwarding (e.g. the root moved elsewhere)
        this.startForwardDelay(p, now);
        if (this.cfg.protocol === 'rstp') {
          p.proposing = true;
          this.sendBpdu(p, 0);
        }
        if (p.autoEdge) p.edgeDueNs = now + EDGE_DELAY_S * S;
        return;
      default:
        role satisfies never;
    }
  }

  private startForwardDelay(p: StpPort, now: number): void {
    this.setState(p, 'discarding');
    p.fdDueNs = now + this.cfg.fwdDelayS * S;
  }

  private setState(p: StpPort, state: StpState): void {
    p.state = state;
    this.portGate![p.index] = state === 'forwarding' ? PORT_GATE.FORWARDING : state === 'learning' ? PORT_GATE.LEARNING : PORT_GATE.DISCARDING;
    if (state === 'discarding') this.forgetPort(p.index);
  }

  private toForwarding(p: StpPort, now: number): void {
    p.fdDueNs = 0;
    if (p.state === 'forwarding') return;
    this.setState(p, 'forwarding');
    // §17.29.4: a non-edge port that starts forwarding is a topology change.
    if (!p.operEdge) this.topologyChange(p, now);
  }

  /** A topology change: flush what other ports learned and tell the other bridges (TC flag for two hellos). */
  private topologyChange(from: StpPort, now: number, received = false): void {
    this.topologyChanges++;
    this.lastTcNs = now;
    for (const q of this.stpPorts) {
      if (q === from || q.operEdge) continue;
      this.forgetPort(q.index);
      if (q.role === 'designated' || q.role === 'root') {
        const fresh = q.tcUntilNs <= now;
        q.tcUntilNs = now + (this.cfg.helloS + 1) * S;
        if (fresh) this.sendBpdu(q, 0);
      }
    }
    if (!received && (from.role === 'designated' || from.role === 'root')) from.tcUntilNs = now + (this.cfg.helloS + 1) * S;
  }

  // ---- transmit and time --------------------------------------------------------------------

  private sendBpdu(p: StpPort, extra: number): void {
    if (!this.carrier[p.index] || p.txThisTick >= this.cfg.holdCount) return;
    p.txThisTick++;
    p.bpdusSent++;
    const now = this.clock.now();
    const rstp = this.cfg.protocol === 'rstp';
    const roleBits = p.role === 'root' ? BPDU_ROLE.ROOT : p.role === 'designated' ? BPDU_ROLE.DESIGNATED : p.role === 'alternate' || p.role === 'backup' ? BPDU_ROLE.ALTERNATE_BACKUP : BPDU_ROLE.UNKNOWN;
    let flags = extra;
    if (now < p.tcUntilNs) flags |= BPDU_FLAG.TC;
    if (rstp) {
      flags |= roleBits << 2;
      if (p.state === 'learning' || p.state === 'forwarding') flags |= BPDU_FLAG.LEARNING;
      if (p.state === 'forwarding') flags |= BPDU_FLAG.FORWARDING;
      if (p.proposing && p.role === 'designated') flags |= BPDU_FLAG.PROPOSAL;
    }
    const b: BpduRepr = {
      version: rstp ? 2 : 0,
      type: rstp ? BPDU_TYPE.RST : BPDU_TYPE.CONFIG,
      flags,
      root: this.rootVec.root,
      rootCost: this.rootVec.cost,
      bridge: this.bridgeId,
      portId: p.portId,
      msgAge: this.rootMsgAgeS * 256,
      maxAge: this.cfg.maxAgeS * 256,
      hello: this.cfg.helloS * 256,
      fwdDelay: this.cfg.fwdDelayS * 256,
    };
    this.transmitBpdu(p.index, buildBpduFrame(b, this.macs[p.index] ?? this.bridgeId.mac));
  }

  /** BPDUs leave whatever the port's state (802.1D §8.4: discarding ports still send and receive BPDUs). */
  private transmitBpdu(port: number, frame: Uint8Array): void {
    const c = this.counters[port];
    c.txPackets++;
    c.txBytes += frame.length;
    this.transmit(port, frame);
  }

  private tick(): void {
    const now = this.clock.now();
    let changed = false;
    for (const p of this.stpPorts) {
      p.txThisTick = 0;
      if (!p.stp) continue;
      if (p.msg !== null && now >= p.msgExpireNs) {
        p.msg = null; // info aged out (§17.21.23 rcvdInfoWhile)
        changed = true;
      }
    }
    if (changed) this.recompute();
    for (const p of this.stpPorts) {
      if (!p.stp || p.role === 'disabled') continue;
      if (p.role === 'designated' && p.autoEdge && !p.operEdge && p.edgeDueNs !== 0 && now >= p.edgeDueNs) {
        p.operEdge = true; // no BPDU heard: an end station (bridgestp autoedge)
        p.proposing = false;
        this.toForwarding(p, now);
      }
      if (p.fdDueNs !== 0 && now >= p.fdDueNs && (p.role === 'designated' || p.role === 'root')) {
        if (p.state === 'discarding') {
          this.setState(p, 'learning');
          p.fdDueNs = now + this.cfg.fwdDelayS * S;
        } else this.toForwarding(p, now);
      }
    }
    if (now >= this.helloDueNs) {
      this.helloDueNs = now + this.cfg.helloS * S;
      for (const p of this.stpPorts) if (p.stp && p.role === 'designated') this.sendBpdu(p, 0);
    }
    this.tickTimer = this.clock.schedule(S, () => this.tick());
  }

  // ---- views ----------------------------------------------------------------------------------

  stpInfo(): StpInfo {
    return {
      protocol: this.cfg.protocol,
      bridgeId: formatId(this.bridgeId),
      rootId: formatId(this.rootVec.root),
      rootCost: this.rootVec.cost,
      rootPort: this.rootPort < 0 ? null : this.ports[this.rootPort],
      topologyChanges: this.topologyChanges,
      lastTopologyChangeNs: this.lastTcNs,
      ports: this.stpPorts.map((p) => ({
        port: this.ports[p.index],
        role: p.stp ? p.role : 'designated',
        state: p.state,
        edge: p.operEdge,
        pathCost: p.pathCost,
        designatedRoot: formatId(p.msg?.root ?? this.rootVec.root),
        designatedBridge: formatId(p.msg !== null && p.role !== 'designated' ? p.msg.bridge : this.bridgeId),
      })),
    };
  }

  portRole(port: number): StpRole {
    return this.stpPorts[port].role;
  }

  portState(port: number): StpState {
    return this.stpPorts[port].state;
  }

  bpduCounts(port: number): { sent: number; received: number } {
    return { sent: this.stpPorts[port].bpdusSent, received: this.stpPorts[port].bpdusReceived };
  }
}

/** An IMUNES stpswitch's settings (`bridge` block and per-interface stp_* fields) with bridgestp's defaults. */
export function stpConfigFromDoc(bridge: unknown, ports: { extra?: Record<string, unknown> }[], problems: string[]): StpBridgeConfig {
  const b = typeof bridge === 'object' && bridge !== null ? (bridge as Record<string, unknown>) : {};
  const num = (v: unknown, def: number, lo: number, hi: number, what: string): number => {
    if (v === undefined || v === '') return def;
    const n = Number(v);
    if (Number.isInteger(n) && n >= lo && n <= hi) return n;
    problems.push(`${what} ${String(v)} is not in ${lo}–${hi}; using ${def}`);
    return def;
  };
  const proto = b.protocol === 'stp' ? 'stp' : 'rstp';
  if (b.protocol !== undefined && b.protocol !== 'stp' && b.protocol !== 'rstp') problems.push(`bridge protocol ${String(b.protocol)} is not stp or rstp; using rstp`);
  const flag = (v: unknown, def: boolean) => (v === undefined || v === '' ? def : v === '1' || v === 1 || v === true || v === 'true');
  return {
    protocol: proto,
    priority: num(b.priority, STP_DEFAULTS.priority, 0, 61440, 'bridge priority'),
    maxAgeS: num(b.max_age, STP_DEFAULTS.maxAgeS, 6, 40, 'bridge max_age'),
    helloS: num(b.hello_time, STP_DEFAULTS.helloS, 1, 2, 'bridge hello_time'),
    fwdDelayS: num(b.forwarding_delay, STP_DEFAULTS.fwdDelayS, 4, 30, 'bridge forwarding_delay'),
    holdCount: num(b.hold_count, STP_DEFAULTS.holdCount, 1, 10, 'bridge hold_count'),
    ports: ports.map((p) => {
      const x = p.extra ?? {};
      return {
        stp: flag(x.stp_enabled, true),
        autoEdge: flag(x.stp_autoedge, true),
        edge: flag(x.stp_edge, false),
        priority: num(x.stp_priority, 128, 0, 240, 'port stp_priority'),
        pathCost: num(x.stp_path_cost, 0, 0, 200_000_000, 'port stp_path_cost'),
      };
    }),
  };
}
