#!/usr/bin/env node
// Entry point of the `virtnet` CLI. Commands load the TypeScript sources through tsx so the
// checkout works right after `npm install`, with no build step. `bench` measures the
// engine as the app ships it: bundled by esbuild into one module (under tsx every
// cross-module call goes through a module getter, which would understate the engine).
'use strict';
const path = require('node:path');

function loadCli(argv) {
  if (argv[0] !== 'bench') {
    require('tsx/cjs');
    return require('../src/cli/main.ts');
  }
  const root = path.join(__dirname, '..');
  // One bundle per checkout: checkouts that share node_modules (worktrees) must never run each other's engine.
  const tag = require('node:crypto').createHash('sha256').update(root).digest('hex').slice(0, 12);
  const outfile = path.join(root, 'node_modules', '.cache', 'virtnet', `cli-bundle-${tag}.cjs`);
  require('esbuild').buildSync({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  return require(outfile);
}

const argv = process.argv.slice(2);
loadCli(argv).main(argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`virtnet: internal error: ${err && err.stack || err}\n`); process.exitCode = 70; },
);
