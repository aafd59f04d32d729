// Tabs for documents with several canvases (IMUNES pages): shown only when there is more
// than one; switching redraws the canvas from the store.
import { useDoc, useServices, useUi } from '../app-context';
import { activeCanvas } from '../canvas/patch';

export function CanvasTabs() {
  const { uiStore } = useServices();
  const canvases = useDoc((s) => s.doc.canvases);
  const wanted = useUi((u) => u.canvas);
  const doc = useDoc((s) => s.doc);
  if (canvases.length < 2) return null;
  const current = activeCanvas(doc, wanted);
  return (
    <div className="canvas-tabs" role="tablist" aria-label="Canvases">
      {canvases.map((c) => (
        <button key={c.id} type="button" role="tab" aria-selected={c.id === current} className={`canvas-tab${c.id === current ? ' active' : ''}`} onClick={() => uiStore.getState().setCanvas(c.id)} data-testid={`canvas-tab-${c.id}`}>
          {c.name}
        </button>
      ))}
    </div>
  );
}
