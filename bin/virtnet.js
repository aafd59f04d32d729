#!/usr/bin/env node
// Entry point of the `virtnet` CLI: loads the TypeScript sources through tsx so the
// checkout works right after `npm install`, with no build step.
'use strict';
require('tsx/cjs');
require('../src/cli/main.ts').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`virtnet: internal error: ${err && err.stack || err}\n`); process.exitCode = 70; },
);
