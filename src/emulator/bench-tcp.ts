// The TCP benchmark (`virtnet bench --tcp`): one bulk connection through the router chain
// of bench.ts on 1 Gbit/s links, reported as data segments simulated per wall-clock
// second over two windows of the same connection: cold (its first bytes, while the JIT
// compiles) and warm (after a stretch not measured, as iperf3 -O), plus the memory of an
// idle pc with a listening socket. Like bench.ts it reads no clock or heap itself: the
// caller injects both.

import { chainDoc, collect, idleNodeBytes } from './bench';
import { World } from './engine/world';
import { startNodeHttpd } from './node/services/httpd-node';
import { tcpAccept, tcpClose, tcpConnect, tcpListen, tcpRecvInto, tcpSend, tcpShutdown, type TcpConn } from './stack/tcp';

export interface TcpBenchOptions {
  routers?: number;
  /** Bytes of each measured window (default 50 MB). */
  bytes?: number;
  /**
   * Bytes sent between the cold window (the connection's first `bytes`) and the warm one
   * (the `bytes` after them), not measured, as iperf3 -O omits a test's start; 0: no warm
   * window (the connection ends after the cold one). Default 2 × bytes.
   */
  omitBytes?: number;
  clock: () => number;
  heapUsed?: () => number;
  idleNodes?: number;
}

/** One measured stretch of the transfer. */
export interface TcpBenchWindow {
  bytes: number;
  seconds: number;
  virtualSeconds: number;
  /** Full-size data segments' worth of bytes delivered in the window (rounded up). */
  dataSegments: number;
  segmentsPerSecond: number;
  goodputMbps: number;
  /**
   * Scheduler events run per data segment (frame arrivals at each hop, the ACKs' included,
   * and timers): what a segment costs the engine whatever the machine, unlike the rate.
   */
  eventsPerSegment: number;
}

/** The cold window's figures at the top level (the connection's first `bytes`, JIT compiling); `warm` after `omittedBytes` more. */
export interface TcpBenchResult extends TcpBenchWindow {
  routers: number;
  warm: (TcpBenchWindow & { omittedBytes: number }) | null;
  /** Segments retransmitted over the whole connection. */
  retransmitted: number;
  /** Heap growth per idle pc with httpd listening on TCP port 80, or null without heapUsed. */
  bytesPerListeningNode: number | null;
}

const LINK = { bandwidthBps: 1_000_000_000, delayUs: 50, queuePackets: 1000 };
/** Virtual time run between clock readings (about 80 full segments at 1 Gbit/s). */
const STEP_NS = 1_000_000;
/** A host tick (ms of the injected clock) and the traffic events it builds, as the Engine and bench.ts do. */
const TICK_MS = 16;
const DRAIN_PER_TICK = 2000;

/** Where the run stood when the receiver had read at least a window's boundary (clock ms, virtual ns, bytes). */
interface Mark {
  clockMs: number;
  virtualNs: number;
  received: number;
  events: number;
}

