// The lanswitch node: a transparent learning bridge (IEEE 802.1D §7.7–7.9): learn the
// source MAC per port, forward known unicast to one port, flood unknown, broadcast and
// multicast to every other port, age entries after 300 s. Ports are link endpoints; it
// never parses past the Ethernet addresses and never owns a stack. No STP, no VLANs.

import type { Scheduler } from '../sim/scheduler';
import { formatMac, isMulticastMac, readMac } from '../wire/addr';

/** IEEE 802.1D default ageing time. */
export const MAC_AGING_NS = 300_000_000_000;

export interface PortCounters {
  rxFrames: number;
  rxBytes: number;
  txFrames: number;
  txBytes: number;
  /** Frames sent to this port because the destination was unknown or group. */
  floodedFrames: number;
  /** Frames received here and discarded (destination is on the same port, or port down). */
  filteredFrames: number;
}

export interface BridgeOptions {
  sim: Scheduler;
  /** Port names in order (the node's interface names). */
  ports: string[];
  /** Put a frame on the link attached to `port`. */
  transmit(port: number, frame: Uint8Array): void;
  agingNs?: number;
}

export interface MacEntry {
  mac: string;
  port: string;
  ageNs: number;
}

function newCounters(): PortCounters {
  return { rxFrames: 0, rxBytes: 0, txFrames: 0, txBytes: 0, floodedFrames: 0, filteredFrames: 0 };
}

/** Common port bookkeeping for the switch and the hub. */
export abstract class PortedNode {
  readonly ports: string[];
  readonly counters: PortCounters[];
  readonly carrier: boolean[];
  protected readonly transmit: (port: number, frame: Uint8Array) => void;

  constructor(ports: string[], transmit: (port: number, frame: Uint8Array) => void) {
    this.ports = ports.slice();
    this.counters = ports.map(newCounters);
    this.carrier = ports.map(() => true);
    this.transmit = transmit;
  }

  /** A frame arrived on `port` from its link. */
  abstract input(port: number, frame: Uint8Array): void;

  setCarrier(port: number, up: boolean): void {
    this.carrier[port] = up;
  }

  protected send(port: number, frame: Uint8Array, flooded: boolean): void {
    if (!this.carrier[port]) return;
    const c = this.counters[port];
    c.txFrames++;
    c.txBytes += frame.length;
    if (flooded) c.floodedFrames++;
    this.transmit(port, frame);
  }

  protected flood(inPort: number, frame: Uint8Array): void {
    for (let p = 0; p < this.ports.length; p++) if (p !== inPort) this.send(p, frame, true);
  }

  protected countRx(port: number, frame: Uint8Array): void {
    const c = this.counters[port];
    c.rxFrames++;
    c.rxBytes += frame.length;
  }
}

export class Bridge extends PortedNode {
  readonly agingNs: number;
  private readonly sim: Scheduler;
  /** MAC → port index and last time seen as a source. */
  private readonly table = new Map<number, { port: number; seenNs: number }>();

  constructor(o: BridgeOptions) {
    super(o.ports, o.transmit);
    this.sim = o.sim;
    this.agingNs = o.agingNs ?? MAC_AGING_NS;
  }

  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    if (frame.length < 14) {
      this.counters[port].filteredFrames++;
      return;
    }
    const now = this.sim.now();
    const src = readMac(frame, 6);
    if (!isMulticastMac(src)) this.learn(src, port, now);
    const dst = readMac(frame, 0);
    if (isMulticastMac(dst)) {
      this.flood(port, frame);
      return;
    }
    const out = this.lookup(dst, now);
    if (out < 0) this.flood(port, frame);
    else if (out === port) this.counters[port].filteredFrames++;
    else this.send(out, frame, false);
  }

  /** Port a unicast MAC was learned on, or -1 when unknown or aged out (§7.9.2). */
  lookup(mac: number, nowNs = this.sim.now()): number {
    const e = this.table.get(mac);
    if (!e) return -1;
    if (nowNs - e.seenNs >= this.agingNs) {
      this.table.delete(mac);
      return -1;
    }
    return e.port;
  }

  /** Live (not aged) entries, sorted by port then MAC, for `show mac` and the inspector. */
  macTable(): MacEntry[] {
    const now = this.sim.now();
    const rows: { mac: number; port: number; ageNs: number }[] = [];
    for (const [mac, e] of this.table) {
      const age = now - e.seenNs;
      if (age < this.agingNs) rows.push({ mac, port: e.port, ageNs: age });
    }
    rows.sort((a, b) => a.port - b.port || a.mac - b.mac);
    return rows.map((r) => ({ mac: formatMac(r.mac), port: this.ports[r.port], ageNs: r.ageNs }));
  }

  flush(): void {
    this.table.clear();
  }

  override setCarrier(port: number, up: boolean): void {
    super.setCarrier(port, up);
    // A port that lost carrier forgets its stations (802.1D topology change).
    if (!up) for (const [mac, e] of this.table) if (e.port === port) this.table.delete(mac);
  }

  private learn(mac: number, port: number, now: number): void {
    const e = this.table.get(mac);
    if (e) {
      e.port = port;
      e.seenNs = now;
    } else this.table.set(mac, { port, seenNs: now });
  }
}
