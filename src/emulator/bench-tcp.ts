// The TCP benchmark (`virtnet bench --tcp`): one bulk connection through the router chain
// of bench.ts on 1 Gbit/s links, reported as data segments simulated per wall-clock
// second, plus the memory of an idle pc with a listening socket. Like bench.ts it reads no
// clock or heap itself: the caller injects both.

import { chainDoc, collect, idleNodeBytes } from './bench';
import { World } from './engine/world';
import { stackTcpPort } from './node/apps/tcp-port';
import { startHttpd } from './node/services/httpd';
import { tcpAccept, tcpClose, tcpConnect, tcpListen, tcpRecvInto, tcpSend, tcpShutdown, type TcpConn } from './stack/tcp';

export interface TcpBenchOptions {
  routers?: number;
  /** Bytes to transfer (default 50 MB). */
  bytes?: number;
  clock: () => number;
  heapUsed?: () => number;
  idleNodes?: number;
}

export interface TcpBenchResult {
  routers: number;
  bytes: number;
  seconds: number;
  virtualSeconds: number;
  dataSegments: number;
  segmentsPerSecond: number;
  goodputMbps: number;
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

export function runTcpBench(o: TcpBenchOptions): TcpBenchResult {
  const routers = o.routers ?? 4;
  const bytes = o.bytes ?? 50 * 1024 * 1024;
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
    while (sent < bytes) {
      const n = tcpSend(client, chunk.subarray(0, Math.min(chunk.length, bytes - sent)));
      if (typeof n !== 'number' || n === 0) return;
      sent += n;
    }
    tcpClose(client);
  };
  const client = tcpConnect(pc1, ((10 << 24) | (routers << 8) | 20) >>> 0, 5201, { connected: pump, writable: pump }) as TcpConn;
  if ('errno' in client) throw new Error(`bench --tcp: connect failed`);
  const t0 = o.clock();
  const v0 = world.sim.now();
  let lastTick = t0;
  while (!finished && world.sim.peekTime() !== null) {
    world.sim.runUntil(world.sim.now() + STEP_NS);
    const now = o.clock();
    if (now - lastTick < TICK_MS) continue;
    // What a host tick does (as bench.ts): build the most recent events, skip the rest.
    world.drainTraffic(DRAIN_PER_TICK);
    lastTick = now;
  }
  world.drainTraffic(DRAIN_PER_TICK);
  const seconds = (o.clock() - t0) / 1000;
  const virtualSeconds = (world.sim.now() - v0) / 1e9;
  const st = pc1.tcp!.stats;
  const dataSegments = Math.ceil(st.sndBytes / client.maxSeg);
  if (received !== bytes) throw new Error(`bench --tcp: received ${received} of ${bytes} bytes`);
  return {
    routers,
    bytes,
    seconds,
    virtualSeconds,
    dataSegments,
    segmentsPerSecond: dataSegments / seconds,
    goodputMbps: (bytes * 8) / virtualSeconds / 1e6,
    retransmitted: st.sndRexmitPack,
    bytesPerListeningNode: o.heapUsed ? listeningNodeBytes(o.heapUsed, o.idleNodes ?? 2000) : null,
  };
}

/** An idle pc (idleNodeBytes) plus what the web server listening on port 80 (as on every host) adds to a stack. */
function listeningNodeBytes(heapUsed: () => number, count: number): number {
  const plain = idleNodeBytes(heapUsed, count);
  const world = new World(chainDoc(count), { seed: 1, traceCapacity: 16 });
  const stacks = world.nodes.map((n) => n.stack!);
  collect();
  const before = heapUsed();
  world.nodes.forEach((n, k) => {
    const h = startHttpd(stackTcpPort(stacks[k]), { hostName: n.name, files: () => n.files, sim: world.sim });
    if ('errno' in h) throw new Error(`bench --tcp: httpd: ${h.errno}`);
  });
  collect();
  const after = heapUsed();
  return plain + Math.max(0, Math.round((after - before) / stacks.length));
}
