// `node --import tsx scripts/bench-files.mjs [NODES]`: writes a NODES-node network (default
// 10,000) as .vnet and IMUNES .imn, plus .vnet files with 5,000 and 20,000 bad links, then
// times `virtnet validate` on each: the reader and checks alone, the engine build that
// validate adds (its warnings), validate in-process, and as a real process (node startup
// and tsx included). Prints one line per file; the figures of issue 10.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const { bigNetwork, badLinks } = await import(join(root, 'test/support/big-topology.ts'));
const { serializeTopology } = await import(join(root, 'src/emulator/topology/formats.ts'));
const { main } = await import(join(root, 'src/cli/main.ts'));
const { parseTopology: parse } = await import(join(root, 'src/emulator/topology/formats.ts'));
const { World } = await import(join(root, 'src/emulator/engine/world.ts'));

/** [result, wall ms, CPU ms] of f(). The machine may be shared: CPU time is the steadier figure. */
async function timed(f) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  const u = process.cpuUsage(c);
  return [r, performance.now() - t, (u.user + u.system) / 1000];
}
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

const nodes = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'virtnet-bench-files-'));
const files = [];
const big = bigNetwork(nodes);
for (const ext of ['vnet', 'imn']) files.push([`${nodes}-nodes.${ext}`, serializeTopology(big, `x.${ext}`)]);
for (const n of [5000, 20000]) files.push([`${n}-bad-links.vnet`, serializeTopology(badLinks(n), 'x.vnet')]);

const quiet = { stdout: () => {}, stderr: () => {} };
for (const [name, text] of files) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const [parsed, readWall, readCpu] = await timed(() => parse(readFileSync(file, 'utf8'), file));
  const [, engWall, engCpu] = 'doc' in parsed ? await timed(() => new World(parsed.doc)) : [null, 0, 0];
  const [code, wall, cpu] = await timed(() => main(['validate', file], quiet));
  const [child, procWall] = await timed(() => spawnSync(process.execPath, [join(root, 'bin/virtnet.js'), 'validate', file], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const mb = (statSync(file).size / 1048576).toFixed(1);
  console.log(`${name.padEnd(22)} ${mb.padStart(5)} MB exit ${code}/${child.status}: read+check ${s(readWall)} (cpu ${s(readCpu)}), engine build ${s(engWall)} (cpu ${s(engCpu)}), validate in-process ${s(wall)} (cpu ${s(cpu)}), as a process ${s(procWall)}`);
}
