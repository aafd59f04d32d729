// Where tests find things: the repository root and the IMUNES examples, which CI checks out
// beside the repository (`../shared/imunes-examples`), never at an absolute path; a
// checkout elsewhere (a git worktree) can point VIRTNET_IMUNES_EXAMPLES at them.
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const IMUNES_EXAMPLES = process.env.VIRTNET_IMUNES_EXAMPLES ? resolve(process.env.VIRTNET_IMUNES_EXAMPLES) : resolve(REPO_ROOT, '../shared/imunes-examples');
