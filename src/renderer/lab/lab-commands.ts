// Lab verbs for the pane and the help panel: Submit (one file with the student's network,
// shell work and their check results, gradeable by `virtnet grade`), the teacher's test
// runs (answer must pass, student version should fail), export of the student version,
// turning a network into a lab, and edits of the lab section (one undo step each).
import { studentVersion } from '../../emulator/lab/student';
import { serializeTopology } from '../../emulator/topology/formats';
import type { TopologyDoc } from '../../emulator/topology/document';
import type { LabDoc } from '../../emulator/topology/lab';
import type { AppServices } from '../app-context';
import { decodeTopology } from '../file/doc-codec';
import type { DocStore } from '../store/doc-store';
import type { LabGrader, LabStore, TeacherRun } from './lab-store';

const baseName = (s: AppServices) => s.docStore.getState().file.name.replace(/(\.answer|\.student|-submission)*\.(vnet|imn)$/i, '') || 'lab';

/** A file name part from a student's name: letters, digits, - and _ only. */
export function fileSafe(name: string): string {
  return name.trim().replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'student';
}

/** The submission: the document with who submitted it and the results their run showed (kept, never trusted). */
export function submissionDoc(doc: TopologyDoc, student: string, labStore: LabStore): TopologyDoc {
  if (!doc.lab) return doc;
  const r = labStore.getState().result;
  const results = r ? { score: r.score, max: r.max, checks: Object.fromEntries(r.checks.map((c) => [c.id, c.passed])), violations: r.violations } : {};
  return { ...doc, lab: { ...doc.lab, student: student.trim(), results } };
}

/** Writes the submission (browser: a download; Electron: the save dialog); returns where, or null if cancelled. */
export async function submitWork(s: AppServices, labStore: LabStore, student: string): Promise<string | null> {
  const doc = submissionDoc(s.docStore.getState().doc, student, labStore);
  const where = await s.files.saveAs(`${baseName(s)}-${fileSafe(student)}-submission.vnet`, (name) => serializeTopology(doc, name));
  return where?.name ?? null;
}

export async function exportStudentVersion(s: AppServices): Promise<string | null> {
  const doc = studentVersion(s.docStore.getState().doc);
  const where = await s.files.saveAs(`${baseName(s)}.student.vnet`, (name) => serializeTopology(doc, name));
  return where?.name ?? null;
}

/**
 * The teacher's test runs: the open network (the answer) must pass every check and the
 * student version (hidden fields stripped) should fail some; both graded like a submission.
 */
export async function teacherTest(docStore: DocStore, labStore: LabStore, grader: LabGrader, answer?: TopologyDoc): Promise<void> {
  const doc = docStore.getState().doc;
  if (!doc.lab) return;
  const start = studentVersion(doc);
  const run = async (what: TeacherRun['what'], work: TopologyDoc): Promise<TeacherRun> => {
    try {
      // A network's own shell work counts, as in grading (the student version has none).
      return { what, result: await grader({ lab: doc.lab!, start, work, commands: work.lab?.work?.commands ?? [] }), error: null };
    } catch (err) {
      return { what, result: null, error: err instanceof Error ? err.message : String(err) };
    }
  };
  labStore.setState({ teacherRuns: [] });
  labStore.setState({ teacherRuns: [await run('answer', answer ?? doc), await run('start', start)] });
}

/** Picks an answer file and runs the teacher's tests with it. */
export async function teacherTestFile(s: AppServices, labStore: LabStore, grader: LabGrader): Promise<void> {
  const f = await s.files.open();
  if (!f) return;
  const r = decodeTopology(f.text, f.name);
  if (!r.ok) {
    s.uiStore.getState().showBanner({ tone: 'error', title: `Cannot open ${f.name}`, detail: r.errors.join('\n') });
    return;
  }
  await teacherTest(s.docStore, labStore, grader, r.doc);
}

export function newLab(title: string): LabDoc {
  return { title, instructions: `# ${title}\n\nDescribe the task here.\n`, checks: [], locks: { kinds: true, links: true } };
}

/** Makes the open network a lab (teacher mode then edits it). */
export function makeLab(docStore: DocStore): string | null {
  return docStore.getState().edit((d) => (d.lab ? d : { ...d, lab: newLab('New lab') }));
}

/** Changes the lab section as one undo step; `fn` may refuse with a message. */
export function editLab(docStore: DocStore, fn: (lab: LabDoc, doc: TopologyDoc) => LabDoc | string): string | null {
  return docStore.getState().edit((d) => {
    if (!d.lab) return { error: 'this network has no lab section' };
    const r = fn(d.lab, d);
    return typeof r === 'string' ? { error: r } : r === d.lab ? d : { ...d, lab: r };
  });
}
