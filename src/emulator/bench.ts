// The engine benchmark: packet-hops per second through a chain pc–r1–…–rN–pc of real
// stacks and links with the traffic record on (drained as a host would), and the memory of
// an idle node. It must not read a clock or the heap itself: the caller injects both (the
// CLI passes performance.now and process.memoryUsage), so this file stays free of Node/DOM.

import { World } from './engine/world';
import { macFromIndex } from './topology/addr-text';
import { icmpOpen, ip6Send, ipSend, udp6Bind, udp6Send, udpBind, udpSend } from './stack';
import { parseRule } from './stack/ipfw/parse';
import { firewallOf, ruleAdd, tableAdd } from './stack/ipfw/ruleset';
import { buildIcmpv6 } from './wire/icmpv6';
import { parseIpv6 } from './wire/ipv6-addr';
import { buildIcmp, icmpEchoRequest } from './wire/icmp';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type LinkParams, type NodeDoc, type TopologyDoc } from './topology/document';

export interface BenchOptions {
  routers?: number;
  packets?: number;
  seed?: number;
  /** Wall clock in milliseconds (performance.now). */
  clock: () => number;
  /** Heap bytes in use (process.memoryUsage().heapUsed); without it bytesPerIdleNode is null. */
  heapUsed?: () => number;
  /** Idle pcs built for the memory figure (default 2000). */
  idleNodes?: number;
  /** UDP datagrams injected per batch before running the scheduler (default 256). */
  batch?: number;
  /** Traffic events drained (built) per host tick (default 2000, as the Engine does). */
  drainPerTick?: number;
  /** Host tick period in ms of the injected clock (default 16). */
  tickMs?: number;
  /** Parameters of every chain link (default: the document defaults). */
  linkParams?: Partial<LinkParams>;
  /** Packets sent untimed first so the JIT has warmed up (default min(packets / 10, 20,000)). */
  warmup?: number;
  /** Explanations on (simulation mode's decisions in every record: `virtnet bench --explain`). */
  explain?: boolean;
  /** Flood UDP over IPv6 (fc00:k::/64 on link k) instead of IPv4 (`virtnet bench --ipv6`). */
  ipv6?: boolean;
  /**
   * ipfw rules on every router, none by default: N rules that never match the flood
   * (`deny udp from 192.168.k.0/24 to any`), then `allow ip from any to any`. With
   * `firewallTable` the N prefixes are in table(1) behind one `deny udp from table(1)` rule.
   */
  firewallRules?: number;
  firewallTable?: boolean;
}

/** Largest chain: link k is 10.0.k.0/24, so k ≤ 255. */
export const BENCH_MAX_ROUTERS = 254;
/** Most packets one run sends (time grows with it; memory does not). */
export const BENCH_MAX_PACKETS = 100_000_000;

export interface BenchResult {
  routers: number;
  packets: number;
  /** Datagrams that reached pc2 (the bench fails unless this equals `packets`). */
  received: number;
  /** Datagrams delivered × links crossed. */
  packetHops: number;
  seconds: number;
  hopsPerSecond: number;
  /** Scheduler events executed per second. */
  eventsPerSecond: number;
  /** Heap growth per idle pc (one interface, one address), or null without heapUsed. */
  bytesPerIdleNode: number | null;
  /** The same for a dual-stack pc (one IPv4 and one IPv6 address), measured once its DAD is over. */
  bytesPerIdleDualStackNode: number | null;
  /** Nodes in the chain. */
  nodes: number;
  /** Traffic records written and how many were skipped by the drain's sampling. */
  trafficRecords: number;
  trafficSkipped: number;
}

const mac = macFromIndex;

function pcDoc(id: string, name: string, k: number, cidr: string, gateway?: string): NodeDoc {
  return {
    id,
    kind: 'pc',
    name,
    canvas: 'c0',
    position: { x: 0, y: 0 },
    interfaces: [{ name: 'eth0', type: 'phys', mac: mac(k), ipv4: [cidr], ipv6: [] }],
    routes4: gateway ? [{ dest: '0.0.0.0/0', gateway }] : [],
    routes6: [],
  };
}

