// The run fuzzer's generator and runner (VOPR-style, issue 10): a seeded random network
// (loops and parallel links included, random link parameters), random shell commands, link
// changes and raw frames, run for a fixed event budget while checking invariants. Shared by
// the seeded fuzzer (run-fuzz.test.ts) and the fast-check memory property. Test support only.

import { World, type WorldOptions } from '../../src/emulator/engine/world';
import type { Link, LinkDir } from '../../src/emulator/link/link';
import { IN_FLIGHT_MAX } from '../../src/emulator/link/link';
import type { DropReason } from '../../src/emulator/stack/env';
import { Rng } from '../../src/emulator/sim/rng';
import { SimStall } from '../../src/emulator/sim/scheduler';
import { openShell, type ShellSession } from '../../src/emulator/shell';
import type { LinkParams, TopologyDoc } from '../../src/emulator/topology/document';
import { builder } from '../scenarios/topologies';

export const KINDS = ['pc', 'host', 'router', 'lanswitch', 'hub'] as const;
export type Kind = (typeof KINDS)[number];

export interface FuzzLink {
  a: number;
  b: number;
  params: Partial<LinkParams>;
}

export interface FuzzAction {
  /** Virtual time of the action in µs after the previous one. */
  afterUs: number;
  kind: 'shell' | 'frame' | 'link-up' | 'link-down' | 'link-params';
  node: number;
  text: string;
  bytes: number[];
  params: Partial<LinkParams>;
}

export interface FuzzCase {
  kinds: Kind[];
  links: FuzzLink[];
  actions: FuzzAction[];
}

export interface FuzzOutcome {
  hash: string;
  nowNs: number;
  events: number;
  stalled: boolean;
  heapGrowthBytes: number;
  frames: { offered: number; sent: number; delivered: number; dropped: number; inFlight: number };
}

const isStack = (k: Kind) => k === 'pc' || k === 'host' || k === 'router';

/** A document for the case: stacks get 10.0.{0..2}.x/24 addresses, so some share subnets. */
export function caseDoc(c: FuzzCase): TopologyDoc {
  const b = builder();
  const nodes = c.kinds.map((k, i) => b.node(k, `${k}${i}`));
  c.links.forEach((l, i) => {
    const ip = (n: number) => (isStack(c.kinds[n]) ? `10.0.${(l.a + l.b + i) % 3}.${10 + ((n * 16 + i) % 200)}/24` : undefined);
    b.link(nodes[l.a], nodes[l.b], { aIp: ip(l.a), bIp: ip(l.b), params: l.params });
  });
  return b.doc;
}

/** World that also counts what links report, to check them against the links' own counters. */
class CheckedWorld extends World {
  // Not a field initializer: the World transmits (gratuitous ARPs) inside its constructor.
  declare seen: { tx: number; rx: number; drop: number };
  override linkTx(link: Link, dir: LinkDir, id: number, frame: Uint8Array, arriveNs: number): void {
    (this.seen ??= { tx: 0, rx: 0, drop: 0 }).tx++;
    super.linkTx(link, dir, id, frame, arriveNs);
  }
  override linkRx(link: Link, dir: LinkDir, id: number, frame: Uint8Array, shared: boolean): void {
    (this.seen ??= { tx: 0, rx: 0, drop: 0 }).rx++;
    super.linkRx(link, dir, id, frame, shared);
  }
  override linkDrop(link: Link, dir: LinkDir, id: number, frame: Uint8Array, reason: DropReason): void {
    if (!reason) throw new Error('link drop without a reason');
    (this.seen ??= { tx: 0, rx: 0, drop: 0 }).drop++;
    super.linkDrop(link, dir, id, frame, reason);
  }
}

export interface RunLimits {
  /** Scheduler events the whole case may run. */
  events: number;
  /** Events at one instant before a stall (small, so hub loops end fast). */
  zeroProgressEvents: number;
}

