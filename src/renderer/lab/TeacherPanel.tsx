// Teacher mode of the lab pane: the title and instructions with a live preview, the checks
// (built from menus in CheckBuilder, or written as JSON with hints), locks and hidden
// fields, the lab's problems as the file checker reports them, test runs against the
// answer (must pass) and the student version (should fail), and export of the student
// version. Every change is a document edit (undoable); nothing is graded here.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import * as v from 'valibot';
import { checkLab } from '../../emulator/topology/lab-check';
import { labSchema } from '../../emulator/topology/lab-schema';
import type { HiddenField, LabDoc, LabLocks } from '../../emulator/topology/lab';
import { useDoc, useServices } from '../app-context';
import { CheckBuilder } from './CheckBuilder';
import { editLab, exportStudentVersion, teacherTest, teacherTestFile } from './lab-commands';
import type { LabGrader, LabStore, TeacherRun } from './lab-store';
import { Instructions } from './LabPane';

const LOCKS: [keyof Omit<LabLocks, 'configs'>, string][] = [
  ['kinds', 'Nodes and their kinds'],
  ['links', 'Links (what is wired to what)'],
  ['positions', 'Positions on the canvas'],
  ['linkParams', 'Link parameters'],
];

function RunResult({ run }: { run: TeacherRun }) {
  const label = run.what === 'answer' ? 'Answer network' : 'Student version';
  if (!run.result) return <div className="lab-violation">{label}: {run.error}</div>;
  const r = run.result;
  const allPass = r.checks.every((c) => c.passed) && !r.violations.length;
  const good = run.what === 'answer' ? allPass && r.score === r.max : r.score < r.max;
  const verdict = run.what === 'answer' ? (good ? 'passes every check, as it must' : 'does NOT pass every check') : good ? 'fails, as it should' : 'already passes: the student has nothing to do';
  return (
    <div className={`lab-run ${good ? 'good' : 'bad'}`} data-testid={`lab-run-${run.what}`}>
      <div><strong>{label}</strong>: {r.score}/{r.max} — {verdict}</div>
      <ul>
        {r.checks.filter((c) => (run.what === 'answer' ? !c.passed : c.passed)).map((c) => (
          <li key={c.id}>{c.passed ? '✓' : '✗'} {c.id}: {c.detail}</li>
        ))}
        {r.violations.map((x) => <li key={x}>locked: {x}</li>)}
      </ul>
    </div>
  );
}

/** The checks, hints, setup commands and settle time as JSON, applied only when the lab schema accepts them. */
function JsonEditor({ lab, apply }: { lab: LabDoc; apply: (next: LabDoc) => string | null }) {
  const text = JSON.stringify({ checks: lab.checks, hints: lab.hints ?? [], setup: lab.setup ?? [], settleS: lab.settleS ?? 0 }, null, 2);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(text), [text]);
  const commit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(draft);
    } catch (err) {
      return setError(`not JSON: ${(err as Error).message}`);
    }
    const r = v.safeParse(labSchema, { ...lab, ...(parsed as object) });
    if (!r.success) {
      const i = r.issues[0];
      return setError(`${v.getDotPath(i) ?? 'lab'}: ${i.message}`);
    }
    setError(apply(r.output as LabDoc));
  };
  return (
    <details className="lab-json">
      <summary>Write checks, hints and setup as JSON</summary>
      <textarea className="startup-text" rows={12} spellCheck={false} value={draft} data-testid="lab-json" onChange={(e) => setDraft(e.target.value)} />
      <div className="lab-row">
        <button type="button" className="small-btn" data-testid="lab-json-apply" disabled={draft === text} onClick={commit}>Apply</button>
        {error && <span className="field-error">{error}</span>}
      </div>
    </details>
  );
}

function HiddenFields({ lab, set }: { lab: LabDoc; set: (hidden: HiddenField[]) => void }) {
  const nodes = useDoc((d) => d.doc.nodes);
  const hidden = lab.hidden ?? [];
  const has = (h: HiddenField) => hidden.some((x) => x.node === h.node && x.field === h.field && x.iface === h.iface);
  const toggle = (h: HiddenField) => set(has(h) ? hidden.filter((x) => !(x.node === h.node && x.field === h.field && x.iface === h.iface)) : [...hidden, h]);
  return (
    <div className="lab-grid">
      {nodes.filter((n) => n.interfaces.some((f) => f.type !== 'lo')).map((n) => (
        <div key={n.id} className="lab-hidden-node">
          <span className="lab-node-name">{n.name}</span>
          {n.interfaces.filter((f) => f.type !== 'lo').map((f) => {
            const h: HiddenField = { node: n.name, iface: f.name, field: 'ipv4' };
            return (
              <label key={f.name} className="check small">
                <input type="checkbox" checked={has(h)} onChange={() => toggle(h)} /> {f.name}
              </label>
            );
          })}
          <label className="check small">
            <input type="checkbox" checked={has({ node: n.name, field: 'routes4' })} onChange={() => toggle({ node: n.name, field: 'routes4' })} /> routes
          </label>
        </div>
      ))}
    </div>
  );
}

/** Text edited locally and written to the document once typing pauses: one undo step per burst, not per key. */
function useDraft(value: string, commit: (text: string) => void, settleMs = 600): [string, (text: string) => void] {
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (pending.current === null) setDraft(value);
  }, [value]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
    if (pending.current !== null) commit(pending.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const change = (text: string) => {
    setDraft(text);
    pending.current = text;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      const t = pending.current;
      pending.current = null;
      if (t !== null) commit(t);
    }, settleMs);
  };
  return [draft, change];
}

