// The dialog Stop opens when shells or captures hold work that was never saved: save it
// (transcripts as .txt, captures as .pcapng) and stop, stop without saving, or keep
// running. Escape keeps running. An in-app dialog, never window.confirm.
import { useEffect, useRef } from 'react';
import type { StopPrompt } from './run-state';

export function StopDialog({ prompt, canSave, onAnswer }: { prompt: StopPrompt; canSave: boolean; onAnswer(a: 'save' | 'discard' | 'cancel'): void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onAnswer('cancel');
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onAnswer]);
  return (
    <div className="run-dialog-backdrop">
      <div className="run-dialog" role="dialog" aria-modal="true" aria-labelledby="run-stop-title" data-testid="stop-dialog">
        <h3 id="run-stop-title">Stop the network?</h3>
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
        <div className="run-dialog-buttons">
          {canSave ? (
            <button ref={first} className="primary" onClick={() => onAnswer('save')} data-testid="stop-save">Save and stop</button>
          ) : null}
          <button ref={canSave ? undefined : first} onClick={() => onAnswer('discard')} data-testid="stop-discard">Stop without saving</button>
          <button onClick={() => onAnswer('cancel')} data-testid="stop-cancel">Keep running</button>
        </div>
      </div>
    </div>
  );
}
