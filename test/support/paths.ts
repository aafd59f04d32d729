// Where tests find things: the repository root and the IMUNES examples, which CI checks out
// beside the repository (`../shared/imunes-examples`), never at an absolute path. A checkout
// nested one level deeper (a git worktree in `…/wt/NAME`) finds the same folder further up;
// $VIRTNET_IMUNES_EXAMPLES (or $IMUNES_EXAMPLES) overrides the search.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');

/** `$VIRTNET_IMUNES_EXAMPLES` or `$IMUNES_EXAMPLES`, else the nearest `shared/imunes-examples` beside the checkout or an ancestor of it. */
export function findImunesExamples(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.VIRTNET_IMUNES_EXAMPLES ?? env.IMUNES_EXAMPLES;
  if (override) return resolve(override);
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared/imunes-examples');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  // Not found: keep the documented place so a failing test names it.
  return resolve(root, '../shared/imunes-examples');
}

export const IMUNES_EXAMPLES = findImunesExamples(REPO_ROOT);
