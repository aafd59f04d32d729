// electronegativity (Doyensec) over Electron main, the preload and the CSP: zero findings.
// A suppression is an `eng-disable` comment on the line, with its reason above it. A canary
// app with the classic mistakes proves the scanner really runs and finds things.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

interface Report {
  issues: { id: string; file: string; line: number; description: string }[];
  errors: { file: string; message: string }[];
}

function scan(dir?: string): Report {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/electronegativity.cjs'), ...(dir ? [dir] : [])], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`electronegativity failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

describe('electronegativity', () => {
  it('finds nothing in main, preload and the CSP', () => {
    const report = scan();
    const lines = report.issues.map((i) => `${i.id} ${i.file}:${i.line} ${i.description}`);
    expect(lines).toEqual([]);
    expect(report.errors).toEqual([]); // every file was parsed
  }, 120_000);

  it('finds the classic mistakes in a canary app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-eng-canary-'));
    writeFileSync(
      join(dir, 'main.ts'),
      `import { BrowserWindow, shell } from 'electron';\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nw.webContents.on('new-window', (e, url: string) => shell.openExternal(url));\n`,
    );
    const ids = new Set(scan(dir).issues.map((i) => i.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'CSP_GLOBAL_CHECK']) expect(ids, id).toContain(id);
  }, 120_000);
});