/** Run one case and check every invariant; throws with what broke. */
export function runCase(c: FuzzCase, seed: number, limits: RunLimits): FuzzOutcome {
  const heap0 = process.memoryUsage().heapUsed;
  const opts: WorldOptions = { seed, zeroProgressEvents: limits.zeroProgressEvents };
  const w = new CheckedWorld(caseDoc(c), opts);
  const shells = new Map<number, ShellSession>();
  let stalled = false;
  let lastNow = 0;
  let budget = limits.events;
  const check = (where: string) => {
    const now = w.sim.now();
    if (now < lastNow) throw new Error(`${where}: virtual time went back from ${lastNow} to ${now}`);
    lastNow = now;
    if (w.inFlight() > w.links.length * 2 * IN_FLIGHT_MAX) throw new Error(`${where}: ${w.inFlight()} frames in flight`);
    if (w.sim.pending() > w.inFlight() + 10_000) throw new Error(`${where}: ${w.sim.pending()} events pending`);
    accounting(w, where);
  };
  try {
    for (const a of c.actions) {
      if (budget <= 0) break;
      const target = w.sim.now() + a.afterUs * 1000;
      const ran = w.sim.runUntil(target, budget);
      budget -= ran;
      if (budget > 0 && w.sim.now() !== target) throw new Error(`virtual time did not reach ${target} (at ${w.sim.now()}) with events to spare`);
      check(`before action ${a.kind}`);
      act(w, c, a, shells);
    }
    if (budget > 0) budget -= w.sim.runUntil(w.sim.now() + 1_000_000_000, budget);
  } catch (err) {
    if (!(err instanceof SimStall)) throw err;
    stalled = true;
  }
  check('end');
  for (const s of shells.values()) s.close();
  const f = totals(w);
  return { hash: w.traceHash(), nowNs: w.sim.now(), events: w.sim.executed(), stalled, heapGrowthBytes: process.memoryUsage().heapUsed - heap0, frames: f };
}

function totals(w: World) {
  const f = { offered: 0, sent: 0, delivered: 0, dropped: 0, inFlight: 0 };
  for (const l of w.links) {
    for (const d of [0, 1] as const) {
      const c = l.counters(d);
      f.offered += c.offered;
      f.sent += c.sentPackets;
      f.delivered += c.deliveredPackets;
      for (const n of Object.values(c.drops)) f.dropped += n ?? 0;
      f.inFlight += l.inFlight(d);
    }
  }
  return f;
}

/** Every frame handed to a link is delivered, dropped with a reason, or still in flight. */
function accounting(w: CheckedWorld, where: string): void {
  for (const l of w.links) {
    for (const d of [0, 1] as const) {
      const c = l.counters(d);
      let dropped = 0;
      for (const n of Object.values(c.drops)) dropped += n ?? 0;
      if (c.offered !== c.deliveredPackets + dropped + l.inFlight(d)) {
        throw new Error(`${where}: link ${l.id} dir ${d}: offered ${c.offered} ≠ delivered ${c.deliveredPackets} + dropped ${dropped} + in flight ${l.inFlight(d)}`);
      }
    }
  }
  // What the traffic record was told matches what the links counted themselves.
  const f = totals(w);
  w.seen ??= { tx: 0, rx: 0, drop: 0 };
  if (w.seen.tx !== f.sent || w.seen.rx !== f.delivered || w.seen.drop !== f.dropped) {
    throw new Error(`${where}: traffic record saw tx ${w.seen.tx} / rx ${w.seen.rx} / drops ${w.seen.drop}, links counted ${f.sent} / ${f.delivered} / ${f.dropped}`);
  }
}

function act(w: World, c: FuzzCase, a: FuzzAction, shells: Map<number, ShellSession>): void {
  const n = a.node % c.kinds.length;
  const node = w.nodes[n];
  switch (a.kind) {
    case 'shell': {
      let s = shells.get(n);
      if (!s) {
        s = openShell(w, node.id, { write: () => {} });
        shells.set(n, s);
      }
      s.exec(a.text, () => {});
      return;
    }
    case 'frame': {
      if (node.ifaceNames.length === 0) return;
      const g = node.ifaceBase + (a.bytes.length % node.ifaceNames.length);
      if (!w.ifaceLinkOf(g)) return;
      w.transmit(g, Uint8Array.from(a.bytes));
      return;
    }
    case 'link-up':
    case 'link-down':
    case 'link-params': {
      if (w.links.length === 0) return;
      const l = w.links[a.node % w.links.length];
      if (a.kind === 'link-params') w.setLinkParams(l.id, a.params);
      else w.setLinkUp(l.id, a.kind === 'link-up');
      return;
    }
  }
}

