// Node files changed during a run: the baseline is every node's files once the network has
// started (the document's files plus what the startup configuration wrote), and a change is
// a file added, edited or removed since, per node. Stop offers to keep them in the document
// (the app's Stop dialog, `virtnet run --keep-files`; topology/edit.ts setNodeFiles puts
// them in). Reads the world; changes nothing.

import type { World } from './world';

/** One node whose files differ from the baseline: all its files now, and the paths that changed. */
export interface NodeFilesChange {
  /** Node id in the document. */
  node: string;
  name: string;
  files: Record<string, string>;
  /** Paths added, edited or removed since the baseline, sorted. */
  changed: string[];
}

export type FilesBaseline = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** Every node's files now (nodes without files are left out). */
export function filesBaseline(world: World): FilesBaseline {
  const out = new Map<string, Record<string, string>>();
  for (const n of world.nodes) if (n.files !== undefined) out.set(n.id, n.files.snapshot());
  return out;
}

/** The nodes whose files differ from `baseline`, in the world's node order. */
export function changedNodeFiles(world: World, baseline: FilesBaseline): NodeFilesChange[] {
  const out: NodeFilesChange[] = [];
  for (const n of world.nodes) {
    const now = n.files?.snapshot() ?? {};
    const before = baseline.get(n.id) ?? {};
    const changed = [...new Set([...Object.keys(now), ...Object.keys(before)])].filter((p) => now[p] !== before[p]).sort();
    if (changed.length > 0) out.push({ node: n.id, name: n.name, files: now, changed });
  }
  return out;
}
