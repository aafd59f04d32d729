// A point-to-point link modelled on FreeBSD's ng_pipe as IMUNES configures it: per
// direction a drop-tail queue, a transmitter (bandwidth → serialization), propagation
// delay + jitter, loss, bit errors and duplication. It moves bytes only; it never parses
// or changes a frame. Randomness comes from named world substreams, time from the Scheduler.
//
// Choices (documented for users): jitter is uniform in [0, jitterUs) as document.ts says,
// and frames in one direction are never reordered (unlike ng_pipe): a frame whose delay
// draw would overtake its predecessor arrives together with it instead. This keeps the
// in-flight set a FIFO, so one long-lived event function serves every frame (no closure,
// no allocation per frame). Loss and BER are decided when the frame enters the wire but
// take effect at the far end (a frame is seen leaving and then discarded, as the CRC
// check of a real receiver would); link-down and queue-full drop at the sender.
//
// Bounded (DESIGN decision 10): a direction holds at most IN_FLIGHT_MAX frames (queued or
// on the wire, which a zero-bandwidth link otherwise never limits), and all links of a
// world share one budget; past either a frame is dropped as `queue-full` and the bound is
// reported once. Each direction counts its own traffic and drops, as ng_pipe does.

import type { LinkParams } from '../topology/document';
import type { Scheduler } from '../sim/scheduler';
import type { Rng } from '../sim/rng';
import { DROP, type DropReason } from '../stack/env';

/** One side of a link: a stack interface or a bridge port. */
export interface LinkEndpoint {
  deliver(frame: Uint8Array): void;
  /** Carrier changed (link up/down). */
  carrier?(up: boolean): void;
}

/** Direction index: 0 = a→b, 1 = b→a. */
export type LinkDir = 0 | 1;

/** Where a link reports its traffic (the World's traffic record). */
export interface LinkObserver {
  nextFrameId(): number;
  linkTx(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, arriveNs: number): void;
  /** `shared`: the same frame object was also handed elsewhere (a flooding bridge, a duplicate), so no one may rewrite it. */
  linkRx(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, shared: boolean): void;
  linkDrop(link: Link, dir: LinkDir, frameId: number, frame: Uint8Array, reason: DropReason): void;
  /** A bound was hit for the first time (reported once per link direction). */
  linkBound(link: Link, dir: LinkDir, message: string): void;
}

/** Most frames one direction holds in flight (queued or on the wire). */
export const IN_FLIGHT_MAX = 4096;
/** Default most frames in flight on all links of a world together. */
export const WORLD_IN_FLIGHT_MAX = 262_144;

/** Frames in flight on every link of a world, against one ceiling. */
export interface InFlightBudget {
  inFlight: number;
  max: number;
}

/** What one direction of a link counts (ng_pipe's per-direction statistics). */
export interface LinkDirCounters {
  /** Frames handed to this direction (duplicates included). */
  offered: number;
  /** Frames that left the transmitter onto the wire. */
  sentPackets: number;
  sentBytes: number;
  /** Frames handed to the far end. */
  deliveredPackets: number;
  deliveredBytes: number;
  /** Frames discarded, by reason (link-down, queue-full, link-loss, link-ber). */
  drops: Partial<Record<DropReason, number>>;
}

export interface LinkRngs {
  loss: Rng;
  ber: Rng;
  dup: Rng;
  jitter: Rng;
}

const FATE_DELIVER = 0;
const FATE_LOSS = 1;
const FATE_BER = 2;
const FATE_MASK = 3;
/** Flag beside the fate: the frame object was handed to more than one place (see LinkObserver.linkRx). */
const SHARED = 4;

/** Resolved per-direction parameters in the units the hot path uses. */
interface DirParams {
  bandwidthBps: number;
  delayNs: number;
  jitterNs: number;
  lossPpm: number;
  /** log(1 − 1/N) for BER "1 in N bits"; 0 when off. */
  berLogKeep: number;
  dupPpm: number;
  queuePackets: number;
}

function resolveParams(p: LinkParams): DirParams {
  const n = p.berOneIn;
  return {
    bandwidthBps: Math.max(0, p.bandwidthBps),
    delayNs: Math.max(0, Math.round(p.delayUs * 1000)),
    jitterNs: Math.max(0, Math.round(p.jitterUs * 1000)),
    lossPpm: Math.round(Math.min(100, Math.max(0, p.lossPercent)) * 10_000),
    berLogKeep: n > 1 ? Math.log1p(-1 / n) : n === 1 ? -Infinity : 0,
    dupPpm: Math.round(Math.min(100, Math.max(0, p.dupPercent)) * 10_000),
    queuePackets: Math.max(1, Math.floor(p.queuePackets || 50)),
  };
}

