// `npm run lint:layers`: the import-boundary check (.dependency-cruiser.cjs). dependency-
// cruiser reads TypeScript only through the `typescript` package's JS API, which TypeScript 7
// no longer has, so this script first mirrors src/ as JavaScript: Babel's parser reads each
// TS/TSX file and babel-imports-only.cjs keeps one `import "…"` per module it names (type-only
// imports included), written as `<file>.ts.js`. dependency-cruiser checks the mirror; every
// violation is printed with the real file names and the rule's reason. Exit 1 on a violation.
import { transformSync } from '@babel/core';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const babelConfig = require('./babel-imports-only.cjs');

const TS = /\.(tsx?|mts|cts)$/;
const JS = /\.(m?js|cjs|jsx)$/;
const DECLARATION = /\.d\.(m|c)?ts$/;

/** Writes `src` into `mirror`: code as import-only JavaScript, anything else as an empty file (CSS, SVG … stay resolvable). */
function mirrorTree(src, mirror) {
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    if (entry.isDirectory()) {
      mirrorTree(from, join(mirror, entry.name));
      continue;
    }
    mkdirSync(mirror, { recursive: true });
    if (DECLARATION.test(entry.name)) continue;
    if (TS.test(entry.name) || JS.test(entry.name)) {
      const code = transformSync(readFileSync(from, 'utf8'), { ...babelConfig, filename: from }).code;
      writeFileSync(join(mirror, TS.test(entry.name) ? `${entry.name}.js` : entry.name), code);
    } else {
      writeFileSync(join(mirror, entry.name), '');
    }
  }
}

/** `src/a/b.ts.js` → `src/a/b.ts`; `../../node_modules/x/…` → `x` (package); core modules as named. */
function realName(name) {
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
  if (pkg) return pkg[1];
  return name.replace(/\.(tsx?|mts|cts)\.js$/, '.$1');
}

/**
 * Checks `<base>/src` (the repository's by default) against .dependency-cruiser.cjs.
 * The mirror sits in test-results/ so that packages resolve from the repository's node_modules.
 */
export async function checkLayering(base = root) {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'));
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const mirror = mkdtempSync(join(root, 'test-results', '.layering-'));
  try {
    mirrorTree(join(base, 'src'), join(mirror, 'src'));
    const result = await cruise(['src'], { ...options, baseDir: mirror, outputType: 'json' }, {}, {});
    const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
    const rules = new Map(options.ruleSet.forbidden.map((r) => [r.name, r.comment]));
    const violations = output.summary.violations.map((v) => ({
      rule: v.rule.name,
      from: realName(v.from),
      to: realName(v.to),
      why: rules.get(v.rule.name) ?? '',
    }));
    return { modules: output.summary.totalCruised, dependencies: output.summary.totalDependenciesCruised, violations };
  } finally {
    rmSync(mirror, { recursive: true, force: true });
  }
}

/** One line per violation and its reason, for people. */
export function formatViolations(violations) {
  return violations.map((v) => `layering: ${v.from} imports ${v.to}\n  rule ${v.rule}: ${v.why}`).join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const { modules, dependencies, violations } = await checkLayering();
  if (violations.length) console.log(formatViolations(violations));
  console.log(`layering: ${violations.length} violation(s) in ${modules} modules, ${dependencies} imports (${relative(process.cwd(), join(root, '.dependency-cruiser.cjs')) || '.dependency-cruiser.cjs'})`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
