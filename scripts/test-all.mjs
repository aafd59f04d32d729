// `npm test`: runs every Vitest project (unit, renderer, e2e) once — the unit project
// includes the layering checks (test/layering) — and ends with the plain `N passed, N failed`
// line that CI reads, after a line naming the browser the e2e suites used. Exit status is
// non-zero when anything failed or when the runner itself broke (then it counts as one failure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'test-results');
const jsonFile = join(outDir, 'vitest.json');
const browserFile = join(outDir, 'e2e-browser.txt'); // written by test/e2e/support/app.ts
mkdirSync(outDir, { recursive: true });
rmSync(jsonFile, { force: true });
rmSync(browserFile, { force: true });

const extra = process.argv.slice(2);
const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...extra],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that fails to load has no failed tests but must still count as a failure.
  const brokenSuites = (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
  failed += brokenSuites;
} catch {
  failed += 1;
}
if (run.status !== 0 && failed === 0) failed = 1;
// The last line is exactly `N passed, N failed` (CI parses it); skips are reported above it.
const line = `${passed} passed, ${failed} failed`;
if (existsSync(browserFile)) process.stdout.write(readFileSync(browserFile, 'utf8'));
if (skipped) console.log(`${skipped} skipped`);
writeFileSync(join(outDir, 'summary.txt'), (skipped ? `${skipped} skipped\n` : '') + line + '\n');
console.log(line);
process.exitCode = failed === 0 ? 0 : 1;