/** Serialization time of `bytes` at `bandwidthBps` (0 = unlimited), rounded up to a ns. */
export function serializationNs(bytes: number, bandwidthBps: number): number {
  return bandwidthBps > 0 ? Math.ceil((bytes * 8 * 1e9) / bandwidthBps) : 0;
}

/** Probability that a frame of `bits` bits has at least one bit error at BER 1 in `oneIn`. */
export function berDropProbability(bits: number, oneIn: number): number {
  if (oneIn <= 0) return 0;
  if (oneIn === 1) return 1;
  return -Math.expm1(bits * Math.log1p(-1 / oneIn));
}

/**
 * One direction of the pipe. In-flight frames (queued or on the wire) form a FIFO in
 * parallel arrays; `departNs` marks when each leaves the transmitter (queue depth).
 */
class Direction {
  params: DirParams;
  readonly counters: LinkDirCounters = { offered: 0, sentPackets: 0, sentBytes: 0, deliveredPackets: 0, deliveredBytes: 0, drops: {} };
  private boundReported = false;
  private lastDepartNs = 0;
  private lastArriveNs = 0;
  /** Ring of frames in flight. */
  private frames: (Uint8Array | null)[] = new Array(16).fill(null);
  private ids = new Float64Array(16);
  private departs = new Float64Array(16);
  private fates = new Uint8Array(16);
  private gens = new Uint32Array(16);
  /** Arrival time and reserved scheduler sequence number of each chained frame waiting for its predecessor (its arrival event is scheduled when the one before it runs). */
  private arrives = new Float64Array(16);
  private seqs = new Float64Array(16);
  /** 1: the frame has its own event (it arrives the instant it was sent); 0: chained. */
  private own = new Uint8Array(16);
  /** A chained frame's arrival event is in the scheduler (at most one per direction: the earliest). */
  private chainScheduled = false;
  private head = 0;
  private count = 0;
  /** Index (from head) of the first frame whose departure is still in the future. */
  private queuedFrom = 0;

  constructor(
    readonly link: Link,
    readonly dir: LinkDir,
    params: LinkParams,
  ) {
    this.params = resolveParams(params);
  }

  /** Frames waiting for or occupying the transmitter at time `nowNs`. */
  queueDepth(nowNs: number): number {
    const mask = this.frames.length - 1;
    while (this.queuedFrom < this.count && this.departs[(this.head + this.queuedFrom) & mask] <= nowNs) this.queuedFrom++;
    return this.count - this.queuedFrom;
  }

  /** Frames in flight (queued or on the wire). */
  inFlight(): number {
    return this.count;
  }

  private drop(frameId: number, frame: Uint8Array, reason: DropReason): void {
    const d = this.counters.drops;
    d[reason] = (d[reason] ?? 0) + 1;
    this.link.observer.linkDrop(this.link, this.dir, frameId, frame, reason);
  }

  /** Room for one more frame in flight; reports the first refusal. */
  private admit(): boolean {
    const budget = this.link.budget;
    if (this.count < IN_FLIGHT_MAX && budget.inFlight < budget.max) return true;
    if (!this.boundReported) {
      this.boundReported = true;
      const what = this.count >= IN_FLIGHT_MAX ? `${IN_FLIGHT_MAX} frames in flight in one direction` : `${budget.max} frames in flight on all links`;
      this.link.observer.linkBound(this.link, this.dir, `${what}: further frames are dropped as queue-full (a storm or flood?)`);
    }
    return false;
  }

  send(frame: Uint8Array, sim: Scheduler, gen: number, shared: boolean): void {
    const link = this.link;
    const obs = link.observer;
    const p = this.params;
    const now = sim.now();
    const frameId = obs.nextFrameId();
    this.counters.offered++;
    if (!link.up) return this.drop(frameId, frame, DROP.LINK_DOWN);
    if (!this.admit()) return this.drop(frameId, frame, DROP.QUEUE_FULL);
    let departNs = now;
    if (p.bandwidthBps > 0) {
      if (this.queueDepth(now) >= p.queuePackets) return this.drop(frameId, frame, DROP.QUEUE_FULL);
      departNs = Math.max(now, this.lastDepartNs) + serializationNs(frame.length, p.bandwidthBps);
      this.lastDepartNs = departNs;
    }
    const fate = this.drawFate(frame.length);
    const arriveNs = this.arrival(departNs);
    const own = arriveNs === now ? 1 : 0;
    const i = this.push(frame, frameId, departNs, shared ? fate | SHARED : fate, gen, own);
    this.schedule(sim, i, arriveNs, own);
    this.counters.sentPackets++;
    this.counters.sentBytes += frame.length;
    obs.linkTx(link, this.dir, frameId, frame, arriveNs);
    if (p.dupPpm > 0 && link.rngs.dup.chancePpm(p.dupPpm)) {
      // The copy arrives right behind the original (ng_pipe duplicates at the output).
      const dupId = obs.nextFrameId();
      this.counters.offered++;
      if (!this.admit()) return this.drop(dupId, frame, DROP.QUEUE_FULL);
      // Both arrivals carry the one frame object: neither may be rewritten in place.
      this.fates[i] |= SHARED;
      this.schedule(sim, this.push(frame, dupId, departNs, FATE_DELIVER | SHARED, gen, own), arriveNs, own);
      this.counters.sentPackets++;
      this.counters.sentBytes += frame.length;
      obs.linkTx(link, this.dir, dupId, frame, arriveNs);
    }
  }

