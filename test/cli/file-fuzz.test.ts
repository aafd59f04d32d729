// Seeded file-mutation fuzzer (issue 10, "Continuous fuzzing"): mutates the IMUNES examples
// and the samples (test/support/file-mutations.ts) and drives `virtnet validate`, `convert`
// and `run` in-process on each result, asserting the contract: exit 0 or 2, one line per
// error with a location, no stack, bounded time and memory, and whatever convert writes
// validates. A fixed budget runs in `npm test` (FUZZ_FILES_SECONDS, default 20 s); a failing
// case prints its seed and a one-line reproduction, and keeps the file under test-results/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { mulberry32 } from '../support/json-mutations';
import { mutateFile } from '../support/file-mutations';
import { IMUNES_EXAMPLES, REPO_ROOT } from '../support/paths';

const BUDGET_S = Number(process.env.FUZZ_FILES_SECONDS ?? 20);
const SEED = Number(process.env.FUZZ_FILES_SEED ?? 20261207);
/** Run only this case (for a reproduction). */
const ONLY = process.env.FUZZ_FILES_CASE === undefined ? null : Number(process.env.FUZZ_FILES_CASE);
const CASE_MS_MAX = 20_000;
const HEAP_MAX = 1.5 * 1024 ** 3;

function corpus(): { name: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(imn|vnet)$/.test(e.name)) files.push(p);
    }
  };
  walk(IMUNES_EXAMPLES);
  walk(join(REPO_ROOT, 'assets/samples'));
  return files.sort().map((p) => ({ name: p, text: readFileSync(p, 'utf8') }));
}

interface Out {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

async function cli(argv: string[]): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const t = performance.now();
  const code = await main(argv, { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x) });
  return { code, stdout, stderr, ms: performance.now() - t };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** What is wrong with one command's result, or null when it keeps the contract. */
function breach(cmd: string, file: string, r: Out): string | null {
  if (r.code !== 0 && r.code !== 2) return `${cmd} exited ${r.code}: ${r.stderr.slice(0, 300)}`;
  if (/\n\s+at |RangeError|TypeError|internal error/.test(r.stdout + r.stderr)) return `${cmd} printed an internal error or stack: ${(r.stdout + r.stderr).slice(0, 300)}`;
  if (r.ms > CASE_MS_MAX) return `${cmd} took ${Math.round(r.ms)} ms`;
  const errLines = r.stderr.split('\n').filter(Boolean);
  const located = new RegExp(`^${esc(file)}:\\d+: `);
  if (cmd === 'validate') {
    for (const l of r.stdout.split('\n').filter(Boolean)) if (!located.test(l) && !l.startsWith(`${file}: `)) return `validate printed an unlocated line: ${l.slice(0, 200)}`;
    if (errLines.length > 1) return `validate printed ${errLines.length} lines on stderr`;
    if (r.code === 2 && !located.test(r.stdout)) return `validate exited 2 without a located error: ${r.stdout.slice(0, 200)}`;
  } else if (r.code === 2) {
    if (errLines.length !== 1) return `${cmd} printed ${errLines.length} error lines: ${r.stderr.slice(0, 300)}`;
    if (!new RegExp(`^virtnet: ${esc(file)}:\\d+: `).test(errLines[0]!)) return `${cmd} error is not "file:line: message": ${errLines[0]!.slice(0, 200)}`;
  }
  return null;
}

/** Runs case `i`; returns a description of a contract breach, or null. */
async function fuzzCase(i: number, files: { name: string; text: string }[], dir: string): Promise<{ breach: string | null; file: string; applied: string[] }> {
  const rng = mulberry32(SEED ^ Math.imul(i + 1, 0x9e3779b1));
  const src = files[Math.floor(rng() * files.length)]!;
  const { text, applied } = mutateFile(src.text, rng);
  // Mostly the source's own extension; sometimes the other one (format chosen by name).
  const ext = rng() < 0.85 ? extname(src.name) : extname(src.name) === '.imn' ? '.vnet' : '.imn';
  const file = join(dir, `case${i}${ext}`);
  writeFileSync(file, text);
  const checks: [string, string[]][] = [['validate', ['validate', file]]];
  const out = join(dir, `out${i}${rng() < 0.5 ? '.vnet' : '.imn'}`);
  if (rng() < 0.5) checks.push(['convert', ['convert', file, out]]);
  if (rng() < 0.25) checks.push(['run', ['run', file, '--until', '0.5']]);
  for (const [cmd, argv] of checks) {
    const r = await cli(argv);
    const why = breach(cmd, file, r);
    if (why) return { breach: why, file, applied };
    if (cmd === 'convert' && r.code === 0) {
      // Everything VirtNet writes, it reads.
      const back = await cli(['validate', out]);
      if (back.code !== 0) return { breach: `convert wrote ${basename(out)} which validate rejects: ${back.stdout.split('\n')[0]}`, file, applied };
    }
  }
  if (process.memoryUsage().heapUsed > HEAP_MAX) return { breach: `heap grew to ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`, file, applied };
  rmSync(file, { force: true });
  rmSync(out, { force: true });
  return { breach: null, file, applied };
}

describe('file-mutation fuzzer', () => {
  it(`keeps the CLI contract on mutated files (${BUDGET_S} s budget, seed ${SEED})`, async () => {
    const files = corpus();
    expect(files.length).toBeGreaterThan(100);
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-fuzz-'));
    const start = performance.now();
    let cases = 0;
    const failures: string[] = [];
    for (let i = ONLY ?? 0; ; i++) {
      if (ONLY !== null ? i > ONLY : performance.now() - start > BUDGET_S * 1000) break;
      const r = await fuzzCase(i, files, dir);
      cases++;
      if (r.breach) {
        const keep = join(REPO_ROOT, 'test-results', 'fuzz-failures');
        mkdirSync(keep, { recursive: true });
        const saved = join(keep, basename(r.file));
        copyFileSync(r.file, saved);
        failures.push(`SEED=${SEED} case ${i} (${r.applied.join('+')}): ${r.breach}\n  reproduce: FUZZ_FILES_SEED=${SEED} FUZZ_FILES_CASE=${i} npx vitest run --project unit test/cli/file-fuzz.test.ts   (file kept: ${saved})`);
        if (failures.length >= 5) break;
      }
    }
    console.log(`file fuzzer: ${cases} cases in ${((performance.now() - start) / 1000).toFixed(1)} s, seed ${SEED}, ${failures.length} failures`);
    rmSync(dir, { recursive: true, force: true });
    expect(failures, failures.join('\n')).toEqual([]);
  }, (BUDGET_S + 120) * 1000);

  it('a handful of mutated files through the real binary: exit 0 or 2, one line, no stack', () => {
    const files = corpus();
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-fuzz-bin-'));
    const bin = join(REPO_ROOT, 'bin/virtnet.js');
    for (let i = 0; i < 3; i++) {
      const rng = mulberry32(SEED + 7919 * (i + 1));
      const src = files[Math.floor(rng() * files.length)]!;
      const { text, applied } = mutateFile(src.text, rng);
      const file = join(dir, `bin${i}${extname(src.name)}`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, [bin, 'run', file, '--until', '0.1'], { encoding: 'utf8', timeout: 60_000 });
      const why = breach('run', file, { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: 0 });
      expect(why, `SEED=${SEED} binary case ${i} (${applied.join('+')})`).toBeNull();
    }
    rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
