// `virtnet bench`: runs the engine benchmark (src/emulator/bench.ts) with the host's
// clock and heap injected, and prints packet-hops/s, events/s and memory per idle node.

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runBench } from '../emulator/bench';
import { runTcpBench } from '../emulator/bench-tcp';
import { CLI_EXIT, CliError, type CliIo } from './io';

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} '${text}': expected a positive integer`);
  return n;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function benchCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { routers: { type: 'string' }, packets: { type: 'string' }, json: { type: 'boolean' }, tcp: { type: 'boolean' }, mbytes: { type: 'string' } },
  });
  if (positionals.length) throw new CliError(`bench: unexpected argument '${positionals[0]}'`);
  const routers = positiveInt('--routers', values.routers);
  const packets = positiveInt('--packets', values.packets);
  exposeGc();
  if (values.tcp) return tcpBench(io, routers, positiveInt('--mbytes', values.mbytes), values.json === true);
  const r = runBench({ routers, packets, clock: () => performance.now(), heapUsed: () => process.memoryUsage().heapUsed });
  if (values.json) {
    io.stdout(JSON.stringify(r) + '\n');
    return CLI_EXIT.OK;
  }
  io.stdout(
    [
      `chain: pc – ${r.routers} routers – pc (${r.nodes} nodes), ${fmt(r.packets)} packets in ${r.seconds.toFixed(3)} s`,
      `packet-hops per second: ${fmt(r.hopsPerSecond)}`,
      `events per second:      ${fmt(r.eventsPerSecond)}`,
      `memory per idle node:   ${r.bytesPerIdleNode === null ? 'n/a' : `${fmt(r.bytesPerIdleNode)} bytes`}`,
    ].join('\n') + '\n',
  );
  return CLI_EXIT.OK;
}

/** `--tcp`: one bulk TCP connection through the chain (src/emulator/bench-tcp.ts). */
function tcpBench(io: CliIo, routers: number | undefined, mbytes: number | undefined, json: boolean): number {
  const r = runTcpBench({ routers, bytes: mbytes === undefined ? undefined : mbytes * 1024 * 1024, clock: () => performance.now(), heapUsed: () => process.memoryUsage().heapUsed });
  if (json) {
    io.stdout(JSON.stringify(r) + '\n');
    return CLI_EXIT.OK;
  }
  io.stdout(
    [
      `tcp: pc – ${r.routers} routers – pc (1 Gbit/s links), ${fmt(r.bytes / 1048576)} MB in ${r.seconds.toFixed(3)} s (${r.virtualSeconds.toFixed(3)} virtual s)`,
      `data segments per second: ${fmt(r.segmentsPerSecond)}`,
      `goodput (virtual):        ${r.goodputMbps.toFixed(1)} Mbit/s, ${fmt(r.retransmitted)} segments retransmitted`,
      `memory per idle pc listening on tcp/80: ${r.bytesPerListeningNode === null ? 'n/a' : `${fmt(r.bytesPerListeningNode)} bytes`}`,
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
