// The packgen node: IMUNES's packet generator, netgraph ng_source fed with the node's packet
// list (each a whole Ethernet frame in hex) and started with `setpps RATE` and an endless
// count: the frames go out of its interface one after another, cycling through the list, at
// RATE packets per second (IMUNES default 100). What arrives is discarded (ng_source keeps
// nothing it receives). Virtual time: one scheduled event per packet, none without a link.

import type { Scheduler } from '../sim/scheduler';
import { DROP, type DropReason } from '../stack/env';
import { hexToBytes } from '../wire/hex';
import { PortedNode } from './bridge';

/** IMUNES getPackgenPacketRate's default. */
export const PACKGEN_DEFAULT_PPS = 100;
/** Bounds (DESIGN decision 10): the list, one frame, the rate. */
export const PACKGEN_MAX_PACKETS = 1000;
export const PACKGEN_MAX_FRAME = 9018;
export const PACKGEN_MAX_PPS = 100_000;

export class Packgen extends PortedNode {
  readonly frames: Uint8Array[];
  readonly pps: number;
  sent = 0;
  private next = 0;
  private timer = 0;
  private readonly sim: Scheduler;

  constructor(o: { sim: Scheduler; ports: string[]; frames: Uint8Array[]; pps: number; transmit(port: number, frame: Uint8Array): void; drop?(port: number, frame: Uint8Array, reason: DropReason): void }) {
    super(o.ports, o.transmit, o.drop);
    this.sim = o.sim;
    this.frames = o.frames;
    this.pps = o.pps;
  }

  /** `ngctl msg … start 2^63`: IMUNES starts it only when the interface has a link. */
  start(): void {
    if (this.frames.length === 0 || this.timer !== 0) return;
    this.timer = this.sim.schedule(0, () => this.emit());
  }

  stop(): void {
    if (this.timer !== 0) this.sim.cancel(this.timer);
    this.timer = 0;
  }

  private emit(): void {
    this.timer = 0;
    // Each send gets its own copy: a frame on the wire is never mutated afterwards (StackEnv contract).
    this.send(0, this.frames[this.next]!.slice(), false);
    this.sent++;
    this.next = (this.next + 1) % this.frames.length;
    this.timer = this.sim.schedule(Math.round(1e9 / this.pps), () => this.emit());
  }

  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    this.discard(port, frame, DROP.NOT_FOR_US);
  }
}

/** The packet list and rate from IMUNES's `packgen` block, with problems for what cannot be sent. */
export function packgenFromDoc(raw: unknown, problems: string[]): { frames: Uint8Array[]; pps: number } {
  const b = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  let pps = PACKGEN_DEFAULT_PPS;
  if (b.packetrate !== undefined && b.packetrate !== '') {
    const n = Number(b.packetrate);
    if (Number.isInteger(n) && n >= 1 && n <= PACKGEN_MAX_PPS) pps = n;
    else problems.push(`packet rate ${String(b.packetrate)} is not 1–${PACKGEN_MAX_PPS} packets/s; using ${PACKGEN_DEFAULT_PPS}`);
  }
  const packets = typeof b.packets === 'object' && b.packets !== null ? Object.entries(b.packets as Record<string, unknown>) : [];
  packets.sort((x, y) => Number(x[0]) - Number(y[0]));
  const frames: Uint8Array[] = [];
  for (const [id, hex] of packets) {
    const bytes = hexToBytes(String(hex).replace(/[.: ]/g, ''));
    if (bytes === null || bytes.length < 14 || bytes.length > PACKGEN_MAX_FRAME) {
      problems.push(`packet ${id}: not an Ethernet frame in hex (14–${PACKGEN_MAX_FRAME} bytes); it is not sent`);
      continue;
    }
    if (frames.length >= PACKGEN_MAX_PACKETS) {
      problems.push(`more than ${PACKGEN_MAX_PACKETS} packets: the rest are not sent`);
      break;
    }
    frames.push(bytes);
  }
  return { frames, pps };
}
