// What a student is given and shown, for the editor's teacher and student modes (issue 13):
// the student version of a lab (hidden fields and any answer stripped from the teacher's
// network) and the hints released by failed attempts. Pure; never touches the checks.

import type { TopologyDoc } from '../topology/document';
import type { LabDoc, LabHint } from '../topology/lab';

/**
 * The student version of `doc` (a teacher's answer network carrying the lab): every hidden
 * field emptied, and no submission metadata (student, results).
 */
export function studentVersion(doc: TopologyDoc): TopologyDoc {
  // A document is plain JSON values (document.ts), so a JSON round trip is a deep copy.
  const out = JSON.parse(JSON.stringify(doc)) as TopologyDoc;
  const lab = out.lab;
  if (!lab) return out;
  delete lab.student;
  delete lab.results;
  for (const h of lab.hidden ?? []) {
    const n = out.nodes.find((x) => x.name === h.node);
    if (!n) continue;
    if (h.field === 'routes4') n.routes4 = [];
    else for (const f of n.interfaces) if (h.iface === undefined || f.name === h.iface) f.ipv4 = [];
  }
  return out;
}

/** Hints to show, given how many times each check (by id) has failed so far. */
export function releasedHints(lab: LabDoc, failures: Readonly<Record<string, number>>): LabHint[] {
  return (lab.hints ?? []).filter((h) => (failures[h.check] ?? 0) >= h.afterFailures);
}
