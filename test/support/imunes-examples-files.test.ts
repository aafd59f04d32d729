import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES_NEEDING_IMUNES_EXAMPLES, imunesExamplesSkip } from './imunes-examples-files';
import { REPO_ROOT } from './paths';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return testFiles(p);
    return /\.test\.tsx?$/.test(name) ? [relative(REPO_ROOT, p)] : [];
  });
}

describe('test files that need the IMUNES examples', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vn-examples-'));
  const lone = join(tmp, 'clone');
  mkdirSync(lone);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('are skipped, with one line naming the folder, in a clone without them', () => {
    const r = imunesExamplesSkip(lone, {});
    expect(r.exclude).toEqual(FILES_NEEDING_IMUNES_EXAMPLES);
    expect(r.note).toContain(join(tmp, 'shared/imunes-examples'));
    expect(r.note).toContain(`the ${FILES_NEEDING_IMUNES_EXAMPLES.length} test files`);
  });

  it('run when the folder is there, and fail instead of skipping where CI requires it', () => {
    expect(imunesExamplesSkip(lone, { VIRTNET_IMUNES_EXAMPLES: tmp })).toEqual({ exclude: [], note: null });
    expect(imunesExamplesSkip(lone, { VIRTNET_REQUIRE_IMUNES_EXAMPLES: '1' })).toEqual({ exclude: [], note: null });
  });

  it('are listed: every listed file exists, and every test file naming IMUNES_EXAMPLES is listed', () => {
    for (const f of FILES_NEEDING_IMUNES_EXAMPLES) expect(existsSync(join(REPO_ROOT, f)), f).toBe(true);
    const self = relative(REPO_ROOT, __filename);
    const direct = testFiles(join(REPO_ROOT, 'test')).filter((f) => f !== self && /\bIMUNES_EXAMPLES\b/.test(readFileSync(join(REPO_ROOT, f), 'utf8')));
    expect(direct.filter((f) => !FILES_NEEDING_IMUNES_EXAMPLES.includes(f))).toEqual([]);
  });
});
