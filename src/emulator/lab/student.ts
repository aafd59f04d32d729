// What a student is given and shown, for the editor's teacher and student modes (issue 13):
// the student version of a lab (hidden fields and any answer stripped from the teacher's
// network) and the hints released by failed attempts. Pure; never touches the checks.

import * as v from 'valibot';
import type { TopologyDoc } from '../topology/document';
import type { LabDoc, LabHint, LabWork } from '../topology/lab';
import { labWorkSchema } from '../topology/lab-schema';
import { parseJsonLocated } from '../topology/json-locate';

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
  delete lab.work;
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

/**
 * The shell work of a submission's text (`lab.work`), the only part of a submission's lab
 * section the grader reads: none when absent or not JSON (an .imn file), a message naming
 * the field when malformed.
 */
export function submissionWork(text: string): { work: LabWork | null } | { error: string; line: number } {
  const j = parseJsonLocated(text);
  if (!j.ok) return { work: null };
  const w = (j.value as { lab?: { work?: unknown } } | null)?.lab?.work;
  if (w === undefined) return { work: null };
  const r = v.safeParse(labWorkSchema, w);
  if (r.success) return { work: r.output };
  const issue = r.issues[0];
  const path = ['lab', 'work', ...(issue.path ?? []).map((p) => p.key as string | number)];
  // A missing key has no place in the text: point at the object that lacks it.
  const at = issue.input === undefined ? path.slice(0, -1) : path;
  return { error: `${path.join('.')}: ${issue.message}`, line: j.locate(at).line };
}