/** pc1 — r1 — … — rN — pc2 with 10.0.k.0/24 on link k, static routes both ways. */
export function chainDoc(routers: number, params: Partial<LinkParams> = {}): TopologyDoc {
  const nodes: NodeDoc[] = [pcDoc('n0', 'pc1', 1, '10.0.0.20/24', '10.0.0.1')];
  for (let r = 1; r <= routers; r++) {
    const routes4 = [];
    for (let k = 0; k < r - 1; k++) routes4.push({ dest: `10.0.${k}.0/24`, gateway: `10.0.${r - 1}.2` });
    for (let k = r + 1; k <= routers; k++) routes4.push({ dest: `10.0.${k}.0/24`, gateway: `10.0.${r}.1` });
    nodes.push({
      id: `n${r}`,
      kind: 'router',
      name: `r${r}`,
      canvas: 'c0',
      position: { x: 0, y: 0 },
      interfaces: [
        { name: 'eth0', type: 'phys', mac: mac(16 + 2 * r), ipv4: [`10.0.${r - 1}.1/24`], ipv6: [] },
        { name: 'eth1', type: 'phys', mac: mac(17 + 2 * r), ipv4: [`10.0.${r}.2/24`], ipv6: [] },
      ],
      routes4,
      routes6: [],
    });
  }
  nodes.push(pcDoc(`n${routers + 1}`, 'pc2', 2, `10.0.${routers}.20/24`, `10.0.${routers}.2`));
  const links = [];
  for (let k = 0; k <= routers; k++) {
    links.push({ id: `l${k}`, a: { node: `n${k}`, iface: k === 0 ? 'eth0' : 'eth1' }, b: { node: `n${k + 1}`, iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS, ...params } });
  }
  return { version: DOC_VERSION, nodes, links, annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };
}

/** The same chain, dual-stack: fc00:k::/64 on link k (pcs ::20, routers ::1 / ::2), static IPv6 routes. */
export function chainDoc6(routers: number, params: Partial<LinkParams> = {}): TopologyDoc {
  const doc = chainDoc(routers, params);
  for (const n of doc.nodes) {
    for (const i of n.interfaces) i.ipv6 = [i.ipv4[0].replace(/^10\.0\.(\d+)\.(\d+)\/24$/, (_m, k: string, h: string) => `fc00:${k}::${h}/64`)];
    n.routes6 = n.routes4.map((r) => ({
      dest: r.dest === '0.0.0.0/0' ? '::/0' : r.dest.replace(/^10\.0\.(\d+)\.0\/24$/, 'fc00:$1::/64'),
      gateway: r.gateway.replace(/^10\.0\.(\d+)\.(\d+)$/, 'fc00:$1::$2'),
    }));
  }
  return doc;
}

const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

export function runBench(o: BenchOptions): BenchResult {
  const routers = o.routers ?? 4;
  const packets = o.packets ?? 1_000_000;
  const batch = o.batch ?? 256;
  const drain = o.drainPerTick ?? 2000;
  const tickMs = o.tickMs ?? 16;
  if (!Number.isInteger(routers) || routers < 1 || routers > BENCH_MAX_ROUTERS) throw new RangeError(`routers must be 1–${BENCH_MAX_ROUTERS}, got ${routers}`);
  if (!Number.isInteger(packets) || packets < 1 || packets > BENCH_MAX_PACKETS) throw new RangeError(`packets must be 1–${BENCH_MAX_PACKETS}, got ${packets}`);
  // The bench injects every packet at virtual time 0 on zero-delay links: that is progress, not a stall.
  const world = new World(o.ipv6 ? chainDoc6(routers) : chainDoc(routers, o.linkParams), { seed: o.seed ?? 1, traceHash: false, zeroProgressEvents: Number.POSITIVE_INFINITY });
  if (o.firewallRules !== undefined) installRules(world, routers, o.firewallRules, o.firewallTable ?? false);
  if (o.explain === true) world.setExplaining(true);
  const pc1 = world.nodeByName('pc1')!.stack!;
  const pc2 = world.nodeByName('pc2')!.stack!;
  const dst = ip(10, 0, routers, 20);
  const dst6 = parseIpv6(`fc00:${routers}::20`)!;
  // Resolve ARP (or neighbor discovery) along the path first (one ping there and back).
  const off = icmpOpen(pc1, () => {});
  if (o.ipv6) ip6Send(pc1, { dst: dst6, next: 58, checksumAt: 2, payload: buildIcmpv6({ type: 128, code: 0, ident: 1, seq: 1, data: new Uint8Array(8) }, dst6, dst6), hopLimit: 255 });
  else ipSend(pc1, { dst, proto: 1, ttl: 255, payload: buildIcmp(icmpEchoRequest(1, 1, new Uint8Array(8))) });
  world.sim.runUntilIdle();
  off();
  world.drainTraffic(drain);
  let received = 0;
  const onDatagram = () => {
    received++;
  };
  const sock = o.ipv6 ? { close: () => {} } : udpBind(pc2, 9, onDatagram);
  if ('errno' in sock) throw new Error(`bench: cannot bind UDP port 9 (${sock.errno})`);
  if (o.ipv6 && udp6Bind(pc2, 9, onDatagram) < 0) throw new Error('bench: cannot bind UDP6 port 9');
  // 64-byte frames over IPv4 (14 + 20 + 8 + 22); IPv6 frames are 20 bytes longer (minimum 86).
  const payload = new Uint8Array(22);
  // TTL / hop limit 255: a 64-router chain would expire the default 64 before pc2.
  const send = { dst, dstPort: 9, srcPort: 5000, payload, ttl: 255 };
  const send6 = { dst: dst6, dstPort: 9, srcPort: 5000, payload, hopLimit: 255 };
  const flood = (count: number): number => {
    let skipped = 0;
    let batches = 0;
    let lastTick = o.clock();
    for (let sent = 0; sent < count; ) {
      const n = Math.min(batch, count - sent);
      if (o.ipv6) for (let i = 0; i < n; i++) udp6Send(pc1, send6);
      else for (let i = 0; i < n; i++) udpSend(pc1, send);
      sent += n;
      world.sim.runUntilIdle();
      // Read the clock every 4th batch only: a CPU-time clock is a system call.
      if ((++batches & 3) !== 0) continue;
      const now = o.clock();
      if (now - lastTick >= tickMs) {
        // What a host tick does: build the most recent events, count the rest as skipped.
        skipped += world.drainTraffic(drain).skipped;
        lastTick = now;
      }
    }
    return skipped + world.drainTraffic(drain).skipped;
  };
  flood(o.warmup ?? Math.min(Math.floor(packets / 10), 20_000));
  received = 0;
  const events0 = world.sim.executed();
  const records0 = world.traffic.total;
  const t0 = o.clock();
  const skipped = flood(packets);
  const seconds = (o.clock() - t0) / 1000;
  sock.close();
  const links = routers + 1;
  const packetHops = received * links;
  return {
    routers,
    packets,
    received,
    packetHops,
    seconds,
    hopsPerSecond: packetHops / seconds,
    eventsPerSecond: (world.sim.executed() - events0) / seconds,
    bytesPerIdleNode: o.heapUsed ? idleNodeBytes(o.heapUsed, o.idleNodes ?? 2000) : null,
    bytesPerIdleDualStackNode: o.heapUsed ? idleNodeBytes(o.heapUsed, o.idleNodes ?? 2000, true) : null,
    nodes: routers + 2,
    trafficRecords: world.traffic.total - records0,
    trafficSkipped: skipped,
  };
}

