// One node terminal: an xterm.js view bound to a shell session through the shell hub, with
// line editing, type-ahead and Tab completion from terminal-controller.ts. Must not interpret
// commands (the engine's shell does) nor buffer output itself (the hub does, so hidden tabs
// lose nothing).
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { TerminalController } from './terminal-controller';
import type { RunStore } from './run-store';

export function TerminalView({ store, session, visible }: { store: RunStore; session: number; visible: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const ctlRef = useRef<TerminalController | null>(null);

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
    const ctl = new TerminalController(
      (t) => term.write(t),
      {
        exec: (line) => void store.getState().exec(session, line),
        interrupt: () => void store.getState().interrupt(session),
        suspend: () => void store.getState().suspend(session),
        stdin: (text) => void store.getState().input(session, text),
        complete: (line, cursor) => store.getState().complete(session, line, cursor),
        clear: () => term.clear(),
      },
      store.shells.prompt(session),
      store.shells.isBusy(session),
      store.shells.isReading(session),
    );
    ctlRef.current = ctl;
    const detach = store.shells.attach(session, {
      write: (t) => term.write(t),
      done: (_code, prompt) => ctl.done(prompt),
      stdin: (open) => ctl.stdin(open),
    });
    const sub = term.onData((data) => ctl.input(data));
    (ref.current as HTMLDivElement & { __term?: Terminal }).__term = term;
    return () => {
      sub.dispose();
      detach();
      ctl.dispose();
      ctlRef.current = null;
      term.dispose();
      termRef.current = null;
    };
  }, [store, session]);

  useEffect(() => {
    if (!visible) return;
    const fitNow = () => {
      try {
        fitRef.current?.fit();
        if (ctlRef.current && termRef.current) ctlRef.current.editor.columns = termRef.current.cols;
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
