// Renames a node in place: a text box over the node's name (opened by a double-click or
// the node's menu). Enter or leaving the box applies; Escape cancels; a name refused on
// Enter stays open with the reason. Edits only through editor-actions.
import { useEffect, useRef, useState } from 'react';
import { useServices, useUi } from '../app-context';
import * as A from '../store/editor-actions';
import { nodeKey } from './patch';

export function InlineRename() {
  const { docStore, uiStore, cyRef } = useServices();
  const id = useUi((u) => u.renaming);
  const node = id ? docStore.getState().doc.nodes.find((n) => n.id === id) : undefined;
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [, redraw] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);

  useEffect(() => {
    if (!node) return;
    setDraft(node.name);
    setError(null);
    done.current = false;
    requestAnimationFrame(() => input.current?.select());
    // Follow the node when the view moves.
    const cy = cyRef.current;
    const onView = () => redraw((n) => n + 1);
    cy?.on('viewport', onView);
    return () => void cy?.off('viewport', onView);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const cy = cyRef.current;
  if (!node || !cy) return null;
  const el = cy.getElementById(nodeKey(node.id));
  if (el.empty()) return null;
  const at = el.renderedPosition();
  const close = () => {
    done.current = true;
    uiStore.getState().setRenaming(null);
  };
  /** Enter keeps a refused name open to fix; leaving the box gives up, saying why. */
  const apply = (leaving: boolean) => {
    if (done.current) return;
    const name = draft.trim();
    if (name === node.name) return close();
    const why = A.renameNode(docStore, node.id, name);
    if (!why) return close();
    if (!leaving) return setError(why);
    close();
    uiStore.getState().showBanner({ tone: 'error', title: `Cannot rename ${node.name}`, detail: why });
  };
  return (
    // Over the name where the label layer put it (below the icon unless moved).
    <div className="inline-rename" style={{ left: at.x + Number(el.data('nameDx') ?? 0) * cy.zoom(), top: at.y + (Number(el.data('nameDy') || 34) - 12) * cy.zoom() }}>
      <input
        ref={input}
        value={draft}
        aria-label={`New name for ${node.name}`}
        data-testid="inline-rename"
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply(false);
          else if (e.key === 'Escape') close();
          e.stopPropagation();
        }}
        onBlur={() => apply(true)}
      />
      {error && <div className="inline-rename-error" role="alert">{error}</div>}
    </div>
  );
}
