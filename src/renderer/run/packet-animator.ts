// Live packet animation model: turns traffic events into dots travelling along links
// (in the frame's direction), drop markers with reasons, and per-link load. Pure: wall
// time and node positions are parameters; drawing lives in run-overlay.ts.
import type { ProtoClass, Speed, TrafficEvent } from '../../emulator/engine/protocol';
import { virtualToWallMs } from './time-map';

export const PROTO_COLORS = {
  arp: '#e0a100',
  icmp: '#d6336c',
  udp: '#1c7ed6',
  dhcp: '#f76707',
  dns: '#ae3ec9',
  tcp: '#2b8a3e',
  ipv4: '#7048e8',
  ipv6: '#0c8599',
  other: '#868e96',
} as const satisfies Record<ProtoClass, string>;

export const LEGEND: { proto: ProtoClass; label: string }[] = [
  { proto: 'arp', label: 'ARP' },
  { proto: 'icmp', label: 'ICMP' },
  { proto: 'udp', label: 'UDP' },
  { proto: 'dhcp', label: 'DHCP' },
  { proto: 'dns', label: 'DNS' },
  { proto: 'tcp', label: 'TCP' },
  { proto: 'other', label: 'Other' },
];

/** What the canvas writes beside a TCP segment that opens, closes or resets a connection. */
export type TcpMark = 'SYN' | 'SYN-ACK' | 'FIN' | 'RST';

// TCP flag bits (RFC 9293 §3.1); the renderer may not import wire/, so the three it needs are named here.
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

/** The mark of a segment with these flags, or null for plain data and ACKs. RST wins over SYN and FIN. */
export function tcpMark(flags: number | undefined): TcpMark | null {
  if (flags === undefined) return null;
  if (flags & TCP_RST) return 'RST';
  if (flags & TCP_SYN) return flags & TCP_ACK ? 'SYN-ACK' : 'SYN';
  if (flags & TCP_FIN) return 'FIN';
  return null;
}

export interface LinkEnds {
  a: string;
  b: string;
  /** Bits per second a→b (0 = unlimited). */
  bandwidthBps: number;
}

export interface Dot {
  frame: number;
  link: string;
  from: string;
  to: string;
  proto: ProtoClass;
  /** SYN, SYN-ACK, FIN or RST: drawn as a labelled ring around the dot. */
  mark: TcpMark | null;
  timeNs: number;
  arriveNs: number;
  wallStartMs: number;
  wallEndMs: number;
}

export interface DropMark {
  node: string;
  link?: string;
  reason: string;
  summary: string;
  proto: ProtoClass;
  wallMs: number;
}

/** The drop marks of one node: drawn as one cross, with how many it stands for. */
export interface DropGroup {
  node: string;
  /** The most recent drop at the node (what the hover names). */
  newest: DropMark;
  count: number;
  /** Older marks of the node were let go (the cap on marks): `count` is a lower bound. */
  atLeast: boolean;
  /** Drops by reason, most frequent first. */
  reasons: { reason: string; count: number }[];
}

export interface AnimatorOptions {
  maxDots?: number;
  /** New dots accepted per batch; beyond it, every k-th is kept (sampling). */
  maxNewPerBatch?: number;
  maxDrops?: number;
  dropShowMs?: number;
  /** Longest a dot may wait for its virtual start time at full speed. */
  maxLagMs?: number;
}

/** How long a hop is visible at least, so a 0-delay hop can be seen. */
export function minHopMs(speed: Speed): number {
  if (speed === 'max') return 80;
  if (speed >= 0.5) return 150;
  return 450;
}

export class PacketAnimator {
  dots: Dot[] = [];
  drops: DropMark[] = [];
  /** Per node, the newest drop mark let go to keep within maxDrops (wall ms): its count is then a lower bound. */
  private readonly dropsLetGo = new Map<string, number>();
  /** Dots not drawn because of the caps (shown as "sampled" in the legend). */
  skipped = 0;
  private readonly load = new Map<string, { bits: number; wallMs: number }>();
  private readonly opts: Required<AnimatorOptions>;

