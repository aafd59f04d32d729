// A lab in the editor (issue 13): which lab the open document carries, student or teacher
// mode, the latest grade of the student's work (graded by the engine in a separate
// headless run, never here), attempts and failures that release hints, and the teacher's
// test runs against the answer and the starting network. Pure zustand (vanilla): no DOM;
// the grader is injected.
import { createStore } from 'zustand/vanilla';
import type { GradeResult } from '../../emulator/lab/grade';
import type { TopologyDoc } from '../../emulator/topology/document';
import type { LabCommand, LabDoc } from '../../emulator/topology/lab';

export type LabMode = 'student' | 'teacher';

export interface GradeRequest {
  lab: LabDoc;
  start: TopologyDoc;
  work: TopologyDoc;
  commands: LabCommand[];
}

/** Grades one network against a lab (the engine's `lab/grade`); rejects with a reason. */
export type LabGrader = (req: GradeRequest) => Promise<GradeResult>;

export interface TeacherRun {
  /** Which network was graded, as the teacher reads it. */
  what: 'answer' | 'start';
  result: GradeResult | null;
  error: string | null;
}

export interface LabState {
  mode: LabMode;
  /** The starting network the locks compare with (the document as opened). */
  start: TopologyDoc | null;
  /** The latest grade of the document, and which document it was (null: none yet). */
  result: GradeResult | null;
  gradedDoc: TopologyDoc | null;
  checking: boolean;
  error: string | null;
  /** "Check my work" presses, and failed checks by id over those presses (hints). */
  attempts: number;
  failures: Readonly<Record<string, number>>;
  teacherRuns: readonly TeacherRun[];
}

export const initialLabState = (): LabState => ({
  mode: 'student', start: null, result: null, gradedDoc: null, checking: false, error: null, attempts: 0, failures: {}, teacherRuns: [],
});

export function createLabStore() {
  return createStore<LabState>()(() => initialLabState());
}

export type LabStore = ReturnType<typeof createLabStore>;

/** Points earned so far and the lab's total. */
export function labScore(s: Pick<LabState, 'result'>, lab: LabDoc): { score: number; max: number } {
  const max = lab.checks.reduce((n, c) => n + c.points, 0);
  return { score: s.result?.score ?? 0, max };
}

/** Counts an attempt: every failed check of `r` one more failure. */
export function countAttempt(s: Pick<LabState, 'attempts' | 'failures'>, r: GradeResult): Pick<LabState, 'attempts' | 'failures'> {
  const failures = { ...s.failures };
  for (const c of r.checks) if (!c.passed) failures[c.id] = (failures[c.id] ?? 0) + 1;
  return { attempts: s.attempts + 1, failures };
}
