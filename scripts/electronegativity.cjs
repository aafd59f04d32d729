// Runs electronegativity (Doyensec's Electron security scanner) over Electron main, the
// preload and the shared CSP (or over DIR: `node scripts/electronegativity.cjs [DIR]`), and
// prints its findings as JSON: `{ issues, errors }`. `npm test` runs it through
// test/main/electronegativity.test.ts, which requires zero findings; each suppression is an
// `eng-disable` comment with its reason beside the line.
//
// Why a wrapper: electronegativity loads @typescript-eslint/typescript-estree, which needs
// TypeScript's JS API; this repo's TypeScript 7 has none. The scanner ships its own
// TypeScript 4 beside it, so `typescript` is resolved there for that module. Sources are
// parsed as TypeScript by Babel (the scanner's default), so `eng-disable` comments count.
'use strict';
const Module = require('node:module');
const { cpSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const engDir = dirname(require.resolve('@doyensec/electronegativity/package.json', { paths: [root] }));
const ownTypescript = join(engDir, 'node_modules/typescript/lib/typescript.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && parent?.filename?.includes('@typescript-eslint')) return ownTypescript;
  return resolve.call(this, request, parent, ...rest);
};

function copySources(work) {
  cpSync(join(root, 'src/main'), join(work, 'main'), { recursive: true });
  cpSync(join(root, 'src/preload'), join(work, 'preload'), { recursive: true });
  cpSync(join(root, 'src/shared/csp.mjs'), join(work, 'shared/csp.mjs'));
}

async function main() {
  const electronVersion = require(join(root, 'node_modules/electron/package.json')).version;
  const work = mkdtempSync(join(tmpdir(), 'virtnet-eng-'));
  try {
    if (process.argv[2]) cpSync(process.argv[2], join(work, 'input'), { recursive: true });
    else copySources(work);
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'virtnet-scan', devDependencies: { electron: electronVersion } }));
    const runner = require(join(engDir, 'dist/runner.js'));
    const run = runner.default ?? runner;
    const quiet = console.log;
    console.log = () => undefined; // the runner prints progress noise outside CLI mode too
    let result;
    try {
      result = await run({ input: work, isRelative: true, electronVersionOverride: electronVersion, output: undefined, isVerbose: false });
    } finally {
      console.log = quiet;
    }
    const issues = (result?.issues ?? result ?? []).map((i) => ({ id: i.id, file: i.file, line: i.location?.line, column: i.location?.column, severity: i.severity?.name, confidence: i.confidence?.name, description: i.description }));
    const errors = (result?.errors ?? []).map((e) => ({ file: e.file, message: e.message, tolerable: e.tolerable }));
    process.stdout.write(JSON.stringify({ electronVersion, issues, errors }, null, 2) + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`electronegativity: ${err?.stack ?? err}\n`);
  process.exit(2);
});