  constructor(
    private readonly linkEnds: (link: string) => LinkEnds | null,
    private readonly nodeKey: (node: string) => string,
    opts: AnimatorOptions = {},
  ) {
    this.opts = { maxDots: 300, maxNewPerBatch: 120, maxDrops: 50, dropShowMs: 4000, maxLagMs: 4000, ...opts };
  }

  /**
   * Adds one batch of traffic seen at wall time `wallMs` while virtual time is `virtualNs`
   * (playing at 1× or max; slower speeds and Step go through the StreamPacer, then `addHop`).
   * Only `tx` (travel) and `drop` events produce marks; all tx count toward link load.
   * Sampling never skips a SYN, FIN or RST: a connection's start and end stay visible in a busy network.
   */
  addBatch(events: readonly TrafficEvent[], wallMs: number, virtualNs: number, speed: Speed): void {
    const txs = events.filter((e) => e.action === 'tx' && e.link !== undefined);
    const step = txs.length > this.opts.maxNewPerBatch ? Math.ceil(txs.length / this.opts.maxNewPerBatch) : 1;
    txs.forEach((e, i) => {
      this.addLoad(e, wallMs);
      const keep = i % step === 0 || tcpMark(e.tcpFlags) !== null;
      if (!keep || this.dots.length >= this.opts.maxDots) {
        this.skipped++;
        return;
      }
      const start = Math.min(wallMs + Math.max(0, virtualToWallMs(e.timeNs - virtualNs, speed)), wallMs + this.opts.maxLagMs);
      const duration = Math.max(virtualToWallMs((e.arriveNs ?? e.timeNs) - e.timeNs, speed), minHopMs(speed));
      this.addDot(e, start, start + duration);
    });
    for (const e of events) if (e.action === 'drop') this.addDrop(e, wallMs);
  }

  /** One paced hop (slow motion, Step) drawn from `startMs` to `endMs`; kept whatever the caps. */
  addHop(e: TrafficEvent, startMs: number, endMs: number): void {
    if (e.link === undefined) return;
    this.addLoad(e, startMs);
    this.addDot(e, startMs, endMs);
  }

  private addDot(e: TrafficEvent, wallStartMs: number, wallEndMs: number): void {
    const ends = this.linkEnds(e.link!);
    if (!ends) return;
    const from = this.nodeKey(e.node);
    const to = from === ends.a ? ends.b : ends.a;
    this.dots.push({ frame: e.frame, link: e.link!, from, to, proto: e.proto, mark: tcpMark(e.tcpFlags), timeNs: e.timeNs, arriveNs: e.arriveNs ?? e.timeNs, wallStartMs, wallEndMs });
  }

  addDrop(e: TrafficEvent, wallMs: number): void {
    // A firewall drop names its rule (`firewall (rule 500)`): what the hover shows.
    this.drops.push({ node: this.nodeKey(e.node), link: e.link, reason: dropReasonText(e), summary: e.summary, proto: e.proto, wallMs });
    if (this.drops.length > this.opts.maxDrops) {
      for (const old of this.drops.splice(0, this.drops.length - this.opts.maxDrops)) this.dropsLetGo.set(old.node, Math.max(old.wallMs, this.dropsLetGo.get(old.node) ?? old.wallMs));
    }
  }

  private addLoad(e: TrafficEvent, wallMs: number): void {
    const l = this.load.get(e.link!) ?? { bits: 0, wallMs };
    decay(l, wallMs);
    l.bits += e.lengthBytes * 8;
    this.load.set(e.link!, l);
  }

  /** Step: hops still in flight end now and hops not yet started are not drawn. */
  cutShort(wallMs: number): void {
    this.dots = this.dots.filter((d) => d.wallStartMs <= wallMs);
    for (const d of this.dots) d.wallEndMs = Math.min(d.wallEndMs, wallMs);
  }

