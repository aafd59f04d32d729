// The right-hand panel: properties of the single selected node, link or annotation, a
// summary for multi-selection, and help when nothing is selected.
import { useDoc, useServices } from '../app-context';
import * as A from '../store/editor-actions';
import { Field } from './Field';
import { LinkProperties } from './LinkProperties';
import { NodeProperties } from './NodeProperties';

export function PropertiesPanel({ locked }: { locked: boolean }) {
  const { docStore } = useServices();
  const sel = useDoc((s) => s.selection);
  const doc = useDoc((s) => s.doc);
  const total = sel.nodes.length + sel.links.length + sel.annotations.length;
  let body: React.ReactNode;
  if (total === 1 && sel.nodes[0]) {
    const node = doc.nodes.find((n) => n.id === sel.nodes[0]);
    body = node && <NodeProperties node={node} locked={locked} />;
  } else if (total === 1 && sel.links[0]) {
    const link = doc.links.find((l) => l.id === sel.links[0]);
    body = link && <LinkProperties link={link} running={locked} />;
  } else if (total === 1 && sel.annotations[0]) {
    const a = doc.annotations.find((x) => x.id === sel.annotations[0]);
    body = a && (
      <section className="props" data-testid="annotation-props">
        <h2>Annotation <span className="muted">{a.kind}</span></h2>
        <Field label={a.kind === 'text' ? 'Text' : 'Caption'} value={a.label ?? ''} disabled={locked} testId="annotation-label" commit={(t) => A.updateAnnotation(docStore, a.id, { label: t })} />
        <Field label="Colour" value={a.color ?? ''} disabled={locked} commit={(t) => A.updateAnnotation(docStore, a.id, { color: t })} />
        {a.kind !== 'text' && <Field label="Fill" value={a.fill ?? ''} disabled={locked} commit={(t) => A.updateAnnotation(docStore, a.id, { fill: t })} />}
      </section>
    );
  } else if (total > 1) {
    body = (
      <section className="props">
        <h2>{total} selected</h2>
        <p className="muted small">
          {sel.nodes.length} nodes, {sel.links.length} links, {sel.annotations.length} annotations. Delete removes them; Ctrl+D duplicates the nodes; the toolbar aligns them.
        </p>
      </section>
    );
  } else {
    body = (
      <section className="props help">
        <h2>Build a network</h2>
        <ol className="small">
          <li>Pick a node kind on the left, click the canvas to place it (Esc to stop).</li>
          <li>Choose the link tool (L) and drag from one node to another.</li>
          <li>Click a node or link to edit it here. Addresses are assigned as IMUNES does.</li>
          <li>Shift-drag selects a box; Ctrl+Z / Ctrl+Shift+Z undo and redo.</li>
        </ol>
        <div className="stats muted small">
          {doc.nodes.length} nodes · {doc.links.length} links
        </div>
      </section>
    );
  }
  return (
    <aside className="side-panel" aria-label="Properties">
      {body}
    </aside>
  );
}
