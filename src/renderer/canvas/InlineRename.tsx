// Renames a node in place: a text box over the node's name (opened by a double-click or
// the node's menu). Enter or leaving the box applies; Escape cancels; a name refused on
// Enter stays open with the reason. Edits only through editor-actions.
import { useEffect, useRef, useState } from 'react';
import type { Core } from 'cytoscape';
import type { NodeDoc } from '../../emulator/topology/document';
import { useServices, useUi } from '../app-context';
import * as A from '../store/editor-actions';
import { nodeKey } from './patch';

export function InlineRename() {
  const { docStore, cyRef } = useServices();
  const id = useUi((u) => u.renaming);
  const node = id ? docStore.getState().doc.nodes.find((n) => n.id === id) : undefined;
  const cy = cyRef.current;
  if (!node || !cy) return null;
  return <RenameBox key={node.id} node={node} cy={cy} />;
}

function RenameBox({ node, cy }: { node: NodeDoc; cy: Core }) {
  const { docStore, uiStore } = useServices();
  const [draft, setDraft] = useState(node.name);
  const [error, setError] = useState<string | null>(null);
  const [, redraw] = useState(0);
  const done = useRef(false);
  useEffect(() => {
    // Follow the node when the view moves.
    const onView = () => redraw((n) => n + 1);
    cy.on('viewport', onView);
    return () => void cy.off('viewport', onView);
  }, [cy]);

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
        autoFocus
        onFocus={(e) => e.target.select()}
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
