// Test harness for stack scenarios: a scheduler, stacks wired by tiny point-to-point
// links (delivery scheduled on the Scheduler after a fixed delay), and a recorded trace.
// Topologies come from the one test builder (test/scenarios/topologies.ts) through
// `TestNet.fromDoc`. Must not reach into stack internals beyond the public API except to assert.

import { RngStreams } from '../../src/emulator/sim/rng';
import { Scheduler } from '../../src/emulator/sim/scheduler';
import type { AnswerNote, DropReason, StackEnv } from '../../src/emulator/stack/env';
import { FrameAlloc } from '../../src/emulator/stack/frame-alloc';
import { createStack, etherInput, ifaceAddAddress, routeAdd, type NetStack } from '../../src/emulator/stack/index';
import { parseCidr, parseIpv4, parseMac } from '../../src/emulator/wire/addr';
import type { NodeDoc, TopologyDoc } from '../../src/emulator/topology/document';
import { hostRouterHost as docHostRouterHost, routerChain } from '../scenarios/topologies';

export interface Drop {
  node: string;
  ifIndex: number;
  reason: DropReason;
  frame: Uint8Array;
}
export interface Tx {
  node: string;
  ifIndex: number;
  frame: Uint8Array;
  timeNs: number;
}

export class TestNet {
  readonly sim = new Scheduler();
  readonly rngs = new RngStreams(1);
  readonly frames = new FrameAlloc();
  readonly stacks = new Map<string, NetStack>();
  readonly drops: Drop[] = [];
  readonly answered: { node: string; ifIndex: number; note: AnswerNote; frame: Uint8Array }[] = [];
  readonly tx: Tx[] = [];
  readonly forwarded: { node: string; inIf: number; outIf: number }[] = [];
  /** peer[node][ifIndex] = [peerStack, peerIfIndex, delayNs] */
  private readonly peers = new Map<string, Map<number, { stack: NetStack; ifIndex: number; delayNs: number; up: boolean }>>();
  private macSeq = 1;
  /** Path impairment for tests: the frames actually delivered for one sent (none = lost, two = duplicated). */
  impair: ((node: string, ifIndex: number, frame: Uint8Array) => Uint8Array[]) | null = null;

  /** Stacks, addresses, routes and links of a topology document (pc/host/router nodes only). */
  static fromDoc(doc: TopologyDoc): TestNet {
    const n = new TestNet();
    const byId = new Map(doc.nodes.map((d) => [d.id, d] as const));
    const phys = (d: NodeDoc) => d.interfaces.filter((i) => i.type !== 'lo');
    for (const d of doc.nodes) {
      if (d.kind !== 'pc' && d.kind !== 'host' && d.kind !== 'router') throw new Error(`TestNet: ${d.name} (${d.kind}) is not a stack`);
      const ifs = phys(d);
      n.add(d.name, d.kind === 'router', ifs.length, ifs.map((i) => i.mtu ?? 1500), ifs.map((i) => (i.mac ? parseMac(i.mac) : null)));
    }
    for (const l of doc.links) {
      const a = byId.get(l.a.node)!;
      const b = byId.get(l.b.node)!;
      n.link(a.name, phys(a).findIndex((i) => i.name === l.a.iface), b.name, phys(b).findIndex((i) => i.name === l.b.iface));
    }
    for (const d of doc.nodes) {
      for (const i of phys(d)) for (const cidr of i.ipv4) n.addr(d.name, i.name, cidr);
      for (const r of d.routes4) n.route(d.name, r.dest, r.gateway);
    }
    return n;
  }

