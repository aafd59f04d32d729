// Captures: frames seen on one interface (both directions) or on one link (both ends,
// each frame once, as it enters the wire), copied as they pass (a router may rewrite a
// frame in place later: stack/frame-alloc.ts), bounded in frames and bytes, and exported
// through the wire layer's pcap/pcapng writers, one IDB per `node:iface`. CaptureTaps
// holds which captures listen where; the World's hot path calls its tx/rx. It never reads
// a clock or a file; the Engine streams and exports.

import { PcapngWriter, PcapWriter } from '../wire/pcap';
import type { CaptureTarget } from './protocol';

export type CaptureSpec = CaptureTarget;

export interface CapturedFrame {
  timeNs: number;
  /** Index into `capture.where` (the `node:iface` it was seen on). */
  end: number;
  direction: 'in' | 'out';
  frameId: number;
  frame: Uint8Array;
}

/** Frames kept per capture; later frames are counted in `overflowed`, not kept. */
export const CAPTURE_MAX_FRAMES = 1_000_000;
/** Bytes of frames kept per capture (64 MiB). */
export const CAPTURE_MAX_BYTES = 64 * 1024 * 1024;

export class Capture {
  readonly frames: CapturedFrame[] = [];
  active = true;
  /** Frames discarded because the capture was full. */
  overflowed = 0;
  /** Bytes of frames kept. */
  bytes = 0;
  /** Called once when the capture first fills (the World reports it). */
  onFull: (message: string) => void = () => {};
  /** Index of the first frame not yet streamed as a `capture/frame` event. */
  streamed = 0;
  /** Detaches the capture from the World; set by the World. */
  stop: () => void = () => {};
  /**
   * A live reader (tcpdump on a node's shell): gets each frame as it passes and nothing is
   * kept, so a long tcpdump holds no memory. Null for recording captures.
   */
  sink: ((timeNs: number, direction: 'in' | 'out', frame: Uint8Array) => void) | null = null;

  constructor(
    readonly id: number,
    readonly name: string,
    /** `node:iface` labels; `end` indexes this. */
    readonly where: string[],
  ) {}

  add(timeNs: number, end: number, direction: 'in' | 'out', frameId: number, frame: Uint8Array): void {
    if (!this.active) return;
    if (this.sink !== null) return this.sink(timeNs, direction, frame);
    if (this.frames.length >= CAPTURE_MAX_FRAMES || this.bytes + frame.length > CAPTURE_MAX_BYTES) {
      if (this.overflowed++ === 0) this.onFull(`capture ${this.name} is full (${this.frames.length} frames, ${this.bytes} bytes): later frames are not kept`);
      return;
    }
    this.bytes += frame.length;
    // A compact copy: a frame may be a view into a shared slab (stack/frame-alloc.ts), which
    // would keep the whole slab alive and travel whole in a `capture/frame` message.
    this.frames.push({ timeNs, end, direction, frameId, frame: frame.slice() });
  }

  finish(): void {
    if (!this.active) return;
    this.active = false;
    this.stop();
  }

  toPcap(): Uint8Array {
    const w = new PcapWriter();
    for (const f of this.frames) w.addPacket(f.timeNs, f.frame);
    return w.toBytes();
  }

  toPcapng(): Uint8Array {
    const w = new PcapngWriter();
    for (const name of this.where) w.addInterface(name);
    for (const f of this.frames) w.addPacket(f.end, f.timeNs, f.frame, { direction: f.direction });
    return w.toBytes();
  }

  /** File name for an export: `pc1-eth0.pcap`, `link-l0.pcapng`. */
  fileName(format: 'pcap' | 'pcapng'): string {
    return `${this.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.${format}`;
  }
}

/** Which captures listen on which world interface and link; fed by the World's hot path. */
export class CaptureTaps {
  readonly captures = new Map<number, Capture>();
  /** Attached captures: the hot path skips tx/rx entirely while this is 0. */
  attached = 0;
  private nextId = 1;
  /** Per world interface and per link: active captures, or null (the common case). */
  private readonly byIface: (Capture[] | null)[];
  private readonly byLink: (Capture[] | null)[];

  constructor(ifaces: number, links: number) {
    this.byIface = new Array<Capture[] | null>(ifaces).fill(null);
    this.byLink = new Array<Capture[] | null>(links).fill(null);
  }

  /** A capture on world interface `g`. */
  onIface(g: number, name: string, where: string): Capture {
    return this.attach(this.byIface, g, name, [where]);
  }

  /** A live reader of world interface `g` (a shell's tcpdump): not listed among the captures, keeps no frames. */
  liveOnIface(g: number, name: string, sink: NonNullable<Capture['sink']>): Capture {
    const cap = this.attach(this.byIface, g, name, [name], false);
    cap.sink = sink;
    return cap;
  }

  /** A capture on link index `l`, `where` naming its two ends. */
  onLink(l: number, name: string, where: string[]): Capture {
    return this.attach(this.byLink, l, name, where);
  }

  /** A frame entering link `l` in direction `dir` from world interface `g`. */
  tx(g: number, l: number, dir: 0 | 1, timeNs: number, frameId: number, frame: Uint8Array): void {
    const ci = this.byIface[g];
    if (ci !== null) for (const c of ci) c.add(timeNs, 0, 'out', frameId, frame);
    const cl = this.byLink[l];
    if (cl !== null) for (const c of cl) c.add(timeNs, dir, 'out', frameId, frame);
  }

  /** A frame arriving at world interface `g`. */
  rx(g: number, timeNs: number, frameId: number, frame: Uint8Array): void {
    const ci = this.byIface[g];
    if (ci !== null) for (const c of ci) c.add(timeNs, 0, 'in', frameId, frame);
  }

  private attach(table: (Capture[] | null)[], k: number, name: string, where: string[], listed = true): Capture {
    const cap = new Capture(this.nextId++, name, where);
    (table[k] ??= []).push(cap);
    this.attached++;
    cap.stop = () => {
      const list = table[k];
      if (!list) return;
      const i = list.indexOf(cap);
      if (i >= 0) {
        list.splice(i, 1);
        this.attached--;
      }
      if (list.length === 0) table[k] = null;
    };
    if (listed) this.captures.set(cap.id, cap);
    return cap;
  }
}
