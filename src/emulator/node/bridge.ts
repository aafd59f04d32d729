// The lanswitch node: IMUNES's ng_bridge (FreeBSD sys/netgraph/ng_bridge.c), a
// transparent learning bridge (IEEE 802.1D §7.7–7.9): learn the source MAC per port,
// forward known unicast to one port, flood unknown, broadcast and multicast to every
// other port, forget a station not heard from for 15 minutes (ng_bridge maxStaleness).
// Like ng_bridge it has no STP but detects loops: a MAC that moves to another port less
// than minStableAge (1 s) after it was placed mutes that port for loopTimeout (60 s) and
// forgets its hosts; a muted port drops what it receives (`loop-detected`). With VLAN
// filtering (IMUNES `vlan_filtering`) it is an IEEE 802.1Q §8.6 VLAN bridge with access
// and trunk ports and per-VLAN learning (IVL). It never parses past the 802.1Q tag, never
// owns a stack, and schedules no timers (ages are compared with the clock when used).
// Ports count themselves (the InterfaceCounterValues fields, plus bridge detail). A
// spanning-tree bridge (node/stp.ts) gates ports through `portGate` and takes BPDUs.

import type { Scheduler } from '../sim/scheduler';
import { frameVid, tagFrame, untagFrame } from '../wire/ethernet';
import { formatMac, isMulticastMac, readMac } from '../wire/addr';
import { DROP, type DropReason } from '../stack/env';
import type { DecisionStep, Explainer } from '../stack/explain';

/** ng_bridge DEFAULT_MAX_STALENESS (15 min, "same as ARP timeout"): what IMUNES's lanswitch uses. */
export const MAC_AGING_NS = 900_000_000_000;
/** ng_bridge DEFAULT_LOOP_TIMEOUT: how long a looping port stays muted. */
export const LOOP_TIMEOUT_NS = 60_000_000_000;
/** ng_bridge DEFAULT_MIN_STABLE_AGE: a host that moves sooner than this means a loop. */
export const MIN_STABLE_AGE_NS = 1_000_000_000;
/** Most stations one switch learns (ng_bridge MAX_BUCKETS); beyond it, new ones are flooded to. */
export const MAC_TABLE_MAX = 16_384;

/** What a port counts about itself (netstat -i / the inspector), plus bridge detail. */
export interface PortCounters {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  /** Frames received here and discarded, for any reason (filtered, loop, runt, no carrier). */
  drops: number;
  errors: number;
  /** Frames sent to this port because the destination was unknown or group. */
  flooded: number;
  /** Frames received here and discarded because their destination is on this same port or not in its VLAN. */
  filtered: number;
  /** ng_bridge loopDetects / loopDrops. */
  loopDetects: number;
  loopDrops: number;
}

export interface BridgeOptions {
  sim: Scheduler;
  /** Port names in order (the node's interface names). */
  ports: string[];
  /** Put a frame on the link attached to `port`; `shared` when flooded (the same object goes to other ports too). */
  transmit(port: number, frame: Uint8Array, shared?: boolean): void;
  agingNs?: number;
  loopTimeoutNs?: number;
  minStableAgeNs?: number;
  /** A frame discarded at `port` (recorded in the traffic record with its reason). */
  drop?(port: number, frame: Uint8Array, reason: DropReason): void;
  /** Something worth a warning event: a loop detected, the MAC table full. */
  notice?(message: string): void;
  /** Per-port VLAN membership; present means VLAN filtering is on (see `vlanPortsFromDoc`). */
  vlans?: PortVlan[];
}

export const PORT_MODE = { ACCESS: 'access', TRUNK: 'trunk' } as const;

/**
 * IMUNES port semantics under `vlan_filtering` (FreeBSD ng_bridge + ng_vlan, nodes/lanswitch.tcl):
 * an access port admits untagged (and priority-tagged) frames into its VLAN and sends untagged;
 * a trunk carries every VLAN tagged and has no native VLAN (IMUNES leaves ng_vlan's `nomatch`
 * hook unconnected, so untagged frames on a trunk go nowhere).
 */
