// The lab pane beside the canvas (issue 13): the lab's title, the score and a Student /
// Teacher switch; in student mode the rendered instructions, the live check list (green as
// checks pass, with what each looked at and why it failed), hints released by failed
// "Check my work" presses, and Submit. Teacher mode is TeacherPanel. Layout only: the
// grading is the session's, the file writing lab-commands'.
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { releasedHints } from '../../emulator/lab/student';
import type { CheckResult } from '../../emulator/lab/grade';
import type { LabDoc } from '../../emulator/topology/lab';
import { useDoc, useServices } from '../app-context';
import { submitWork } from './lab-commands';
import type { LabSession } from './lab-session';
import { labScore, type LabGrader, type LabState, type LabStore } from './lab-store';
import { renderMarkdown } from './markdown';
import { TeacherPanel } from './TeacherPanel';
import './lab.css';

export interface LabPaneProps {
  labStore: LabStore;
  session: LabSession;
  grader: LabGrader;
}

export function Instructions({ markdown, testId }: { markdown: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  // Sanitized by DOMPurify (markdown.ts): no script, style or handlers survive.
  return <div className="lab-md" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

function CheckItem({ title, points, result, hints, pending }: { title: string; points: number; result: CheckResult | undefined; hints: string[]; pending: boolean }) {
  const state = !result ? 'unknown' : result.passed ? 'pass' : 'fail';
  return (
    <li className={`lab-check ${state}${pending ? ' stale' : ''}`} data-testid="lab-check" data-state={state}>
      <span className="lab-check-mark" aria-hidden>{state === 'pass' ? '✓' : state === 'fail' ? '✗' : '…'}</span>
      <div className="lab-check-body">
        <div className="lab-check-title">
          <span>{title}</span>
          <span className="lab-points">{result?.passed ? `${points}/${points}` : `0/${points}`} pt</span>
        </div>
        {result && <div className="lab-check-detail">{result.detail}</div>}
        {hints.map((h, i) => (
          <div key={i} className="lab-hint" data-testid="lab-hint">
            <strong>Hint:</strong> {h}
          </div>
        ))}
      </div>
    </li>
  );
}

function StudentView({ lab, state, session, labStore }: { lab: LabDoc; state: LabState; session: LabSession; labStore: LabStore }) {
  const s = useServices();
  const doc = useDoc((d) => d.doc);
  const [name, setName] = useState(lab.student ?? '');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [folded, setFolded] = useState(false);
  const hints = releasedHints(lab, state.failures);
  const byId = new Map(state.result?.checks.map((c) => [c.id, c]) ?? []);
  const stale = state.gradedDoc !== doc;
  const submit = async () => {
    try {
      await session.check(false);
      const where = await submitWork(s, labStore, name);
      setSubmitted(where ? `Submitted as ${where}` : null);
    } catch (err) {
      s.uiStore.getState().showBanner({ tone: 'error', title: 'Submit', detail: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <>
      <div className="lab-split">
        <button type="button" className="lab-fold" aria-expanded={!folded} data-testid="lab-fold" onClick={() => setFolded(!folded)}>
          <span aria-hidden>{folded ? '▸' : '▾'}</span> Instructions
        </button>
        {!folded && (
          <div className="lab-body lab-instr">
            <Instructions markdown={lab.instructions} testId="lab-instructions" />
          </div>
        )}
        <div className="lab-fold static">
          Checks
          <span className="muted" data-testid="lab-attempts">{state.attempts ? `${state.attempts} attempt${state.attempts === 1 ? '' : 's'}` : ''}</span>
          <span className="muted">{state.result ? `${state.result.checks.filter((c) => c.passed).length} of ${lab.checks.length} pass` : 'checking…'}</span>
        </div>
        <div className="lab-body lab-checks-wrap">
          {state.result?.violations.map((v) => (
            <div key={v} className="lab-violation">Locked part changed (scores 0): {v}</div>
          ))}
          <ul className="lab-checks" data-testid="lab-checks">
            {lab.checks.map((c) => (
              <CheckItem key={c.id} title={c.title} points={c.points} result={byId.get(c.id)} hints={hints.filter((h) => h.check === c.id).map((h) => h.text)} pending={stale || state.checking} />
            ))}
          </ul>
          {state.error && <div className="lab-violation">Could not check: {state.error}</div>}
        </div>
      </div>
      <div className="lab-actions">
        <div className="lab-row">
          <button type="button" className="lab-primary" data-testid="lab-check-work" disabled={state.checking} title="Grade your network now; failed attempts release hints" onClick={() => void session.check(true)}>
            {state.checking ? 'Checking…' : 'Check my work'}
          </button>
          <input className="lab-name" placeholder="Your name" aria-label="Your name" data-testid="lab-student-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          <button type="button" className="small-btn" data-testid="lab-submit" disabled={!name.trim()} title={name.trim() ? 'Save one file with your network, shell work and results' : 'Type your name first'} onClick={() => void submit()}>
            Submit…
          </button>
        </div>
        {submitted && <div className="lab-done small" data-testid="lab-submitted">{submitted}</div>}
      </div>
    </>
  );
}

export function LabPane({ labStore, session, grader }: LabPaneProps) {
  const lab = useDoc((d) => d.doc.lab);
  const state = useStore(labStore);
  if (!lab) return null;
  const { score, max } = labScore(state, lab);
  const pct = max ? Math.round((100 * score) / max) : 0;
  return (
    <aside className="lab-pane" aria-label="Lab" data-testid="lab-pane" data-mode={state.mode}>
      <header className="lab-head">
        <div className="lab-title" title={lab.title}>{lab.title}</div>
        <div className="lab-modes" role="tablist">
          {(['student', 'teacher'] as const).map((m) => (
            <button key={m} type="button" role="tab" aria-selected={state.mode === m} className={`lab-mode${state.mode === m ? ' active' : ''}`} data-testid={`lab-mode-${m}`} onClick={() => session.setMode(m)}>
              {m === 'student' ? 'Student' : 'Teacher'}
            </button>
          ))}
        </div>
      </header>
      {state.mode === 'student' && (
        <div className="lab-score" data-testid="lab-score">
          <span><strong>{score}</strong> / {max} points</span>
          <progress max={100} value={pct} aria-label={`${pct}%`} />
        </div>
      )}
      {state.mode === 'student' ? <StudentView lab={lab} state={state} session={session} labStore={labStore} /> : <TeacherPanel lab={lab} labStore={labStore} grader={grader} />}
    </aside>
  );
}