export function TeacherPanel({ lab, labStore, grader }: { lab: LabDoc; labStore: LabStore; grader: LabGrader }) {
  const s = useServices();
  const doc = useDoc((d) => d.doc);
  const runs = useStore(labStore, (x) => x.teacherRuns);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const problems = checkLab(lab, doc);
  const edit = (fn: (l: LabDoc) => LabDoc | string) => {
    const why = editLab(s.docStore, fn);
    if (why) s.uiStore.getState().showBanner({ tone: 'error', title: 'Lab', detail: why });
    return why;
  };
  const [instructions, setInstructions] = useDraft(lab.instructions, (t) => edit((l) => ({ ...l, instructions: t })));
  const [title, setTitle] = useDraft(lab.title, (t) => t.trim() && edit((l) => ({ ...l, title: t })));
  const locks = lab.locks ?? {};
  const setLocks = (patch: Partial<LabLocks>) => edit((l) => ({ ...l, locks: { ...locks, ...patch } }));
  const test = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lab-body teacher" data-testid="lab-teacher">
      <div className="field">
        <label htmlFor="lab-title">Title</label>
        <div className="field-input">
          <input id="lab-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </div>
      </div>
      <h3 className="lab-section">Instructions (Markdown)</h3>
      <textarea className="startup-text lab-editor" rows={8} spellCheck data-testid="lab-instructions-editor" value={instructions} onChange={(e) => setInstructions(e.target.value)} />
      <div className="lab-preview-label muted small">Preview</div>
      <div className="lab-preview">
        <Instructions markdown={instructions} testId="lab-preview" />
      </div>

      <h3 className="lab-section">Checks ({lab.checks.length}, {lab.checks.reduce((n, c) => n + c.points, 0)} points)</h3>
      <ul className="lab-checks">
        {lab.checks.map((c) => (
          <li key={c.id} className="lab-check teacher" data-testid="lab-teacher-check">
            <span className="lab-check-mark" aria-hidden>•</span>
            <div className="lab-check-body">
              <div className="lab-check-title"><span>{c.title}</span><span className="lab-points">{c.points} pt</span></div>
              <div className="lab-check-detail mono">{c.id}: {c.predicate.type}</div>
            </div>
            <button type="button" className="icon-btn" title={`Remove check ${c.id}`} onClick={() => edit((l) => ({ ...l, checks: l.checks.filter((x) => x.id !== c.id), hints: l.hints?.filter((h) => h.check !== c.id) }))}>✕</button>
          </li>
        ))}
      </ul>
      <CheckBuilder lab={lab} add={(check) => edit((l) => (l.checks.some((x) => x.id === check.id) ? `a check with id "${check.id}" exists` : { ...l, checks: [...l.checks, check] }))} />
      <JsonEditor lab={lab} apply={(next) => edit((l) => ({ ...l, checks: next.checks, hints: next.hints, setup: next.setup, settleS: next.settleS }))} />

      <h3 className="lab-section">Locks</h3>
      {LOCKS.map(([k, label]) => (
        <label key={k} className="check">
          <input type="checkbox" data-testid={`lab-lock-${k}`} checked={!!locks[k]} onChange={(e) => setLocks({ [k]: e.target.checked })} /> {label}
        </label>
      ))}
      <div className="muted small">Configuration locked on:</div>
      <div className="lab-chips">
        {doc.nodes.map((n) => {
          const on = locks.configs?.includes(n.name) ?? false;
          return (
            <label key={n.id} className="chip">
              <input type="checkbox" checked={on} onChange={() => setLocks({ configs: on ? locks.configs!.filter((x) => x !== n.name) : [...(locks.configs ?? []), n.name] })} /> {n.name}
            </label>
          );
        })}
      </div>

      <h3 className="lab-section">Hidden from students</h3>
      <div className="muted small">Stripped from the student version: addresses (per interface) and static routes.</div>
      <HiddenFields lab={lab} set={(hidden) => edit((l) => ({ ...l, hidden }))} />

      <h3 className="lab-section">Problems</h3>
      {problems.length ? (
        <ul className="startup-problems" data-testid="lab-problems">
          {problems.map((p, i) => <li key={i} className="field-error">{p.message}</li>)}
        </ul>
      ) : (
        <div className="muted small" data-testid="lab-problems">None: the lab is valid.</div>
      )}

      <h3 className="lab-section">Test and export</h3>
      <div className="lab-row wrap">
        <button type="button" className="small-btn" data-testid="lab-test" disabled={busy || !lab.checks.length} onClick={() => void test(() => teacherTest(s.docStore, labStore, grader))}>Test this network as the answer</button>
        <button type="button" className="small-btn" disabled={busy || !lab.checks.length} onClick={() => void test(() => teacherTestFile(s, labStore, grader))}>Test an answer file…</button>
      </div>
      {busy && <div className="muted small">Running the checks…</div>}
      {runs.map((r) => <RunResult key={r.what} run={r} />)}
      <div className="lab-row wrap">
        <button type="button" className="small-btn" data-testid="lab-export-student" onClick={() => void exportStudentVersion(s).then((n) => setNote(n ? `Student version saved as ${n}` : null))}>Export student version…</button>
      </div>
      {note && <div className="lab-done small">{note}</div>}
    </div>
  );
}
