// `virtnet bench`: runs the engine benchmark (src/emulator/bench.ts) with the host's
// clock and heap injected, and prints packet-hops/s, events/s and memory per idle node
// (IPv4-only and dual-stack). Arguments are bounded (exit 2 with a clear line); a run where
// fewer packets arrive than were sent is a failure (exit 1), never a figure.

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BENCH_MAX_PACKETS, BENCH_MAX_ROUTERS, runBench, type BenchResult } from '../emulator/bench';
import { runTcpBench } from '../emulator/bench-tcp';
import { CLI_EXIT, CliError, type CliIo } from './io';

/** ipfw rules per router in `--fw-rules` (each holds a parsed rule; 100,000 is far past any lab). */
const BENCH_MAX_FW_RULES = 100_000;
/** Megabytes in `--tcp` (each is held once in the sender's and receiver's buffers). */
const BENCH_MAX_MBYTES = 4096;

function positiveInt(flag: string, text: string | undefined, max: number, why: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} '${text}': expected a positive integer`);
  if (n > max) throw new CliError(`${flag} ${text}: at most ${max.toLocaleString('en-US')} (${why})`);
  return n;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function benchCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { routers: { type: 'string' }, packets: { type: 'string' }, json: { type: 'boolean' }, ipv6: { type: 'boolean' }, 'fw-rules': { type: 'string' }, 'fw-table': { type: 'boolean' }, 'cpu-time': { type: 'boolean' }, tcp: { type: 'boolean' }, mbytes: { type: 'string' }, 'omit-mbytes': { type: 'string' }, explain: { type: 'boolean' } },
  });
  if (positionals.length) throw new CliError(`bench: unexpected argument '${positionals[0]}'`);
  const routers = positiveInt('--routers', values.routers, BENCH_MAX_ROUTERS, 'the chain numbers its links 10.0.k.0/24');
  const packets = positiveInt('--packets', values.packets, BENCH_MAX_PACKETS, 'a longer run measures nothing more');
  exposeGc();
  // --cpu-time: this process's CPU time instead of the wall clock, for a machine other work shares.
  const clock = values['cpu-time'] === true ? cpuMs : () => performance.now();
  if (values.tcp) {
    const mbytes = positiveInt('--mbytes', values.mbytes, BENCH_MAX_MBYTES, 'a longer transfer measures nothing more');
    const omitText = values['omit-mbytes'];
    const omit = omitText === '0' ? 0 : positiveInt('--omit-mbytes', omitText, BENCH_MAX_MBYTES, 'a longer warm-up measures nothing more');
    return tcpBench(io, { routers, mbytes, omit }, values.json === true, clock, values['cpu-time'] === true);
  }
  const fwText = values['fw-rules'];
  const firewallRules = fwText === undefined ? undefined : fwText === '0' ? 0 : positiveInt('--fw-rules', fwText, BENCH_MAX_FW_RULES, 'rules per router');
  const r = runBench({ routers, packets, ipv6: values.ipv6 === true, firewallRules, firewallTable: values['fw-table'], explain: values.explain === true, clock, heapUsed: () => process.memoryUsage().heapUsed });
  checkDelivered(r);
  if (values.json) {
    io.stdout(JSON.stringify(r) + '\n');
    return CLI_EXIT.OK;
  }
  io.stdout(
    [
      `chain${values.ipv6 ? ' (IPv6)' : ''}${values.explain ? ' with explanations' : ''}: pc – ${r.routers} routers – pc (${r.nodes} nodes)${firewallRules === undefined ? '' : `, ${firewallRules} ipfw rules per router${values['fw-table'] ? ' in a table' : ''}`}, ${fmt(r.packets)} packets in ${r.seconds.toFixed(3)} s${values['cpu-time'] ? ' of CPU time' : ''}`,
      `packet-hops per second: ${fmt(r.hopsPerSecond)}`,
      `events per second:      ${fmt(r.eventsPerSecond)}`,
      `memory per idle node:   ${r.bytesPerIdleNode === null ? 'n/a' : `${fmt(r.bytesPerIdleNode)} bytes`}`,
      `  dual-stack (IPv6 too): ${r.bytesPerIdleDualStackNode === null ? 'n/a' : `${fmt(r.bytesPerIdleDualStackNode)} bytes`}`,
    ].join('\n') + '\n',
  );
  return CLI_EXIT.OK;
}

/** User + system CPU time of this process, ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A bench where packets went missing measures nothing: fail with exit 1 and say so. */
export function checkDelivered(r: Pick<BenchResult, 'packets' | 'received' | 'routers'>): void {
  if (r.received < r.packets) {
    throw new CliError(`bench failed: ${fmt(r.packets)} packets sent through ${r.routers} routers, only ${fmt(r.received)} arrived (the figures would be wrong)`, CLI_EXIT.COMMAND_FAILED);
  }
}

/** `--tcp`: one bulk TCP connection through the chain (src/emulator/bench-tcp.ts), measured cold and warm. */
function tcpBench(io: CliIo, o: { routers?: number; mbytes?: number; omit?: number }, json: boolean, clock: () => number, cpuTime: boolean): number {
  const MB = 1024 * 1024;
  const r = runTcpBench({ routers: o.routers, bytes: o.mbytes === undefined ? undefined : o.mbytes * MB, omitBytes: o.omit === undefined ? undefined : o.omit * MB, clock, heapUsed: () => process.memoryUsage().heapUsed });
  if (json) {
    io.stdout(JSON.stringify(r) + '\n');
    return CLI_EXIT.OK;
  }
  io.stdout(
    [
      `tcp: pc – ${r.routers} routers – pc (1 Gbit/s links), ${fmt(r.bytes / MB)} MB in ${r.seconds.toFixed(3)} s${cpuTime ? ' of CPU time' : ''} (${r.virtualSeconds.toFixed(3)} virtual s)`,
      `data segments per second: ${fmt(r.segmentsPerSecond)} cold (the connection's first ${fmt(r.bytes / MB)} MB, while the JIT compiles)`,
      ...(r.warm === null
        ? []
        : [`                          ${fmt(r.warm.segmentsPerSecond)} warm (${fmt(r.warm.bytes / MB)} MB in ${r.warm.seconds.toFixed(3)} s, after ${fmt(r.warm.omittedBytes / MB)} MB not measured, as iperf3 -O)`]),
      `goodput (virtual):        ${r.goodputMbps.toFixed(1)} Mbit/s, ${fmt(r.retransmitted)} segments retransmitted`,
      `events per data segment:  ${(r.warm ?? r).eventsPerSegment.toFixed(2)} (a frame's arrival at each hop, ACKs included, and timers)`,
      `memory per idle pc with httpd on tcp/80: ${r.bytesPerListeningNode === null ? 'n/a' : `${fmt(r.bytesPerListeningNode)} bytes`}`,
    ].join('\n') + '\n',
  );
  return CLI_EXIT.OK;
}

/** The idle-node memory figure needs a full GC before each heap reading. */
function exposeGc(): void {
  const g = globalThis as { gc?: () => void };
  if (g.gc) return;
  setFlagsFromString('--expose-gc');
  g.gc = runInNewContext('gc') as () => void;
}
