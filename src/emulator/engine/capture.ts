// Captures: frames seen on one interface (both directions) or on one link (both ends,
// each frame once, as it enters the wire), kept as references (frames are immutable) and
// exported through the wire layer's pcap/pcapng writers, one IDB per `node:iface`.
// It never reads a clock or a file; the World feeds it, the Engine streams and exports it.

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

/** Frames kept per capture before the oldest are discarded (about 1 GB of 64 KB frames is never held). */
export const CAPTURE_MAX_FRAMES = 1_000_000;

export class Capture {
  readonly frames: CapturedFrame[] = [];
  active = true;
  /** Frames discarded because the capture was full. */
  overflowed = 0;
  /** Index of the first frame not yet streamed as a `capture/frame` event. */
  streamed = 0;
  /** Detaches the capture from the World; set by the World. */
  stop: () => void = () => {};

  constructor(
    readonly id: number,
    readonly name: string,
    /** `node:iface` labels; `end` indexes this. */
    readonly where: string[],
  ) {}

  add(timeNs: number, end: number, direction: 'in' | 'out', frameId: number, frame: Uint8Array): void {
    if (!this.active) return;
    if (this.frames.length >= CAPTURE_MAX_FRAMES) {
      this.overflowed++;
      return;
    }
    this.frames.push({ timeNs, end, direction, frameId, frame });
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