// ---- seeded generation ---------------------------------------------------------------------

const COMMANDS = [
  (r: Rng) => `ping -c ${1 + r.nextInt(3)} 10.0.${r.nextInt(3)}.${10 + r.nextInt(60)}`,
  (r: Rng) => `ping -c ${1 + r.nextInt(3)} -i 0.2 10.0.${r.nextInt(3)}.255`,
  (r: Rng) => `traceroute -n -m 4 -w 1 10.0.${r.nextInt(3)}.${10 + r.nextInt(60)}`,
  (r: Rng) => `ifconfig eth${r.nextInt(3)} ${r.nextInt(2) ? 'down' : 'up'}`,
  (r: Rng) => `route add 10.${r.nextInt(5)}.0.0/16 10.0.${r.nextInt(3)}.${10 + r.nextInt(60)}`,
  () => 'arp -an',
  () => 'netstat -rn',
  () => 'netstat -i',
  () => 'hostname',
  () => 'show mac-address-table',
  (r: Rng) => Array.from({ length: r.nextInt(12) }, () => String.fromCharCode(32 + r.nextInt(95))).join(''),
];

export function randomParams(r: Rng): Partial<LinkParams> {
  const p: Partial<LinkParams> = {};
  if (r.nextInt(2)) p.delayUs = r.nextInt(3) === 0 ? 0 : r.nextInt(5000);
  if (r.nextInt(4) === 0) p.jitterUs = r.nextInt(2000);
  if (r.nextInt(4) === 0) p.lossPercent = r.nextInt(40);
  if (r.nextInt(6) === 0) p.dupPercent = r.nextInt(20);
  if (r.nextInt(3) === 0) p.bandwidthBps = 64_000 + r.nextInt(100_000_000);
  if (r.nextInt(4) === 0) p.queuePackets = 1 + r.nextInt(100);
  if (r.nextInt(8) === 0) p.berOneIn = 1000 + r.nextInt(1_000_000);
  return p;
}

function randomFrame(r: Rng): number[] {
  const len = r.nextInt(4) === 0 ? r.nextInt(20) : 14 + r.nextInt(200);
  const bytes = Array.from({ length: len }, () => r.nextInt(256));
  // Often broadcast, often IPv4 or ARP, so frames get past the first checks.
  if (len >= 14 && r.nextInt(2)) for (let k = 0; k < 6; k++) bytes[k] = 0xff;
  if (len >= 14 && r.nextInt(2)) [bytes[12], bytes[13]] = r.nextInt(2) ? [0x08, 0x00] : [0x08, 0x06];
  if (len >= 15 && r.nextInt(2)) bytes[14] = 0x45;
  return bytes;
}

/** The case for `seed`: 2–8 nodes, 1–12 links (loops and parallel links allowed), 1–30 actions. */
export function seededCase(seed: number): FuzzCase {
  const r = new Rng(seed, 'run-fuzz');
  const kinds = Array.from({ length: 2 + r.nextInt(7) }, () => KINDS[r.nextInt(KINDS.length)]);
  const links: FuzzLink[] = [];
  const nl = 1 + r.nextInt(12);
  for (let k = 0; k < nl; k++) {
    const a = r.nextInt(kinds.length);
    let b = r.nextInt(kinds.length);
    if (b === a) b = (a + 1) % kinds.length;
    links.push({ a, b, params: randomParams(r) });
  }
  const actions: FuzzAction[] = [];
  const na = 1 + r.nextInt(30);
  for (let k = 0; k < na; k++) {
    const pick = r.nextInt(10);
    const kind: FuzzAction['kind'] = pick < 5 ? 'shell' : pick < 8 ? 'frame' : pick === 8 ? (r.nextInt(2) ? 'link-down' : 'link-up') : 'link-params';
    actions.push({
      afterUs: r.nextInt(3) === 0 ? 0 : r.nextInt(2_000_000),
      kind,
      node: r.nextInt(64),
      text: COMMANDS[r.nextInt(COMMANDS.length)](r),
      bytes: kind === 'frame' ? randomFrame(r) : [],
      params: kind === 'link-params' ? randomParams(r) : {},
    });
  }
  return { kinds, links, actions };
}
