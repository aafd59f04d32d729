// `node --import tsx scripts/bench-files.mjs [NODES]`: writes a NODES-node network (default
// 10,000) as .vnet and IMUNES .imn, plus .vnet files with 5,000 and 20,000 bad links, then
// times `virtnet validate` on each: in-process (the reader and checks) and as a real
// process (node startup and tsx included). Prints one line per file; the figures of issue 10.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const { bigNetwork, badLinks } = await import(join(root, 'test/support/big-topology.ts'));
const { serializeTopology } = await import(join(root, 'src/emulator/topology/formats.ts'));
const { main } = await import(join(root, 'src/cli/main.ts'));

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
  const t0 = performance.now();
  const code = await main(['validate', file], quiet);
  const inProcess = performance.now() - t0;
  const t1 = performance.now();
  const child = spawnSync(process.execPath, [join(root, 'bin/virtnet.js'), 'validate', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t1;
  const mb = (statSync(file).size / 1048576).toFixed(1);
  console.log(`${name.padEnd(22)} ${mb.padStart(6)} MB  exit ${code}/${child.status}  validate in-process ${(inProcess / 1000).toFixed(2)} s, as a process ${(wall / 1000).toFixed(2)} s`);
}
