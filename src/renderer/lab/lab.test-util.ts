// Test support for the lab's renderer tests: a shipped lab (as the app bundles it), and
// the grader the engine worker runs (gradeNetwork), called directly.
import { gradeNetwork } from '../../emulator/lab/grade';
import { parseTopology } from '../../emulator/topology/formats';
import type { TopologyDoc } from '../../emulator/topology/document';
import type { LabGrader } from './lab-store';
import { SHIPPED_LABS } from './shipped-labs';

export function loadLab(file: string): TopologyDoc {
  const text = SHIPPED_LABS.find((l) => l.name === file)?.text ?? '';
  const r = parseTopology(text, file);
  if (!('doc' in r)) throw new Error(r.errors[0]!.message);
  return r.doc;
}

export const directGrader: LabGrader = async (req) => gradeNetwork(req.lab, req.start, req.work, req.commands);