  private drawFate(lengthBytes: number): number {
    const p = this.params;
    if (p.lossPpm > 0 && this.link.rngs.loss.chancePpm(p.lossPpm)) return FATE_LOSS;
    if (p.berLogKeep !== 0) {
      const pDrop = -Math.expm1(lengthBytes * 8 * p.berLogKeep);
      if (this.link.rngs.ber.nextFloat() < pDrop) return FATE_BER;
    }
    return FATE_DELIVER;
  }

  private arrival(departNs: number): number {
    const p = this.params;
    let t = departNs + p.delayNs;
    if (p.jitterNs > 0) t += this.link.rngs.jitter.nextInt(p.jitterNs);
    // FIFO per direction: never overtake the previous frame.
    if (t < this.lastArriveNs) t = this.lastArriveNs;
    this.lastArriveNs = t;
    return t;
  }

  private push(frame: Uint8Array, id: number, departNs: number, fate: number, gen: number, own: number): number {
    if (this.count === this.frames.length) this.grow();
    const i = (this.head + this.count) & (this.frames.length - 1);
    this.frames[i] = frame;
    this.ids[i] = id;
    this.departs[i] = departNs;
    this.fates[i] = fate;
    this.gens[i] = gen;
    this.own[i] = own;
    this.count++;
    this.link.budget.inFlight++;
    return i;
  }

  /**
   * The arrival event of the frame just pushed in slot `i`. Frames of a direction arrive in
   * FIFO order, so only the earliest chained frame has an event in the scheduler; each later
   * one keeps the sequence number it would have had and is scheduled with it when its
   * predecessor arrives (the same run order, with a heap of one event per direction instead
   * of one per frame in flight). A frame arriving the instant it is sent (no delay, no
   * bandwidth limit) has its own event, in the scheduler's same-instant queue, as before.
   */
  private schedule(sim: Scheduler, i: number, arriveNs: number, own: number): void {
    if (own === 0 && this.chainScheduled) {
      this.arrives[i] = arriveNs;
      this.seqs[i] = sim.reserveSeq();
      return;
    }
    if (own === 0) this.chainScheduled = true;
    sim.scheduleAt(arriveNs, arriveEvent, this);
  }

  /** The head chained frame arrived: schedule the next chained frame's event with its reserved number. */
  private scheduleNextChained(): void {
    const mask = this.frames.length - 1;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & mask;
      if (this.own[i] === 1) continue;
      this.chainScheduled = true;
      this.link.sim.scheduleReserved(this.arrives[i], this.seqs[i], arriveEvent, this);
      return;
    }
  }

  /** Called by the scheduler at the head frame's arrival time. */
  arrive(): void {
    const i = this.head;
    const frame = this.frames[i]!;
    const id = this.ids[i];
    const fate = this.fates[i] & FATE_MASK;
    const shared = (this.fates[i] & SHARED) !== 0;
    const gen = this.gens[i];
    const chained = this.own[i] === 0;
    this.frames[i] = null;
    this.head = (i + 1) & (this.frames.length - 1);
    this.count--;
    const link = this.link;
    link.budget.inFlight--;
    if (this.queuedFrom > 0) this.queuedFrom--;
    if (chained) {
      this.chainScheduled = false;
      this.scheduleNextChained();
    }
    if (gen !== link.generation) this.drop(id, frame, DROP.LINK_DOWN);
    else if (fate === FATE_LOSS) this.drop(id, frame, DROP.LINK_LOSS);
    else if (fate === FATE_BER) this.drop(id, frame, DROP.LINK_BER);
    else {
      this.counters.deliveredPackets++;
      this.counters.deliveredBytes += frame.length;
      link.observer.linkRx(link, this.dir, id, frame, shared);
      link.ends[this.dir === 0 ? 1 : 0].deliver(frame);
    }
  }

  /** Carrier lost: the transmitter is idle again once the link comes back. */
  reset(nowNs: number): void {
    this.lastDepartNs = nowNs;
    this.queuedFrom = this.count;
  }

  private grow(): void {
    const n = this.frames.length;
    const order = (src: ArrayLike<number>, dst: { [k: number]: number }): void => {
      for (let k = 0; k < n; k++) dst[k] = src[(this.head + k) & (n - 1)];
    };
    const frames: (Uint8Array | null)[] = new Array(n * 2).fill(null);
    for (let k = 0; k < n; k++) frames[k] = this.frames[(this.head + k) & (n - 1)];
    const ids = new Float64Array(n * 2);
    const departs = new Float64Array(n * 2);
    const fates = new Uint8Array(n * 2);
    const gens = new Uint32Array(n * 2);
    const arrives = new Float64Array(n * 2);
    const seqs = new Float64Array(n * 2);
    const own = new Uint8Array(n * 2);
    order(this.ids, ids);
    order(this.departs, departs);
    order(this.fates, fates);
    order(this.gens, gens);
    order(this.arrives, arrives);
    order(this.seqs, seqs);
    order(this.own, own);
    this.frames = frames;
    this.ids = ids;
    this.departs = departs;
    this.fates = fates;
    this.gens = gens;
    this.arrives = arrives;
    this.seqs = seqs;
    this.own = own;
    this.head = 0;
  }
}