export type PortVlan = { mode: typeof PORT_MODE.ACCESS; vid: number } | { mode: typeof PORT_MODE.TRUNK };

export interface MacEntry {
  mac: string;
  port: string;
  ageNs: number;
  /** VLAN the address was learned in (only when VLAN filtering is on). */
  vlan?: number;
}

interface Station {
  port: number;
  /** Last time seen as a source (ng_bridge staleness). */
  seenNs: number;
  /** When it was placed on `port` (ng_bridge age). */
  placedNs: number;
}

function newCounters(): PortCounters {
  return { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, drops: 0, errors: 0, flooded: 0, filtered: 0, loopDetects: 0, loopDrops: 0 };
}

/** A port's spanning-tree gate: what it may do with ordinary frames (802.1D §8.4 port states). */
export const PORT_GATE = { FORWARDING: 0, LEARNING: 1, DISCARDING: 2 } as const;

/** Common port bookkeeping for the switch and the hub. */
export abstract class PortedNode {
  readonly ports: string[];
  readonly counters: PortCounters[];
  readonly carrier: boolean[];
  /** `shared`: the same frame object goes to other ports too (flooding), so no receiver may rewrite it (stack/frame-alloc.ts). */
  protected readonly transmit: (port: number, frame: Uint8Array, shared?: boolean) => void;
  protected readonly onDrop: (port: number, frame: Uint8Array, reason: DropReason) => void;
  /** Per port PORT_GATE, or null when no spanning tree runs (every port forwards). */
  protected portGate: Uint8Array | null = null;

  constructor(ports: string[], transmit: (port: number, frame: Uint8Array, shared?: boolean) => void, drop?: (port: number, frame: Uint8Array, reason: DropReason) => void) {
    this.ports = ports.slice();
    this.counters = ports.map(newCounters);
    this.carrier = ports.map(() => true);
    this.transmit = transmit;
    this.onDrop = drop ?? (() => {});
  }

  /** Where the switch's decisions are explained (stack/explain.ts), null (the default) while the world does not explain. */
  explain: Explainer | null = null;
  /** The node index decisions are filed under. */
  explainNode = -1;

  /** A frame arrived on `port` from its link. */
  abstract input(port: number, frame: Uint8Array): void;

  setCarrier(port: number, up: boolean): void {
    this.carrier[port] = up;
  }

  protected send(port: number, frame: Uint8Array, flooded: boolean): void {
    // A port without carrier sends nothing (not even a drop record: flooding skips it, as ng_bridge skips unconnected hooks).
    if (!this.carrier[port]) return;
    if (this.portGate !== null && this.portGate[port] !== PORT_GATE.FORWARDING) return;
    const c = this.counters[port];
    c.txPackets++;
    c.txBytes += frame.length;
    if (flooded) c.flooded++;
    this.transmit(port, frame, flooded);
  }

  /** Discard a frame received on `port`, counted on the port and recorded with its reason. */
  protected discard(port: number, frame: Uint8Array, reason: DropReason): void {
    const c = this.counters[port];
    c.drops++;
    if (reason === DROP.LOOP_DETECTED) c.loopDrops++;
    else c.filtered++;
    this.onDrop(port, frame, reason);
  }

  protected flood(inPort: number, frame: Uint8Array): void {
    for (let p = 0; p < this.ports.length; p++) if (p !== inPort) this.send(p, frame, true);
  }

  protected countRx(port: number, frame: Uint8Array): void {
    const c = this.counters[port];
    c.rxPackets++;
    c.rxBytes += frame.length;
  }
}

export class Bridge extends PortedNode {
  readonly agingNs: number;
  readonly loopTimeoutNs: number;
  readonly minStableAgeNs: number;
  /** Per port: muted (loop detected) until this time. */
  readonly mutedUntilNs: number[];
  private readonly notice: (message: string) => void;
  private tableFullReported = false;
  /** Per-port VLAN membership, or null when VLAN filtering is off. */
  readonly vlans: readonly PortVlan[] | null;
  private readonly sim: Scheduler;
  /** MAC → port index and last time seen as a source (VLAN filtering off). */
  private readonly table = new Map<number, Station>();
  /** VID → that VLAN's MAC table (VLAN filtering on: independent learning, 802.1Q §8.8). */
  private readonly vlanTables = new Map<number, Map<number, Station>>();

