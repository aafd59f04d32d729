// Micro-benchmark of the stack's forwarding path (not a test): 64-byte UDP frames through
// a chain of 4 routers, traffic events and counters on. Prints packet-hops per second for
// (a) stacks wired synchronously (the stack alone) and (b) links scheduled on the Scheduler.
// Times are process CPU time (fairer on a shared machine). Run:
//   npx tsx test/stack/forward-bench.ts [packets]      (NET=192.168 for addresses ≥ 2^31)

import { RngStreams } from '../../src/emulator/sim/rng';
import { Scheduler } from '../../src/emulator/sim/scheduler';
import type { StackEnv } from '../../src/emulator/stack/env';
import { FrameAlloc } from '../../src/emulator/stack/frame-alloc';
import { createStack, etherInput, ifaceAddAddress, routeAdd, udpBind, udpSend, type NetStack } from '../../src/emulator/stack/index';
import { parseIpv4 } from '../../src/emulator/wire/addr';

const ROUTERS = 4;
/** First two octets of the chain's subnets: `NET=192.168` exercises addresses ≥ 2^31. */
const NET = process.env.NET ?? '10.0';
const ip = (s: string) => parseIpv4(s) as number;
const cpuMs = (): number => process.cpuUsage().user / 1000;

interface Chain {
  sim: Scheduler;
  nodes: NetStack[];
  events: { n: number; last: Uint8Array | null };
  delivered: { n: number };
}

function build(scheduled: boolean): Chain {
  const sim = new Scheduler();
  const rngs = new RngStreams(7);
  const events = { n: 0, last: null as Uint8Array | null };
  const delivered = { n: 0 };
  const nodes: NetStack[] = [];
  // peers[node*2+ifIndex] = peer node*2+ifIndex (pcs have one interface; routers eth0 left, eth1 right)
  const peers: number[] = [];
  for (let n = 0; n < ROUTERS + 2; n++) {
    const right = n === 0 ? 0 : 1;
    peers[n * 2 + right] = n < ROUTERS + 1 ? (n + 1) * 2 : -1;
    if (n > 0) peers[n * 2] = (n - 1) * 2 + (n - 1 === 0 ? 0 : 1);
  }
  const deliver = (a: { node: number; ifIndex: number; frame: Uint8Array }) => etherInput(nodes[a.node], a.ifIndex, a.frame);
  const frames = new FrameAlloc();
  for (let i = 0; i < ROUTERS + 2; i++) {
    const idx = i;
    const env: StackEnv = {
      sim,
      rng: (n) => rngs.get(n),
      transmit: (ifIndex, frame) => {
        const p = peers[idx * 2 + ifIndex];
        if (p === undefined || p < 0) return;
        if (idx === ROUTERS && ifIndex === 1 && frame[23] === 17) delivered.n++;
        if (scheduled) sim.schedule(1000, deliver, { node: p >> 1, ifIndex: p & 1, frame });
        else etherInput(nodes[p >> 1], p & 1, frame);
      },
      trace: {
        forwarded: (_n, _i, _o, frame) => {
          events.n++;
          events.last = frame;
        },
        dropped: (n, i, _f, reason) => {
          throw new Error(`unexpected drop at node ${n} if ${i}: ${reason}`);
        },
        answered: () => {},
      },
      frames,
    };
    const end = i === 0 || i === ROUTERS + 1;
    nodes.push(createStack(env, { name: `n${i}`, nodeIndex: i, forwarding: !end, interfaces: end ? [{ name: 'eth0', mac: 0x420000000000 + i * 16 }] : [{ name: 'eth0', mac: 0x420000000000 + i * 16 }, { name: 'eth1', mac: 0x420000000000 + i * 16 + 1 }] }));
  }
  // subnet k = 10.0.k.0/24 between node k and k+1
  for (let k = 0; k <= ROUTERS; k++) {
    ifaceAddAddress(nodes[k], k === 0 ? 'eth0' : 'eth1', ip(`${NET}.${k}.1`), 24);
    ifaceAddAddress(nodes[k + 1], 'eth0', ip(`${NET}.${k}.2`), 24);
  }
  for (let k = 0; k <= ROUTERS + 1; k++) {
    if (k <= ROUTERS) routeAdd(nodes[k], { dest: 0, prefixLen: 0, gateway: ip(`${NET}.${k}.2`) });
    for (let j = 0; j < k - 1; j++) routeAdd(nodes[k], { dest: ip(`${NET}.${j}.0`), prefixLen: 24, gateway: ip(`${NET}.${k - 1}.1`) });
  }
  udpBind(nodes[ROUTERS + 1], 9, () => {});
  return { sim, nodes, events, delivered };
}