function arriveEvent(d: Direction): void {
  d.arrive();
}

export interface LinkOptions {
  id: string;
  /** Index of the link in its world (compact traffic records). */
  index: number;
  sim: Scheduler;
  rngs: LinkRngs;
  observer: LinkObserver;
  params: LinkParams;
  paramsBA?: LinkParams;
  up?: boolean;
  /** In-flight budget shared by the world's links (default: this link's own). */
  budget?: InFlightBudget;
}

export class Link {
  readonly id: string;
  readonly index: number;
  readonly sim: Scheduler;
  readonly rngs: LinkRngs;
  readonly observer: LinkObserver;
  readonly budget: InFlightBudget;
  /** Endpoint a (index 0) and b (index 1); set with `attach` before traffic flows. */
  readonly ends: [LinkEndpoint, LinkEndpoint] = [NO_ENDPOINT, NO_ENDPOINT];
  up: boolean;
  /** Bumped when the carrier drops, so frames in flight at that moment are lost. */
  generation = 0;
  private readonly dirs: [Direction, Direction];
  private readonly docParams: [LinkParams, LinkParams];

  constructor(o: LinkOptions) {
    this.id = o.id;
    this.index = o.index;
    this.sim = o.sim;
    this.rngs = o.rngs;
    this.observer = o.observer;
    this.budget = o.budget ?? { inFlight: 0, max: WORLD_IN_FLIGHT_MAX };
    this.up = o.up ?? true;
    this.docParams = [{ ...o.params }, { ...(o.paramsBA ?? o.params) }];
    this.dirs = [new Direction(this, 0, this.docParams[0]), new Direction(this, 1, this.docParams[1])];
  }

  attach(side: LinkDir, endpoint: LinkEndpoint): void {
    this.ends[side] = endpoint;
  }

  /** Put `frame` on the wire from side `from` (0 = a, 1 = b). */
  /** `shared`: the sender hands the same frame object to other links too (a flooding bridge). */
  send(from: LinkDir, frame: Uint8Array, shared = false): void {
    this.dirs[from].send(frame, this.sim, this.generation, shared);
  }

  /** Change parameters while running; frames already accepted keep their computed times. */
  setParams(params: Partial<LinkParams>, direction: 'ab' | 'ba' | 'both' = 'both'): void {
    for (const d of [0, 1] as const) {
      if (direction === (d === 0 ? 'ba' : 'ab')) continue;
      this.docParams[d] = { ...this.docParams[d], ...params };
      this.dirs[d].params = resolveParams(this.docParams[d]);
    }
  }

  params(dir: LinkDir): LinkParams {
    return { ...this.docParams[dir] };
  }

  /** Carrier up/down: down drops frames in flight and tells both ends. */
  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (!up) {
      this.generation = (this.generation + 1) >>> 0;
      const now = this.sim.now();
      this.dirs[0].reset(now);
      this.dirs[1].reset(now);
    }
    this.ends[0].carrier?.(up);
    this.ends[1].carrier?.(up);
  }

  /** Frames waiting for or occupying the transmitter in direction `dir` now. */
  queueDepth(dir: LinkDir): number {
    return this.dirs[dir].queueDepth(this.sim.now());
  }

  /** Frames queued or on the wire in direction `dir`. */
  inFlight(dir: LinkDir): number {
    return this.dirs[dir].inFlight();
  }

  /** This direction's own counters (live object: read, never write). */
  counters(dir: LinkDir): Readonly<LinkDirCounters> {
    return this.dirs[dir].counters;
  }
}

const NO_ENDPOINT: LinkEndpoint = { deliver() {} };