function installRules(world: World, routers: number, n: number, table: boolean): void {
  for (let r = 1; r <= routers; r++) {
    const fw = firewallOf(world.nodeByName(`r${r}`)!.stack!);
    for (let k = 0; k < n; k++) {
      const net = [192, 168 + (k >> 8), k & 0xff, 0];
      if (table) tableAdd(fw, 1, ((net[0] << 24) | (net[1] << 16) | (net[2] << 8)) >>> 0, 24, 0);
      else ruleAdd(fw, parseRule([String(k + 1), 'deny', 'udp', 'from', `${net.join('.')}/24`, 'to', 'any']));
    }
    if (table) ruleAdd(fw, parseRule(['deny', 'udp', 'from', 'table(1)', 'to', 'any']));
    ruleAdd(fw, parseRule(['65000', 'allow', 'ip', 'from', 'any', 'to', 'any']));
  }
}

/**
 * Full garbage collections until the heap is settled. One is not enough: in about one run in
 * three the idle measurement read a quarter of the true figure, as garbage of the previous
 * measurement was only reclaimed by the collection after it.
 */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let k = 0; k < 3; k++) gc?.();
}

/**
 * Heap growth per idle pc: build `count` unlinked pcs with one address each (`dualStack`: an
 * IPv6 address too, measured after the 3 s in which duplicate address detection ends).
 */
export function idleNodeBytes(heapUsed: () => number, count: number, dualStack = false): number {
  const nodes: NodeDoc[] = [];
  for (let k = 0; k < count; k++) nodes.push(pcDoc(`n${k}`, `pc${k}`, k + 1, `10.${(k >> 8) & 0xff}.${k & 0xff}.20/16`));
  if (dualStack) nodes.forEach((n, k) => (n.interfaces[0].ipv6 = [`fc00:${k.toString(16)}::20/64`]));
  const doc: TopologyDoc = { version: DOC_VERSION, nodes, links: [], annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };
  // A small world first, so one-time costs (code, shared tables) are not counted per node.
  const warm = new World({ ...doc, nodes: nodes.slice(0, 2) }, { seed: 1 });
  if (dualStack) warm.sim.runUntil(3_000_000_000);
  collect();
  const before = heapUsed();
  const world = new World(doc, { seed: 1, traceCapacity: 16 });
  if (dualStack) world.sim.runUntil(3_000_000_000);
  collect();
  const after = heapUsed();
  // Keep the world alive until measured.
  if (world.nodes.length !== count) throw new Error('bench: idle world incomplete');
  return Math.max(0, Math.round((after - before) / count));
}