function run(scheduled: boolean, packets: number): number {
  const c = build(scheduled);
  const dst = ip(`${NET}.${ROUTERS}.2`);
  const payload = new Uint8Array(64 - 14 - 20 - 8);
  udpSend(c.nodes[0], { dst, dstPort: 9, srcPort: 9, payload }); // resolves ARP along the chain
  c.sim.runUntil(10_000_000_000);
  // Capture one frame that pc1 puts on the wire, then inject it repeatedly into r1.
  let frame: Uint8Array | null = null;
  const env0 = c.nodes[0].env as { transmit: (i: number, f: Uint8Array) => void };
  const orig = env0.transmit;
  env0.transmit = (_i, f) => (frame = f);
  udpSend(c.nodes[0], { dst, dstPort: 9, srcPort: 9, payload });
  env0.transmit = orig;
  const f = frame as unknown as Uint8Array;
  if (f.length !== 64) throw new Error(`frame is ${f.length} bytes`);
  const r1 = c.nodes[1];
  const before = c.delivered.n;
  const t0 = cpuMs();
  for (let i = 0; i < packets; i++) {
    etherInput(r1, 0, f);
    if (scheduled && (i & 1023) === 1023) c.sim.runUntilIdle();
  }
  if (scheduled) c.sim.runUntilIdle();
  const dt = (cpuMs() - t0) / 1000;
  const got = c.delivered.n - before;
  if (got !== packets) throw new Error(`delivered ${got} of ${packets}`);
  return (packets * ROUTERS) / dt;
}

/** The floor: a bare JS forwarder (alloc + copy + TTL/checksum update + sink call per hop). */
function bare(packets: number): number {
  const src = new Uint8Array(64);
  src[22] = 64;
  let sink = 0;
  const hop = (f: Uint8Array, n: number): void => {
    if (n === 0) {
      sink += f[22];
      return;
    }
    const out = new Uint8Array(64);
    for (let i = 0; i < 64; i++) out[i] = f[i];
    out[22]--;
    const c = ((out[24] << 8) | out[25]) + 0x100;
    out[24] = (c >>> 8) & 0xff;
    out[25] = c & 0xff;
    hop(out, n - 1);
  };
  const t0 = cpuMs();
  for (let i = 0; i < packets; i++) hop(src, ROUTERS);
  const dt = (cpuMs() - t0) / 1000;
  if (sink === 0) throw new Error('sink');
  return (packets * ROUTERS) / dt;
}

const N = Number(process.argv[2] ?? 1_000_000);
bare(200_000);
console.log(`bare JS forwarder ${(Math.max(bare(N), bare(N)) / 1e6).toFixed(2)} M packet-hops/s (machine reference)`);
for (const scheduled of process.env.MODE === "sync" ? [false] : [false, true]) {
  run(scheduled, 200_000); // warm-up
  const rates = [run(scheduled, N), run(scheduled, N), run(scheduled, N)];
  const best = Math.max(...rates);
  console.log(`${scheduled ? 'scheduled links ' : 'synchronous     '} ${(best / 1e6).toFixed(2)} M packet-hops/s (runs: ${rates.map((r) => (r / 1e6).toFixed(2)).join(', ')})`);
}

// Idle stack heap cost: build many idle pcs and divide.
function idleHeap(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  g?.();
  const sim = new Scheduler();
  const rngs = new RngStreams(1);
  const env: StackEnv = { sim, rng: (n) => rngs.get(n), transmit: () => {}, trace: { forwarded: () => {}, dropped: () => {}, answered: () => {} }, frames: new FrameAlloc() };
  const before = process.memoryUsage().heapUsed;
  const keep: NetStack[] = [];
  for (let i = 0; i < 2000; i++) {
    const s = createStack(env, { name: `pc${i}`, nodeIndex: i, forwarding: false, interfaces: [{ name: 'eth0', mac: 0x420000000000 + i }] });
    ifaceAddAddress(s, 'eth0', ip('10.0.0.20'), 24);
    routeAdd(s, { dest: 0, prefixLen: 0, gateway: ip('10.0.0.1') });
    keep.push(s);
  }
  g?.();
  const after = process.memoryUsage().heapUsed;
  return (after - before) / keep.length;
}
console.log(`idle pc heap ≈ ${(idleHeap() / 1024).toFixed(1)} KB (run with node --expose-gc for accuracy)`);