export function runTcpBench(o: TcpBenchOptions): TcpBenchResult {
  const routers = o.routers ?? 4;
  const bytes = o.bytes ?? 50 * 1024 * 1024;
  const omit = o.omitBytes ?? 2 * bytes;
  const total = omit > 0 ? 2 * bytes + omit : bytes;
  const world = new World(chainDoc(routers, LINK), { seed: 1, traceHash: false });
  const pc1 = world.nodeByName('pc1')!.stack!;
  const pc2 = world.nodeByName('pc2')!.stack!;
  let received = 0;
  let finished = false;
  // The sink reads into one buffer, as iperf3 does.
  const sink = new Uint8Array(128 * 1024);
  const l = tcpListen(pc2, 5201, 4, () => {
    const c: TcpConn | null = tcpAccept(l as never, {
      readable: () => {
        for (let n = tcpRecvInto(c!, sink); n !== null; n = tcpRecvInto(c!, sink)) {
          if (n === 0) return;
          received += n;
        }
        finished = true;
        tcpShutdown(c!);
      },
    });
  });
  if ('errno' in l) throw new Error(`bench --tcp: listen: ${l.errno}`);
  const chunk = new Uint8Array(64 * 1024);
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const n = tcpSend(client, chunk.subarray(0, Math.min(chunk.length, total - sent)));
      if (typeof n !== 'number' || n === 0) return;
      sent += n;
    }
    tcpClose(client);
  };
  const client = tcpConnect(pc1, ((10 << 24) | (routers << 8) | 20) >>> 0, 5201, { connected: pump, writable: pump }) as TcpConn;
  if ('errno' in client) throw new Error(`bench --tcp: connect failed`);
  // Window boundaries in bytes read: cold [0, bytes), then (after `omit`) warm [bytes + omit, total).
  const bounds = omit > 0 ? [bytes, bytes + omit, total] : [bytes];
  const marks: Mark[] = [];
  const start: Mark = { clockMs: o.clock(), virtualNs: world.sim.now(), received: 0, events: world.sim.executed() };
  let lastTick = start.clockMs;
  while (!finished && world.sim.peekTime() !== null) {
    world.sim.runUntil(world.sim.now() + STEP_NS);
    const now = o.clock();
    while (marks.length < bounds.length && received >= bounds[marks.length]) marks.push({ clockMs: now, virtualNs: world.sim.now(), received, events: world.sim.executed() });
    if (now - lastTick < TICK_MS) continue;
    // What a host tick does (as bench.ts): build the most recent events, skip the rest.
    world.drainTraffic(DRAIN_PER_TICK);
    lastTick = now;
  }
  world.drainTraffic(DRAIN_PER_TICK);
  if (received !== total) throw new Error(`bench --tcp: received ${received} of ${total} bytes`);
  // The last window closes when the connection does (drained traffic included, as before there was a warm window).
  marks[bounds.length - 1] = { clockMs: o.clock(), virtualNs: world.sim.now(), received, events: world.sim.executed() };
  const mss = client.maxSeg;
  const cold = measured(start, marks[0], mss);
  return {
    routers,
    ...cold,
    warm: omit > 0 ? { ...measured(marks[1], marks[2], mss), omittedBytes: marks[1].received - marks[0].received } : null,
    retransmitted: pc1.tcp!.stats.sndRexmitPack,
    bytesPerListeningNode: o.heapUsed ? listeningNodeBytes(o.heapUsed, o.idleNodes ?? 2000) : null,
  };
}

function measured(from: Mark, to: Mark, mss: number): TcpBenchWindow {
  const bytes = to.received - from.received;
  const seconds = (to.clockMs - from.clockMs) / 1000;
  const virtualSeconds = (to.virtualNs - from.virtualNs) / 1e9;
  const dataSegments = Math.ceil(bytes / mss);
  const eventsPerSegment = (to.events - from.events) / dataSegments;
  return { bytes, seconds, virtualSeconds, dataSegments, segmentsPerSecond: dataSegments / seconds, goodputMbps: (bytes * 8) / virtualSeconds / 1e6, eventsPerSegment };
}

/** An idle pc (idleNodeBytes) plus what the web server listening on port 80 (as on every host, a program with a PID) adds to it. */
function listeningNodeBytes(heapUsed: () => number, count: number): number {
  const plain = idleNodeBytes(heapUsed, count);
  const world = new World(chainDoc(count), { seed: 1, traceCapacity: 16 });
  const stacks = world.nodes.map((n) => n.stack!);
  collect();
  const before = heapUsed();
  // As a host starts it: the server, its listening socket and its entry in the process table.
  world.nodes.forEach((n, k) => {
    const h = startNodeHttpd(n, stacks[k], world.sim);
    if ('errno' in h) throw new Error(`bench --tcp: httpd: ${h.errno}`);
  });
  collect();
  const after = heapUsed();
  return plain + Math.max(0, Math.round((after - before) / stacks.length));
}
