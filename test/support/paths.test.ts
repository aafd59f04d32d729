// The IMUNES examples are found beside the checkout or beside a parent folder (a worktree
// in …/wt/NAME), or where $IMUNES_EXAMPLES says.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findImunesExamples, IMUNES_EXAMPLES } from './paths';

const tmp = mkdtempSync(join(tmpdir(), 'virtnet-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('findImunesExamples', () => {
  it('finds ../shared beside the checkout, and beside an ancestor of a worktree', () => {
    mkdirSync(join(tmp, 'shared/imunes-examples'), { recursive: true });
    expect(findImunesExamples(join(tmp, 'main'), {})).toBe(join(tmp, 'shared/imunes-examples'));
    expect(findImunesExamples(join(tmp, 'wt/platform'), {})).toBe(join(tmp, 'shared/imunes-examples'));
  });

  it('prefers $IMUNES_EXAMPLES', () => {
    expect(findImunesExamples(join(tmp, 'main'), { IMUNES_EXAMPLES: '/x/y' })).toBe('/x/y');
  });

  it('finds the real examples from this checkout', () => {
    expect(existsSync(join(IMUNES_EXAMPLES, 'p-r-p.imn'))).toBe(true);
  });
});