  constructor(o: BridgeOptions) {
    super(o.ports, o.transmit, o.drop);
    this.sim = o.sim;
    this.agingNs = o.agingNs ?? MAC_AGING_NS;
    this.loopTimeoutNs = o.loopTimeoutNs ?? LOOP_TIMEOUT_NS;
    this.minStableAgeNs = o.minStableAgeNs ?? MIN_STABLE_AGE_NS;
    this.mutedUntilNs = o.ports.map(() => 0);
    this.notice = o.notice ?? (() => {});
    this.vlans = o.vlans ? o.vlans.slice() : null;
  }

  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    if (frame.length < 14) return this.discard(port, frame, DROP.MALFORMED);
    const now = this.sim.now();
    // ng_bridge: a link disabled by a loopback condition drops everything it receives.
    if (now < this.mutedUntilNs[port]) return this.discard(port, frame, DROP.LOOP_DETECTED);
    if (this.vlans !== null) return this.vlanInput(port, frame, this.vlans[port], now);
    const gate = this.portGate;
    if (gate !== null) {
      if (this.spanningTreeInput(port, frame)) return;
      if (gate[port] === PORT_GATE.DISCARDING) return this.discard(port, frame, DROP.STP_DISCARDING);
    }
    const src = readMac(frame, 6);
    if (!isMulticastMac(src) && !this.learn(this.table, src, port, now)) return this.loopDetected(port, frame, now);
    if (gate !== null && gate[port] === PORT_GATE.LEARNING) return this.discard(port, frame, DROP.STP_DISCARDING);
    const dst = readMac(frame, 0);
    if (isMulticastMac(dst)) {
      if (this.explain !== null) this.explainLookup(port, frame, -1, -1);
      this.flood(port, frame);
      return;
    }
    const out = this.lookup(dst, now);
    if (this.explain !== null) this.explainLookup(port, frame, out, -1);
    if (out < 0) this.flood(port, frame);
    else if (out === port) this.discard(port, frame, DROP.NOT_FOR_US);
    else this.send(out, frame, false);
  }

  /** A spanning-tree bridge takes its BPDUs here (true: consumed). */
  protected spanningTreeInput(_port: number, _frame: Uint8Array): boolean {
    return false;
  }

  /**
   * The MAC table lookup (802.1D §7.7.1, 802.1Q §8.8 with VLAN filtering): the source
   * learned on the input port, then forwarded to the one port the destination was learned
   * on, flooded (unknown, broadcast or multicast; within the VLAN), or filtered (it lives
   * on the port it came from).
   */
  private explainLookup(port: number, frame: Uint8Array, out: number, vid: number): void {
    const src = readMac(frame, 6);
    const result = out < 0 ? 'flood' : out === port ? 'filter' : 'forward';
    const outPorts: string[] = [];
    if (result === 'forward') outPorts.push(this.ports[out]);
    else if (result === 'flood') {
      for (let p = 0; p < this.ports.length; p++) {
        if (p === port || !this.carrier[p]) continue;
        const q = this.vlans?.[p];
        if (q === undefined || q.mode === PORT_MODE.TRUNK || q.vid === vid) outPorts.push(this.ports[p]);
      }
    }
    const s: DecisionStep = { kind: 'switch', layer: 'link', inPort: this.ports[port], src: formatMac(src), dst: formatMac(readMac(frame, 0)), learned: !isMulticastMac(src), result, outPorts };
    if (vid >= 0) s.vlan = vid;
    this.explain!.step(this.explainNode, s);
  }

  /** Whether `port` is muted by loop detection now. */
  isMuted(port: number, nowNs = this.sim.now()): boolean {
    return nowNs < this.mutedUntilNs[port];
  }

  /** ng_bridge: mark the link "non grata" for loopTimeout, forget its hosts, drop the frame. */
  private loopDetected(port: number, frame: Uint8Array, now: number): void {
    this.mutedUntilNs[port] = now + this.loopTimeoutNs;
    this.counters[port].loopDetects++;
    this.forgetPort(port);
    this.discard(port, frame, DROP.LOOP_DETECTED);
    this.notice(`loop detected on ${this.ports[port]} (${formatMac(readMac(frame, 6))} moved there less than ${this.minStableAgeNs / 1e9} s after it was learned elsewhere): ${this.ports[port]} muted for ${this.loopTimeoutNs / 1e9} s`);
  }

  /** Port a unicast MAC was learned on, or -1 when unknown or aged out (§7.9.2). */
  lookup(mac: number, nowNs = this.sim.now()): number {
    return this.find(this.table, mac, nowNs);
  }

  /** Port a unicast MAC was learned on in VLAN `vid`, or -1 (VLAN filtering on). */
  lookupVlan(vid: number, mac: number, nowNs = this.sim.now()): number {
    const t = this.vlanTables.get(vid);
    return t === undefined ? -1 : this.find(t, mac, nowNs);
  }

  /**
   * Live (not aged) entries for `show mac` and the inspector: sorted by port then MAC, or,
   * with VLAN filtering, by VLAN, port, MAC with each row's VLAN.
   */
  macTable(): MacEntry[] {
    const now = this.sim.now();
    const rows: { mac: number; port: number; ageNs: number; vlan: number }[] = [];
    const collect = (t: Map<number, Station>, vlan: number) => {
      for (const [mac, e] of t) {
        const age = now - e.seenNs;
        if (age < this.agingNs) rows.push({ mac, port: e.port, ageNs: age, vlan });
      }
    };
    if (this.vlans === null) collect(this.table, -1);
    else for (const [vid, t] of this.vlanTables) collect(t, vid);
    rows.sort((a, b) => a.vlan - b.vlan || a.port - b.port || a.mac - b.mac);
    return rows.map((r) => {
      const e: MacEntry = { mac: formatMac(r.mac), port: this.ports[r.port], ageNs: r.ageNs };
      if (r.vlan >= 0) e.vlan = r.vlan;
      return e;
    });
  }

  flush(): void {
    this.table.clear();
    this.vlanTables.clear();
  }

  override setCarrier(port: number, up: boolean): void {
    super.setCarrier(port, up);
    // A port that lost carrier forgets its stations (802.1D topology change).
    if (!up) this.forgetPort(port);
  }

  /** Forgets the stations learned on `port` (a topology change flushes them, 802.1D §17.19.9). */
  forgetPort(port: number): void {
    for (const t of [this.table, ...this.vlanTables.values()]) for (const [mac, e] of t) if (e.port === port) t.delete(mac);
  }

  private stations(): number {
    let n = this.table.size;
    for (const t of this.vlanTables.values()) n += t.size;
    return n;
  }

  private find(t: Map<number, Station>, mac: number, nowNs: number): number {
    const e = t.get(mac);
    if (!e) return -1;
    if (nowNs - e.seenNs >= this.agingNs) {
      t.delete(mac);
      return -1;
    }
    return e.port;
  }

  /** Learn `mac` on `port`; false when it jumped ports too soon (a loop, ng_bridge_rcvdata). */
  private learn(t: Map<number, Station>, mac: number, port: number, now: number): boolean {
    const e = t.get(mac);
    if (e !== undefined && now - e.seenNs < this.agingNs) {
      e.seenNs = now;
      if (e.port === port) return true;
      if (now - e.placedNs < this.minStableAgeNs) return false;
      e.port = port;
      e.placedNs = now;
      return true;
    }
    if (e !== undefined) t.delete(mac);
    if (this.stations() >= MAC_TABLE_MAX) {
      if (!this.tableFullReported) this.notice(`MAC table full (${MAC_TABLE_MAX} stations): new stations are flooded to`);
      this.tableFullReported = true;
      return true;
    }
    t.set(mac, { port, seenNs: now, placedNs: now });
    return true;
  }

  // ---- VLAN filtering (IEEE 802.1Q §8.6.1 ingress, §8.6.2 forwarding, §8.6.6 egress) ----

  private vlanInput(port: number, frame: Uint8Array, pv: PortVlan, now: number): void {
    const tagVid = frameVid(frame);
    // A TPID with no room for the tag is a runt: discard it rather than pass it on as untagged.
    if (tagVid < 0 && frame[12] === 0x81 && frame[13] === 0x00) return this.discard(port, frame, DROP.MALFORMED);
    let vid: number;
    let untagged: Uint8Array | null = null;
    let tagged: Uint8Array | null = null;
    if (pv.mode === PORT_MODE.ACCESS) {
      // §6.9: only untagged and priority-tagged (VID 0) frames are admitted on an access port.
      if (tagVid > 0) return this.discard(port, frame, DROP.NOT_FOR_US);
      vid = pv.vid;
      untagged = tagVid === 0 ? untagFrame(frame) : frame;
    } else {
      // A trunk has no native VLAN (IMUNES on FreeBSD): untagged, VID 0 and VID 4095 are discarded.
      if (tagVid <= 0 || tagVid === 0xfff) return this.discard(port, frame, DROP.NOT_FOR_US);
      vid = tagVid;
      tagged = frame;
    }
    let t = this.vlanTables.get(vid);
    if (t === undefined) {
      t = new Map();
      this.vlanTables.set(vid, t);
    }
    const src = readMac(frame, 6);
    if (!isMulticastMac(src) && !this.learn(t, src, port, now)) return this.loopDetected(port, frame, now);
    const dst = readMac(frame, 0);
    const out = isMulticastMac(dst) ? -1 : this.find(t, dst, now);
    if (this.explain !== null) this.explainLookup(port, frame, out, vid);
    if (out === port) return this.discard(port, frame, DROP.NOT_FOR_US);
    const vlans = this.vlans!;
    for (let p = 0; p < vlans.length; p++) {
      if (p === port || (out >= 0 && p !== out)) continue;
      const q = vlans[p];
      if (q.mode === PORT_MODE.TRUNK) {
        tagged ??= tagFrame(untagged!, vid);
        this.send(p, tagged, out < 0);
      } else if (q.vid === vid) {
        untagged ??= untagFrame(tagged!);
        this.send(p, untagged, out < 0);
      }
    }
  }
}

