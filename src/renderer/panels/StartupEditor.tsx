// A node's startup configuration (shell lines run at Start) in a monospace textarea: saved
// to NodeDoc.startup on blur through an undoable edit, and checked as it is typed with the
// shell's own parsers, each problem shown as `line N: message` under it.
import { useEffect, useId, useMemo, useState } from 'react';
import type { NodeDoc } from '../../emulator/topology/document';
import { checkStartup } from '../../emulator/engine/startup-check';
import { useServices } from '../app-context';
import * as A from '../store/editor-actions';

/** Text → lines as stored: a trailing newline adds no empty line. */
export function startupLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function StartupEditor({ node, locked }: { node: NodeDoc; locked: boolean }) {
  const { docStore } = useServices();
  const id = useId();
  const value = (node.startup ?? []).join('\n');
  const [draft, setDraft] = useState(value);
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value);
    setRefused(null);
  }, [value]);
  const problems = useMemo(() => checkStartup(startupLines(draft)), [draft]);
  const apply = () => {
    if (draft === value) return;
    setRefused(A.setStartup(docStore, node.id, startupLines(draft)));
  };
  return (
    <div className={`field startup${problems.length > 0 || refused ? ' invalid' : ''}`}>
      <label htmlFor={id}>Shell lines run at Start (ipfw, iptables, route…)</label>
      <textarea
        id={id}
        className="mono startup-text"
        rows={Math.min(12, Math.max(4, startupLines(draft).length + 1))}
        value={draft}
        disabled={locked}
        spellCheck={false}
        wrap="off"
        placeholder="ipfw add 100 allow ip from any to any"
        aria-invalid={problems.length > 0}
        data-testid="node-startup"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(value);
        }}
      />
      {refused ? <div className="field-error" role="alert">{refused}</div> : null}
      {problems.length > 0 ? (
        <ul className="startup-problems" data-testid="node-startup-errors">
          {problems.map((p) => <li key={p.line} className="field-error mono">line {p.line}: {p.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
