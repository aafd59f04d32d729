// Import boundaries (DESIGN.md, "Imports point down only"), checked by `npm test` through
// scripts/layering/check.mjs (run it alone: `npm run lint:layers`): the engine imports nothing
// outside itself; the renderer reaches the engine only through the shared contracts; Electron
// main, preload, the workers and the CLI reach it only through its public API. Tests may
// import anything. check.mjs cruises a JavaScript mirror of src/ in which `x.ts` is named
// `x.ts.js` (see there why), hence the `file()` helper below.
'use strict';

/** A regex for source files: `file('src/a/(b|c)')` matches src/a/b.ts, src/a/c.tsx, … in the mirror. */
const file = (path) => `^${path}\\.(tsx?|mts|cts)\\.js$`;
const TESTS = '\\.test(-util)?\\.tsx?\\.js$';
const VITE_CONFIG = '^src/renderer/vite-config\\.mjs$';

/**
 * The engine's public API for hosts: the Engine facade and its protocol, the document with its
 * file formats, schema, lab section and located diagnostics, the lab grader, the benchmark.
 */
const ENGINE_API = [
  file('src/emulator/engine/(engine|protocol|errors|explain-text)'),
  file('src/emulator/topology/(document|formats|diagnostics|vnet|vnet-schema|lab|lab-schema)'),
  file('src/emulator/lab/(grade|student)'),
  file('src/emulator/bench(-tcp)?'),
];

/**
 * What the renderer shares with the engine: the typed protocol, the topology document with
 * its pure edits, formats, samples and link wording, the frame decoder for the capture
 * inspector, the display-filter language (the same one lab checks use), and the startup
 * configuration checker (the same parsers the node shells use).
 */
const RENDERER_CONTRACTS = [
  file('src/emulator/engine/(protocol|startup-check|explain-text)'),
  file('src/emulator/topology/(document|edit|formats|samples|link-text)'),
  file('src/emulator/wire/decode(-field)?'),
  file('src/emulator/filter/(display-filter|tcp-conversations)'),
  // Labs: the lab section and its checker, locks and the student version (pure), and the
  // grade result's types (the grading itself runs in the engine: lab/grade).
  file('src/emulator/topology/(lab|lab-check|lab-schema)'),
  file('src/emulator/lab/(locks|student|grade)'),
];

/**
 * Debt, named so it cannot grow: `virtnet run` and `virtnet validate` drive World and the
 * shell in-process instead of the Engine facade. Remove when the CLI runs on Engine.
 */
const CLI_DEBT_FILES = file('src/cli/(run|files)');
const CLI_DEBT_TARGETS = [file('src/emulator/engine/(world|capture|startup)'), file('src/emulator/shell/index'), file('src/emulator/sim/scheduler')];

const ENGINE_API_TEXT = 'engine/engine.ts, protocol.ts, errors.ts, explain-text.ts; topology/document.ts, formats.ts, diagnostics.ts, vnet.ts, vnet-schema.ts, lab.ts, lab-schema.ts; lab/grade.ts, student.ts; bench.ts, bench-tcp.ts';

module.exports = {
  forbidden: [
    {
      name: 'engine-imports-only-itself',
      comment: 'src/emulator is a pure TypeScript engine: it imports only its own modules (and the valibot package), no Node, DOM, Electron or other packages.',
      severity: 'error',
      from: { path: '^src/emulator/', pathNot: TESTS },
      to: { pathNot: ['^src/emulator/', 'node_modules/valibot/'] },
    },
    {
      name: 'renderer-uses-shared-contracts-only',
      comment: `the renderer may import from src/emulator only the shared contracts (engine/protocol.ts, startup-check.ts, explain-text.ts, topology/document.ts, edit.ts, formats.ts, samples.ts, link-text.ts, wire/decode.ts, decode-field.ts, filter/display-filter.ts, tcp-conversations.ts, topology/lab.ts, lab-check.ts, lab-schema.ts, lab/locks.ts, student.ts, grade.ts), never engine internals.`,
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: [TESTS, VITE_CONFIG] },
      to: { path: '^src/emulator/', pathNot: RENDERER_CONTRACTS },
    },
    {
      name: 'renderer-is-web-code',
      comment: 'the renderer imports no Node built-ins, no Electron, no main or CLI code; of preload only the typed API (api.ts), of the workers only the port client and the Web Worker entry.',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: [TESTS, VITE_CONFIG] },
      to: { path: ['node_modules/electron/', '^src/(main|cli)/', '^src/preload/(?!api\\.ts\\.js$)', '^src/worker/(?!(client|web-host)\\.ts\\.js$)'] },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'the renderer is web code: no Node built-in modules.',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: [TESTS, VITE_CONFIG] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'hosts-use-engine-api-only',
      comment: `Electron main, preload and the workers reach the engine only through its public API (${ENGINE_API_TEXT}).`,
      severity: 'error',
      from: { path: '^src/(main|preload|worker)/', pathNot: TESTS },
      to: { path: '^src/emulator/', pathNot: ENGINE_API },
    },
    {
      name: 'cli-uses-engine-api-only',
      comment: `the CLI reaches the engine only through its public API (${ENGINE_API_TEXT}).`,
      severity: 'error',
      from: { path: '^src/cli/', pathNot: [TESTS, CLI_DEBT_FILES] },
      to: { path: '^src/emulator/', pathNot: ENGINE_API },
    },
    {
      name: 'cli-debt-does-not-grow',
      comment: `src/cli/run.ts and files.ts may also use engine/world.ts, capture.ts, startup.ts, shell/ and the scheduler's SimStall (known debt: the CLI should run on the Engine facade), nothing else inside the engine.`,
      severity: 'error',
      from: { path: CLI_DEBT_FILES },
      to: { path: '^src/emulator/', pathNot: [...ENGINE_API, ...CLI_DEBT_TARGETS] },
    },
    {
      name: 'relative-imports-resolve',
      comment: 'every relative import resolves to a file (an unresolved one would hide an edge from the rules above).',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { couldNotResolve: true, path: '^\\.' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      extensions: ['.ts.js', '.tsx.js', '.mts.js', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
