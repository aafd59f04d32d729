// The layering of DESIGN.md ("Imports point down only"), enforced in `npm test`: the engine
// compiles without Node or DOM types (tsconfig.emulator.json), the rest of the project
// typechecks (tsconfig.node.json, tsconfig.web.json), and the import boundaries of
// .dependency-cruiser.cjs hold. Fixture trees prove that each kind of violation is caught
// and named with its file, its import and the rule's reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayering, formatViolations } from '../../scripts/layering/check.mjs';
import { REPO_ROOT } from '../support/paths';

const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
const tmp = mkdtempSync(join(REPO_ROOT, 'test-results', '.layering-fixture-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const base = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return base;
}

function tsc(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', project, '--noEmit', '--pretty', 'false'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('layering', () => {
  it('the engine compiles without Node or DOM types (tsconfig.emulator.json)', () => {
    const r = tsc(join(REPO_ROOT, 'tsconfig.emulator.json'));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 240_000);

  // What `npm run typecheck` checks besides the engine: main, CLI, scripts and tests
  // (tsconfig.node.json) and the renderer (tsconfig.web.json). Vitest strips types without
  // checking them, so without this a test or module with a type error would pass `npm test`.
  it.each(['tsconfig.node.json', 'tsconfig.web.json'])('the rest of the project typechecks (%s)', (config) => {
    const r = tsc(join(REPO_ROOT, config));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 240_000);

  it('the emulator tsconfig refuses Node built-ins, Node globals and the DOM', () => {
    const base = tree('tsc', {
      'uses-node.ts': "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\nexport const b = process.env;\nexport const c = document.title;\n",
      'tsconfig.json': JSON.stringify({ extends: join(REPO_ROOT, 'tsconfig.emulator.json'), include: ['uses-node.ts'], exclude: [] }),
    });
    const r = tsc(join(base, 'tsconfig.json'));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/uses-node\.ts\(1,.*'node:fs'/);
    expect(r.output).toMatch(/uses-node\.ts\(3,.*'process'/);
    expect(r.output).toMatch(/uses-node\.ts\(4,.*'document'/);
  }, 240_000);

  it('src imports point down only (.dependency-cruiser.cjs)', async () => {
    const { modules, dependencies, violations } = await checkLayering();
    expect(formatViolations(violations)).toBe('');
    expect(modules).toBeGreaterThan(150);
    expect(dependencies).toBeGreaterThan(400);
  }, 120_000);

  it('catches each kind of violation, type-only imports included, and says why', async () => {
    const base = tree('cruise', {
      'src/emulator/engine/engine.ts': "import { World } from './world';\nexport const engine = World;\n",
      'src/emulator/engine/world.ts': 'export class World {}\n',
      'src/emulator/engine/protocol.ts': 'export type Request = { id: number };\n',
      'src/emulator/stack/ip-input.ts': "import { readFileSync } from 'node:fs';\nimport { h } from '../../renderer/app';\nimport * as v from 'valibot';\nimport fc from 'fast-check';\nexport const x = [readFileSync, h, v, fc];\n",
      'src/renderer/app.tsx': "import type { World } from '../emulator/engine/world';\nimport type { Request } from '../emulator/engine/protocol';\nexport const h = (w: World, r: Request) => <div>{String(w) + r.id}</div>;\n",
      'src/renderer/fs.ts': "import { ipcRenderer } from 'electron';\nimport { join } from 'node:path';\nexport const y = [ipcRenderer, join];\n",
      'src/main/index.ts': "import { World } from '../emulator/engine/world';\nimport { engine } from '../emulator/engine/engine';\nexport const z = [World, engine];\n",
      'src/cli/main.ts': "import { World } from '../emulator/engine/world';\nimport './missing';\nexport const w = World;\n",
    });
    const { violations } = await checkLayering(base);
    const found = violations.map((v) => `${v.rule}: ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual(
      [
        'cli-uses-engine-api-only: src/cli/main.ts -> src/emulator/engine/world.ts',
        'engine-imports-only-itself: src/emulator/stack/ip-input.ts -> fs',
        'engine-imports-only-itself: src/emulator/stack/ip-input.ts -> src/renderer/app.tsx',
        'engine-imports-only-itself: src/emulator/stack/ip-input.ts -> fast-check',
        'hosts-use-engine-api-only: src/main/index.ts -> src/emulator/engine/world.ts',
        'relative-imports-resolve: src/cli/main.ts -> ./missing',
        'renderer-is-web-code: src/renderer/fs.ts -> electron',
        'renderer-no-node-builtins: src/renderer/fs.ts -> path',
        'renderer-uses-shared-contracts-only: src/renderer/app.tsx -> src/emulator/engine/world.ts',
      ].sort(),
    );
    expect(formatViolations(violations)).toMatch(/layering: src\/renderer\/app\.tsx imports src\/emulator\/engine\/world\.ts\n {2}rule renderer-uses-shared-contracts-only: the renderer may import from src\/emulator only the shared contracts/);
  }, 120_000);
});
