// The dialog Stop opens when shells or captures hold work that was never saved, or node
// files changed while running: save it (transcripts as .txt, captures as .pcapng, the
// ticked nodes' files into the document) and stop, stop without saving, or keep running.
// Escape keeps running. An in-app dialog, never window.confirm.
import { useEffect, useRef, useState } from 'react';
import type { StopPrompt } from './run-state';

/** Paths listed per node before "and N more". */
const PATHS_SHOWN = 4;

export function StopDialog({ prompt, canSave, onAnswer }: { prompt: StopPrompt; canSave: boolean; onAnswer(a: 'save' | 'discard' | 'cancel', keepFiles?: readonly string[]): void }) {
  const first = useRef<HTMLButtonElement>(null);
  const [keep, setKeep] = useState<ReadonlySet<string>>(() => new Set(prompt.files.map((f) => f.node)));
  useEffect(() => {
    first.current?.focus();
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onAnswer('cancel');
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onAnswer]);
  const lost = prompt.shells.length + prompt.captures.length > 0;
  const files = prompt.files.length > 0;
  // Keeping files needs no file saver; transcripts and captures do.
  const showSave = canSave || (files && !lost);
  const saveLabel = lost ? (files ? 'Save, keep ticked files and stop' : 'Save and stop') : 'Keep ticked files and stop';
  const toggle = (node: string) =>
    setKeep((k) => {
      const next = new Set(k);
      if (!next.delete(node)) next.add(node);
      return next;
    });
  return (
    <div className="run-dialog-backdrop">
      <div className="run-dialog" role="dialog" aria-modal="true" aria-labelledby="run-stop-title" data-testid="stop-dialog">
        <h3 id="run-stop-title">Stop the network?</h3>
        {lost ? (
          <>
            <p>Stopping throws these away:</p>
            <ul>
              {prompt.shells.map((s) => (
                <li key={`s${s.session}`}>Shell transcript of {s.nodeName}</li>
              ))}
              {prompt.captures.map((c) => (
                <li key={`c${c.id}`}>
                  Capture {c.name} ({c.frames} frame{c.frames === 1 ? '' : 's'} not saved)
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {files ? (
          <>
            <p>Files changed on these nodes while running. Ticked ones are kept in the document:</p>
            <ul className="run-dialog-files" data-testid="stop-files">
              {prompt.files.map((f) => (
                <li key={f.node}>
                  <label>
                    <input type="checkbox" checked={keep.has(f.node)} onChange={() => toggle(f.node)} data-testid={`stop-keep-${f.nodeName}`} /> {f.nodeName}:{' '}
                    <span className="run-dialog-paths">
                      {f.changed.slice(0, PATHS_SHOWN).join(', ')}
                      {f.changed.length > PATHS_SHOWN ? ` and ${f.changed.length - PATHS_SHOWN} more` : ''}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <div className="run-dialog-buttons">
          {showSave ? (
            <button ref={first} className="primary" onClick={() => onAnswer('save', [...keep])} data-testid="stop-save">{saveLabel}</button>
          ) : null}
          <button ref={showSave ? undefined : first} onClick={() => onAnswer('discard')} data-testid="stop-discard">Stop without saving</button>
          <button onClick={() => onAnswer('cancel')} data-testid="stop-cancel">Keep running</button>
        </div>
      </div>
    </div>
  );
}
