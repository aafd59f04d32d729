// One node terminal: an xterm.js view bound to a shell session through the shell hub,
// with line editing from line-editor.ts. Must not interpret commands (the engine's shell
// does) nor buffer output itself (the hub does, so hidden tabs lose nothing).
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { LineEditor } from './line-editor';
import type { RunStore } from './run-store';

export function TerminalView({ store, session, visible }: { store: RunStore; session: number; visible: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
      fontSize: 13,
      cursorBlink: true,
      convertEol: false,
      scrollback: 5000,
      theme: { background: '#111827', foreground: '#e5e7eb' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(ref.current!);
    fitRef.current = fit;
    termRef.current = term;
    const editor = new LineEditor(store.shells.prompt(session));
    editor.busy = store.shells.isBusy(session);
    const detach = store.shells.attach(session, {
      write: (t) => term.write(t),
      done: (_code, prompt) => {
        editor.busy = false;
        editor.setPrompt(prompt);
        term.write(prompt);
      },
    });
    const sub = term.onData((data) => {
      const out = editor.feed(data);
      if (out.write) term.write(out.write);
      for (const a of out.actions) {
        if (a.kind === 'submit') {
          if (a.line.trim() === '') {
            term.write(store.shells.prompt(session));
            continue;
          }
          editor.busy = true;
          void store.getState().exec(session, a.line);
        } else if (a.kind === 'interrupt') {
          void store.getState().interrupt(session);
        } else if (a.kind === 'clear') {
          term.clear();
        }
      }
    });
    (ref.current as HTMLDivElement & { __term?: Terminal }).__term = term;
    return () => {
      sub.dispose();
      detach();
      term.dispose();
      termRef.current = null;
    };
  }, [store, session]);

  useEffect(() => {
    if (!visible) return;
    const fitNow = () => {
      try {
        fitRef.current?.fit();
      } catch {
        /* not laid out yet */
      }
    };
    fitNow();
    termRef.current?.focus();
    const ro = new ResizeObserver(fitNow);
    ro.observe(ref.current!);
    return () => ro.disconnect();
  }, [visible]);

  return <div className="run-terminal" ref={ref} data-testid={`terminal-${session}`} data-session={session} />;
}