  add(name: string, forwarding: boolean, ifaceCount: number, mtus: number[] = [], macs: (number | null)[] = []): NetStack {
    const names: string[] = [];
    const env: StackEnv = {
      sim: this.sim,
      rng: (n) => this.rngs.get(n),
      transmit: (ifIndex, frame) => this.transmit(name, ifIndex, frame),
      trace: {
        forwarded: (_n, inIf, outIf) => this.forwarded.push({ node: name, inIf, outIf }),
        dropped: (_n, ifIndex, frame, reason) => this.drops.push({ node: name, ifIndex, reason, frame }),
        answered: (_n, ifIndex, frame, note) => this.answered.push({ node: name, ifIndex, note, frame }),
      },
      frames: this.frames,
    };
    for (let i = 0; i < ifaceCount; i++) names.push(`eth${i}`);
    const s = createStack(env, {
      name,
      nodeIndex: this.stacks.size,
      forwarding,
      interfaces: names.map((n, i) => ({ name: n, mac: macs[i] ?? 0x4200aa000000 + this.macSeq++, mtu: mtus[i] })),
    });
    this.stacks.set(name, s);
    this.peers.set(name, new Map());
    return s;
  }

  get(name: string): NetStack {
    const s = this.stacks.get(name);
    if (!s) throw new Error(`no stack ${name}`);
    return s;
  }

  link(a: string, aIf: number, b: string, bIf: number, delayNs = 1_000_000): void {
    (this.peers.get(a) as Map<number, any>).set(aIf, { stack: this.get(b), ifIndex: bIf, delayNs, up: true });
    (this.peers.get(b) as Map<number, any>).set(bIf, { stack: this.get(a), ifIndex: aIf, delayNs, up: true });
  }

  setLinkUp(a: string, aIf: number, up: boolean): void {
    const p = this.peers.get(a)?.get(aIf);
    if (p) p.up = up;
  }

  private transmit(node: string, ifIndex: number, frame: Uint8Array): void {
    this.tx.push({ node, ifIndex, frame, timeNs: this.sim.now() });
    const p = this.peers.get(node)?.get(ifIndex);
    if (!p || !p.up) return;
    for (const f of this.impair ? this.impair(node, ifIndex, frame) : [frame]) this.sim.schedule(p.delayNs, () => etherInput(p.stack, p.ifIndex, f));
  }

  addr(node: string, iface: string, cidr: string): void {
    const c = parseCidr(cidr);
    if (!c) throw new Error(cidr);
    const r = ifaceAddAddress(this.get(node), iface, c.addr, c.prefixLen);
    if (!r.ok) throw new Error(`${node} ${iface} ${cidr}: ${r.message}`);
  }

  route(node: string, cidr: string, gw: string): void {
    const c = parseCidr(cidr === 'default' ? '0.0.0.0/0' : cidr);
    if (!c) throw new Error(cidr);
    const r = routeAdd(this.get(node), { dest: c.addr, prefixLen: c.prefixLen, gateway: ip(gw) });
    if (!r.ok) throw new Error(`${node} route ${cidr} ${gw}: ${r.message}`);
  }

  run(ns: number): void {
    this.sim.runUntil(this.sim.now() + ns);
  }

  dropsOf(reason: DropReason, node?: string): Drop[] {
    return this.drops.filter((d) => d.reason === reason && (node === undefined || d.node === node));
  }
}

export function ip(s: string): number {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad ip ${s}`);
  return a;
}

/** pc1 10.0.0.20 — r1 (10.0.0.1 | 10.0.1.1) — pc2 10.0.1.20, defaults toward r1: the builder's hostRouterHost. */
export function hostRouterHost(mtuR1Eth1?: number): TestNet {
  const doc = docHostRouterHost({}, 'r1');
  if (mtuR1Eth1 !== undefined) doc.nodes[1].interfaces[1].mtu = mtuR1Eth1;
  return TestNet.fromDoc(doc);
}

/** pc1 — r1 — r2 — pc2 with /24s 10.0.0, 10.0.1, 10.0.2: the builder's routerChain(2). */
export function twoRouters(): TestNet {
  return TestNet.fromDoc(routerChain(2, {}, 'r'));
}