  /** Drops finished dots and old drop marks. */
  prune(wallMs: number): void {
    if (this.dots.some((d) => d.wallEndMs < wallMs)) this.dots = this.dots.filter((d) => d.wallEndMs >= wallMs);
    if (this.drops.some((d) => wallMs - d.wallMs > this.opts.dropShowMs)) {
      this.drops = this.drops.filter((d) => wallMs - d.wallMs <= this.opts.dropShowMs);
    }
    for (const [node, t] of this.dropsLetGo) if (wallMs - t > this.opts.dropShowMs) this.dropsLetGo.delete(node);
  }

  /** How long a drop mark stays (ms). */
  get dropShowMs(): number {
    return this.opts.dropShowMs;
  }

  /** The drop marks grouped per node, the node that dropped last at the end (drawn on top). */
  dropGroups(wallMs: number): DropGroup[] {
    // Marks are kept in arrival order, so a node's last mark is its newest.
    const byNode = new Map<string, { newest: DropMark; at: number; count: number; reasons: Map<string, number> }>();
    this.drops.forEach((d, at) => {
      const g = byNode.get(d.node);
      if (g === undefined) {
        byNode.set(d.node, { newest: d, at, count: 1, reasons: new Map([[d.reason, 1]]) });
        return;
      }
      g.count++;
      g.newest = d;
      g.at = at;
      g.reasons.set(d.reason, (g.reasons.get(d.reason) ?? 0) + 1);
    });
    return [...byNode]
      .sort((a, b) => a[1].at - b[1].at)
      .map(([node, g]) => ({
        node,
        newest: g.newest,
        count: g.count,
        atLeast: wallMs - (this.dropsLetGo.get(node) ?? -Infinity) <= this.opts.dropShowMs,
        reasons: [...g.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      }));
  }

  /** Progress 0…1 of a dot at a wall time, or null when it is not on screen. */
  static progress(d: Dot, wallMs: number): number | null {
    if (wallMs < d.wallStartMs || wallMs > d.wallEndMs) return null;
    const span = d.wallEndMs - d.wallStartMs;
    return span <= 0 ? 1 : (wallMs - d.wallStartMs) / span;
  }

  /**
   * Link load 0…1: bits per (decayed) second relative to the link's bandwidth, or to
   * 1,000 packets/s of 100-byte frames for unlimited links.
   */
  linkLevel(link: string, wallMs: number): number {
    const l = this.load.get(link);
    if (!l) return 0;
    decay(l, wallMs);
    const ends = this.linkEnds(link);
    const capacity = ends && ends.bandwidthBps > 0 ? ends.bandwidthBps : 800_000;
    return Math.min(1, l.bits / capacity);
  }

  clear(): void {
    this.dots = [];
    this.drops = [];
    this.dropsLetGo.clear();
    this.load.clear();
    this.skipped = 0;
  }
}

/** Exponential decay with a 1 s time constant, so `bits` approximates bits per second. */
function decay(l: { bits: number; wallMs: number }, wallMs: number): void {
  const dt = wallMs - l.wallMs;
  if (dt > 0) {
    l.bits *= Math.exp(-dt / 1000);
    l.wallMs = wallMs;
  }
}

/** Point at fraction `t` between two points. */
export function lerp(a: { x: number; y: number }, b: { x: number; y: number }, t: number): { x: number; y: number } {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/** Colour from green through orange to red for a load level. */
export function loadColor(level: number): string {
  if (level < 0.02) return '';
  const hue = Math.round(120 - 120 * Math.min(1, level));
  return `hsl(${hue}, 75%, 45%)`;
}

/** A drop's reason for people: the firewall rule that dropped it when there is one. */
export function dropReasonText(e: TrafficEvent): string {
  const r = e.reason ?? 'dropped';
  return e.rule !== undefined ? `${r} (rule ${e.rule})` : r;
}
