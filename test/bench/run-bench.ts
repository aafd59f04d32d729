// Manual benchmark runner for profiling:
//   node --expose-gc [--cpu-prof] --import tsx test/bench/run-bench.ts [routers] [packets] [cpu|wall]
// `cpu` measures process CPU time instead of wall time (fairer on a shared machine).
import { performance } from 'node:perf_hooks';
import { runBench } from '../../src/emulator/bench';

const routers = Number(process.argv[2] ?? 4);
const packets = Number(process.argv[3] ?? 200_000);
const clock = process.argv[4] === 'cpu' ? () => process.cpuUsage().user / 1000 : () => performance.now();
const tickMs = process.argv[5] ? Number(process.argv[5]) : undefined;
const batch = process.argv[6] ? Number(process.argv[6]) : undefined;
const r = runBench({ routers, packets, seed: 1, clock, tickMs, batch, heapUsed: () => process.memoryUsage().heapUsed });
console.log(JSON.stringify(r, null, 2));
