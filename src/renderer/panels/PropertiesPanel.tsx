// The right-hand panel: properties of the single selected node, link or annotation, a
// summary for multi-selection, and help when nothing is selected.
import { useDoc, useServices } from '../app-context';
import * as C from '../commands';
import { makeLab } from '../lab/lab-commands';
import { SHIPPED_LABS } from '../lab/shipped-labs';
import { labSession } from '../lab/use-lab';
import * as A from '../store/editor-actions';
import { Field } from './Field';
import { LinkProperties } from './LinkProperties';
import { NodeProperties } from './NodeProperties';

const SAMPLE_TITLES: [C.SampleName, string][] = [
  ['two-pcs-switch.vnet', 'Two PCs on a switch'],
  ['pc-router-pc.vnet', 'PC – router – PC'],
  ['router-chain-4.vnet', 'A chain of four routers'],
  ['office-two-lans.vnet', 'Office: two LANs, a switch, a hub and a router'],
];

export function PropertiesPanel({ locked }: { locked: boolean }) {
  const services = useServices();
  const { docStore } = services;
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
        {(a.kind === 'rectangle' || a.kind === 'oval') && <AnnotationSize coords={a.coords} disabled={locked} resize={(coords) => A.updateAnnotation(docStore, a.id, { coords })} />}
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
        <h3>Or start from a sample lab</h3>
        <div className="sample-list">
          {SAMPLE_TITLES.map(([name, title]) => (
            <button key={name} type="button" className="sample" data-testid={`sample-${name.replace('.vnet', '')}`} disabled={locked} onClick={() => void C.openSample(services, name)}>
              {title}
            </button>
          ))}
        </div>
        <h3>Teaching labs</h3>
        <div className="sample-list" data-testid="lab-list">
          {SHIPPED_LABS.map((l) => (
            <button key={l.name} type="button" className="sample" data-testid={`lab-open-${l.name.replace('.vnet', '')}`} disabled={locked} onClick={() => void C.openShippedLab(services, l.name, l.text)}>
              {l.title}
            </button>
          ))}
          {!doc.lab && (
            <button
              type="button"
              className="sample"
              data-testid="lab-make"
              disabled={locked}
              title="Add instructions, checks and locks to this network (teacher mode)"
              onClick={() => {
                if (!makeLab(docStore)) labSession()?.setMode('teacher');
              }}
            >
              Make this network a lab…
            </button>
          )}
        </div>
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

/** Width and height of a rectangle or oval, resized from its top-left corner. */
function AnnotationSize({ coords, disabled, resize }: { coords: number[]; disabled: boolean; resize: (coords: number[]) => string | null }) {
  const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = coords;
  const left = Math.min(x1, x2);
  const top = Math.min(y1, y2);
  const size = (text: string, axis: 'w' | 'h'): string | null => {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) return `"${text}" is not a number`;
    if (n < 8) return 'size must be at least 8 px';
    const w = axis === 'w' ? n : Math.abs(x2 - x1);
    const h = axis === 'h' ? n : Math.abs(y2 - y1);
    return resize([left, top, left + w, top + h]);
  };
  return (
    <>
      <Field label="Width" unit="px" value={String(Math.round(Math.abs(x2 - x1)))} disabled={disabled} testId="annotation-width" commit={(t) => size(t, 'w')} />
      <Field label="Height" unit="px" value={String(Math.round(Math.abs(y2 - y1)))} disabled={disabled} testId="annotation-height" commit={(t) => size(t, 'h')} />
    </>
  );
}
