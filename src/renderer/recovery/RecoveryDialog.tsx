// Crash recovery in the editor: starts the autosave for this window and, at start-up, lists
// the work other windows left behind (crashed, killed, or closed without saving) with its
// time, offering Restore or Discard for each. Mounted once by App; owns no document logic
// beyond loading a restored document into the store.
import { useEffect, useRef, useState } from 'react';
import { useServices } from '../app-context';
import { emptyDocument } from '../../emulator/topology/document';
import { decodeTopology } from '../file/doc-codec';
import { runStore } from '../run/use-run';
import { isDirty } from '../store/doc-store';
import { hasRunOutput, type RecoverySnapshot } from '../../shared/recovery';
import { startAutosave, type Autosave } from './autosave';
import { defaultRecoveryBackend, type RecoveryBackend } from './backend';
import { holdLiveLock, liveIds, newRecoveryId } from './live';
import { runOutputText, runSourceOf } from './run-snapshot';
import './recovery.css';

interface Session {
  id: string;
  backend: RecoveryBackend;
  autosave: Autosave;
}

function describeTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function RecoveryDialog({ backend: given }: { backend?: RecoveryBackend | null }) {
  const s = useServices();
  const session = useRef<Session | null>(null);
  const [entries, setEntries] = useState<RecoverySnapshot[]>([]);
  const report = (title: string, err: unknown) => s.uiStore.getState().showBanner({ tone: 'error', title, detail: err instanceof Error ? err.message : String(err) });

  useEffect(() => {
    const backend = given === undefined ? defaultRecoveryBackend() : given;
    if (!backend) return;
    const id = newRecoveryId();
    holdLiveLock(id);
    const autosave = startAutosave({ id, docStore: s.docStore, backend, run: runSourceOf(runStore), onError: (err) => console.warn('autosave:', err) });
    session.current = { id, backend, autosave };
    let cancelled = false;
    void (async () => {
      try {
        const [all, live] = await Promise.all([backend.list(), liveIds()]);
        if (!cancelled) setEntries(all.filter((e) => e.id !== id && !live.has(e.id)));
      } catch (err) {
        report('Recovery', err);
      }
    })();
    return () => {
      cancelled = true;
      autosave.stop();
      session.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s, given]);

  if (entries.length === 0) return null;
  const forget = (e: RecoverySnapshot) => setEntries((list) => list.filter((x) => x.id !== e.id));

  const restore = async (e: RecoverySnapshot) => {
    const cur = session.current;
    if (!cur) return;
    try {
      if (isDirty(s.docStore.getState()) && !(await s.files.confirmDiscard('The topology has unsaved changes. Replace it with the recovered one?'))) return;
      const r = decodeTopology(e.docText, 'recovered.vnet');
      if (!r.ok) throw new Error(r.errors.join('\n'));
      s.uiStore.getState().setCanvas(null);
      s.docStore.getState().load(r.doc, { path: e.file.handle, name: e.file.name, format: e.file.format });
      // Unsaved before the crash, unsaved now: the last saved version is unknown, so any
      // other document stands for it and Save writes the recovered one.
      if (e.dirty) s.docStore.setState({ savedDoc: emptyDocument() });
      await cur.backend.clear(e.id);
      forget(e);
      s.uiStore.getState().showBanner({ tone: 'info', title: `Restored ${e.file.name}`, detail: `Autosaved ${describeTime(e.savedAtMs)}${e.dirty ? ' — not saved yet' : ''}` });
      await cur.autosave.flush();
    } catch (err) {
      report(`Restore ${e.file.name}`, err);
    }
  };

  const discard = async (e: RecoverySnapshot) => {
    try {
      await session.current?.backend.clear(e.id);
      forget(e);
    } catch (err) {
      report('Discard', err);
    }
  };

  const saveRunOutput = (e: RecoverySnapshot) =>
    void s.files.exportFile(`${e.file.name.replace(/\.(vnet|imn)$/i, '')}-run-output.txt`, runOutputText(e.run), 'text/plain').catch((err: unknown) => report('Save run output', err));

  return (
    <div className="recovery-backdrop">
      <div className="recovery-dialog" role="dialog" aria-modal="true" aria-labelledby="recovery-title" data-testid="recovery-dialog">
        <h2 id="recovery-title">Recover unsaved work</h2>
        <p>VirtNet stopped before this work was saved (a crash, a closed window or a stopped engine). It was autosaved:</p>
        <ul className="recovery-list">
          {entries.map((e) => (
            <li key={e.id} className="recovery-entry" data-testid="recovery-entry">
              <div className="recovery-what">
                <strong>{e.file.name}</strong>
                <span>
                  {e.nodes} node{e.nodes === 1 ? '' : 's'} · autosaved <time dateTime={new Date(e.savedAtMs).toISOString()}>{describeTime(e.savedAtMs)}</time>
                  {e.dirty ? ' · unsaved changes' : ' · run output only'}
                </span>
              </div>
              {hasRunOutput(e.run) && (
                <details>
                  <summary>
                    Run output: {e.run.terminals.length} shell{e.run.terminals.length === 1 ? '' : 's'}, {e.run.captures.length} capture{e.run.captures.length === 1 ? '' : 's'}
                  </summary>
                  <pre data-testid="recovery-run-output">{runOutputText(e.run)}</pre>
                  <button type="button" className="link-btn" onClick={() => saveRunOutput(e)}>
                    Save run output…
                  </button>
                </details>
              )}
              <div className="recovery-actions">
                <button type="button" className="primary" onClick={() => void restore(e)} data-testid="recovery-restore">
                  Restore
                </button>
                <button type="button" onClick={() => void discard(e)} data-testid="recovery-discard">
                  Discard
                </button>
              </div>
            </li>
          ))}
        </ul>
        <div className="recovery-footer">
          <button type="button" className="link-btn" onClick={() => setEntries([])} data-testid="recovery-later">
            Decide later
          </button>
        </div>
      </div>
    </div>
  );
}
