// `virtnet grade LAB SUBMISSION... [--csv OUT]`: re-runs every check of LAB on every
// submission headless and writes a gradebook (student, score, max, one column per check,
// time, error). Of a submission's own lab section only the shell work (lab.work.commands,
// replayed as typed) is read; its stored results or edited checks cannot fake a pass. A bad
// submission gets its located error in its row, and grading goes on with the others.

import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { gradeNetwork, maxPoints, type GradeResult } from '../emulator/lab/grade';
import { submissionWork } from '../emulator/lab/student';
import { oneLine } from '../emulator/topology/diagnostics';
import type { TopologyDoc } from '../emulator/topology/document';
import type { LabDoc } from '../emulator/topology/lab';
import { writeFileAtomicSync } from '../shared/node/atomic-write';
import { CLI_EXIT, CliError, type CliIo } from './io';
import { loadTopology, readText } from './load';
import { checkOutputPath } from './outputs';

export interface GradeRow {
  file: string;
  student: string;
  time: string;
  result?: GradeResult;
  error?: string;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The student's name: the submission's lab.student if it is a sane one-line name, else the file name. */
export function studentName(file: string, text: string): string {
  try {
    const s = (JSON.parse(text) as { lab?: { student?: unknown } })?.lab?.student;
    if (typeof s === 'string' && s.trim() && s.length <= 256 && !CONTROL.test(s)) return s.trim();
  } catch {
    // Not JSON (an .imn file) or broken: the file name it is.
  }
  return basename(file).replace(/(\.answer)?\.(vnet|imn)$/i, '');
}

/** A CSV cell (RFC 4180), with a leading = + - @ defused so a spreadsheet shows text, not a formula. */
function cell(x: string | number): string {
  let s = String(x);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradebookCsv(lab: LabDoc, rows: readonly GradeRow[]): string {
  const head = ['student', 'score', 'max', ...lab.checks.map((c) => c.id), 'time', 'error'];
  const lines = rows.map((r) => {
    const checks = lab.checks.map((_, i) => (r.result ? r.result.checks[i]!.earned : ''));
    const error = r.error ?? (r.result?.violations.length ? `locked parts changed: ${r.result.violations.join('; ')}` : '');
    return [r.student, r.result?.score ?? '', maxPoints(lab), ...checks, r.time, error].map(cell).join(',');
  });
  return [head.map(cell).join(','), ...lines].join('\n') + '\n';
}

function report(rows: readonly GradeRow[]): string {
  return rows.map((r) => {
    if (!r.result) return `${r.student}: not graded: ${r.error}\n`;
    const lines = [`${r.student}: ${r.result.score}/${r.result.max}`];
    for (const v of r.result.violations) lines.push(`  locked: ${v}`);
    for (const c of r.result.checks) lines.push(`  ${c.passed ? 'pass' : 'FAIL'} ${c.id} (${c.earned}/${c.points}): ${c.detail}`);
    return lines.join('\n') + '\n';
  }).join('');
}

function gradeOne(lab: LabDoc, start: TopologyDoc, file: string): GradeRow {
  let text = '';
  let time = '';
  try {
    text = readText(file);
    time = new Date(statSync(file).mtimeMs).toISOString();
    const { doc } = loadTopology(file, { dropLab: true }, text);
    const w = submissionWork(text);
    if ('error' in w) return { file, student: studentName(file, text), time, error: `${oneLine(file, 1000)}:${w.line}: ${oneLine(w.error)}` };
    return { file, student: studentName(file, text), time, result: gradeNetwork(lab, start, doc, w.work?.commands ?? []) };
  } catch (err) {
    const student = studentName(file, text);
    if (err instanceof CliError) return { file, student, time, error: oneLine(err.message, 2000) };
    return { file, student, time, error: `${oneLine(file, 1000)}:1: the engine cannot start this network: ${oneLine(String((err as Error)?.message ?? err))}` };
  }
}

export function gradeCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { csv: { type: 'string' } } });
  if (positionals.length < 2) throw new CliError('grade: usage: virtnet grade LAB SUBMISSION... [--csv OUT]');
  const [labFile, ...subs] = positionals;
  if (values.csv !== undefined) checkOutputPath('--csv', values.csv, positionals);
  const { doc: start } = loadTopology(labFile!);
  const lab = start.lab;
  if (!lab) throw new CliError(`${labFile}:1: not a lab: the file has no "lab" section (instructions and checks)`);
  if (!lab.checks.length) throw new CliError(`${labFile}:1: the lab has no checks to grade with`);
  const rows = subs.map((f) => gradeOne(lab, start, f));
  for (const r of rows) if (r.error) io.stderr(`virtnet: ${r.error}\n`);
  const csv = gradebookCsv(lab, rows);
  if (values.csv !== undefined) {
    try {
      writeFileAtomicSync(values.csv, csv);
    } catch (err) {
      throw new CliError(`${values.csv}: cannot write: ${(err as Error).message}`);
    }
    io.stdout(report(rows));
  } else io.stdout(csv);
  return rows.some((r) => r.error) ? CLI_EXIT.BAD_INPUT : CLI_EXIT.OK;
}