/** A switch port as the topology document gives it (IMUNES fields kept in `extra`). */
export interface VlanPortDoc {
  name: string;
  extra?: Record<string, unknown>;
}

/**
 * Port VLAN membership from a switch's IMUNES fields, or null when filtering is off.
 * A port without `vlan_type` is an access port; without `vlan_tag` it is in VLAN 1
 * (IMUNES defaults). Problems (a tag outside 1–4094) are reported, and the port falls back to VLAN 1.
 */
export function vlanPortsFromDoc(filtering: unknown, ports: VlanPortDoc[], problems: string[]): PortVlan[] | null {
  if (!(filtering === '1' || filtering === 1 || filtering === true || filtering === 'true')) return null;
  return ports.map(({ name, extra: x }): PortVlan => {
    if (x?.vlan_type === PORT_MODE.TRUNK) return { mode: PORT_MODE.TRUNK };
    if (x?.vlan_tag === undefined || x.vlan_tag === '') return { mode: PORT_MODE.ACCESS, vid: 1 };
    const vid = Number(x.vlan_tag);
    if (!Number.isInteger(vid) || vid < 1 || vid > 4094) {
      problems.push(`port ${name}: VLAN tag ${String(x.vlan_tag)} is not in 1–4094; using VLAN 1`);
      return { mode: PORT_MODE.ACCESS, vid: 1 };
    }
    return { mode: PORT_MODE.ACCESS, vid };
  });
}
