// Grades one network against a lab: checks the locks against the lab's starting network,
// starts the network headless (fixed seed), captures where packet checks look, runs the
// lab's setup commands and then the student's own shell commands (their work record, which
// configures the network as typing them did), then evaluates every check (packet checks
// last, so they see the whole run). The checks are the teacher's; stored results never count.

import type { Capture } from '../engine/capture';
import { World } from '../engine/world';
import type { TopologyDoc } from '../topology/document';
import type { LabCommand, LabDoc } from '../topology/lab';
import { checkCommand, evaluateCheck, settle, type EvalContext } from './evaluate';
import { lockViolations } from './locks';

export interface CheckResult {
  id: string;
  title: string;
  points: number;
  earned: number;
  passed: boolean;
  detail: string;
}

export interface GradeResult {
  score: number;
  max: number;
  checks: CheckResult[];
  /** Locked parts the network changed; any one makes the score 0. */
  violations: string[];
}

/** Seed of every graded run: the same network always grades the same. */
export const GRADE_SEED = 1;

/**
 * Virtual time a replayed student command may run before it is interrupted (like Ctrl-C):
 * a `ping` without `-c` sends this many seconds of echoes, not forever.
 */
export const REPLAY_COMMAND_LIMIT_NS = 10e9;

export function maxPoints(lab: LabDoc): number {
  return lab.checks.reduce((s, c) => s + c.points, 0);
}

/**
 * Grade `work` (the student's network; its own `lab`, if any, is ignored) against `lab`,
 * whose starting network is `start`, after replaying the student's shell `commands` in
 * order. Throws only if the engine cannot build the network.
 */
export function gradeNetwork(lab: LabDoc, start: TopologyDoc, work: TopologyDoc, commands: readonly LabCommand[] = []): GradeResult {
  const captures = new Map<string, Capture>();
  const wanted = new Set(lab.checks.flatMap((c) => (c.predicate.type === 'packet' ? [c.predicate.at] : [])));
  const world = new World({ ...work, lab: undefined }, {
    seed: GRADE_SEED,
    onWired: (w) => {
      for (const at of wanted) {
        const k = at.indexOf(':');
        const node = w.nodeByName(at.slice(0, k));
        if (!node || !node.ifaceNames.includes(at.slice(k + 1))) continue;
        captures.set(at, w.startCapture({ kind: 'iface', node: node.id, iface: at.slice(k + 1) }));
      }
    },
  });
  const ctx: EvalContext = { world, captures };
  for (const s of lab.setup ?? []) {
    const n = world.nodeByName(s.node);
    if (n && (n.stack || n.bridge)) checkCommand(ctx, n.id, s.command);
  }
  for (const c of commands) {
    const n = world.nodeByName(c.node);
    if (n && (n.stack || n.bridge)) checkCommand(ctx, n.id, c.command, REPLAY_COMMAND_LIMIT_NS);
  }
  settle(ctx, lab.settleS ?? 0);
  const order = [...lab.checks.keys()].sort((a, b) => Number(lab.checks[a]!.predicate.type === 'packet') - Number(lab.checks[b]!.predicate.type === 'packet'));
  const results: CheckResult[] = new Array(lab.checks.length);
  for (const i of order) {
    const c = lab.checks[i]!;
    const o = evaluateCheck(ctx, c.predicate);
    results[i] = { id: c.id, title: c.title, points: c.points, earned: o.passed ? c.points : 0, passed: o.passed, detail: o.detail };
  }
  for (const cap of captures.values()) cap.finish();
  const violations = lockViolations(lab.locks, start, work);
  const earned = results.reduce((s, r) => s + r.earned, 0);
  return { score: violations.length ? 0 : earned, max: maxPoints(lab), checks: results, violations };
}
