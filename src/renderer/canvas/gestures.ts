// Canvas gestures → store actions (DESIGN decision 7): place from the palette, draw links
// node→node (edgehandles), move (one undo step per drag), selection sync both ways, drop
// from the palette, right-click menus, double-click rename, and a click on a link stub
// going to the other canvas. Must not edit the document except through editor-actions.
import type { Core, EventObject, NodeSingular } from 'cytoscape';
import type { NodeKind, Point } from '../../emulator/topology/document';
import type { DocStore, Selection } from '../store/doc-store';
import * as A from '../store/editor-actions';
import type { UiStore } from '../store/ui-store';
import { activeCanvas, annotationKey, linkKey, nodeKey, parseKey } from './patch';

export const PALETTE_MIME = 'application/x-virtnet-kind';
/** Longest time between the two clicks of a double-click on a node. */
export const DOUBLE_CLICK_MS = 400;

interface EdgeHandles {
  enableDrawMode(): void;
  disableDrawMode(): void;
  disable(): void;
  enable(): void;
  destroy(): void;
}

export interface GestureDeps {
  cy: Core;
  docStore: DocStore;
  uiStore: UiStore;
  /** Cytoscape's edgehandles extension instance (absent in headless tests). */
  edgeHandles?: EdgeHandles;
  /** Whether the document is locked (network running). */
  isLocked(): boolean;
}

function snapped(ui: UiStore, p: Point): Point {
  const s = ui.getState();
  return A.snapPoint(p, s.snapToGrid ? s.gridPx : null);
}

function selectionFromCy(cy: Core): Selection {
  const sel: { nodes: string[]; links: string[]; annotations: string[] } = { nodes: [], links: [], annotations: [] };
  cy.$(':selected').forEach((el) => {
    const k = parseKey(el.id());
    if (k?.type === 'node') sel.nodes.push(k.id);
    else if (k?.type === 'link') sel.links.push(k.id);
    else if (k?.type === 'annotation') sel.annotations.push(k.id);
  });
  return sel;
}

/** Makes Cytoscape's selection equal the store's (after paste, undo, select all …). */
export function applySelection(cy: Core, sel: Selection): void {
  const want = new Set([...sel.nodes.map(nodeKey), ...sel.links.map(linkKey), ...sel.annotations.map(annotationKey)]);
  const have = cy.$(':selected');
  if (have.length === want.size && have.toArray().every((el) => want.has(el.id()))) return;
  cy.batch(() => {
    have.forEach((el) => {
      if (!want.has(el.id())) el.unselect();
    });
    for (const id of want) cy.getElementById(id).select();
  });
}

export function bindGestures(deps: GestureDeps): { dispose(): void; refresh(): void } {
  const { cy, docStore, uiStore } = deps;
  let selectionQueued = false;
  const queueSelection = () => {
    if (selectionQueued) return;
    selectionQueued = true;
    queueMicrotask(() => {
      selectionQueued = false;
      docStore.getState().select(selectionFromCy(cy));
    });
  };

  const onTap = (e: EventObject) => {
    if (e.target !== cy || deps.isLocked()) return;
    const tool = uiStore.getState().tool;
    const at = snapped(uiStore, e.position);
    // After Cytoscape's own background-tap unselect, so the new element stays selected.
    setTimeout(() => {
      const canvas = activeCanvas(docStore.getState().doc, uiStore.getState().canvas);
      if (tool.kind === 'place') A.placeNode(docStore, tool.nodeKind, at, canvas);
      else if (tool.kind === 'annotate') {
        A.addAnnotation(docStore, tool.shape, at, canvas);
        uiStore.getState().setTool({ kind: 'select' });
      }
    }, 0);
  };

  // Cytoscape fires one dragfree per grabbed element: gather them into one undo step.
  let moved: { nodes: Record<string, Point>; anns: Map<string, Point> } | null = null;
  const flushMoves = () => {
    const m = moved;
    moved = null;
    if (!m) return;
    if (!deps.isLocked() && Object.keys(m.nodes).length) A.moveNodes(docStore, m.nodes);
    // The store decides where nodes stand (snapped, or unchanged when locked or refused):
    // put the dragged elements back there even when the document did not change.
    const doc = docStore.getState().doc;
    cy.batch(() => {
      for (const id of Object.keys(m.nodes)) {
        const n = doc.nodes.find((x) => x.id === id);
        if (n) cy.getElementById(nodeKey(id)).position({ ...n.position });
      }
    });
    if (deps.isLocked()) return;
    for (const [id, p] of m.anns) {
      const a = docStore.getState().doc.annotations.find((x) => x.id === id);
      if (!a) continue;
      const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = a.coords;
      const c = a.kind === 'text' ? { x: x1, y: y1 } : { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
      const dx = p.x - c.x;
      const dy = p.y - c.y;
      A.moveAnnotation(docStore, id, a.coords.map((v, i) => (i % 2 === 0 ? v + dx : v + dy)));
    }
  };
  const onDragFree = (e: EventObject) => {
    const n = e.target as NodeSingular;
    const k = parseKey(n.id());
    if (!k) return;
    if (!moved) {
      moved = { nodes: {}, anns: new Map() };
      queueMicrotask(flushMoves);
    }
    const p = snapped(uiStore, n.position());
    if (k.type === 'node') moved.nodes[k.id] = p;
    else if (k.type === 'annotation') moved.anns.set(k.id, p);
  };

  const onEdgeComplete = (_e: EventObject, source: NodeSingular, target: NodeSingular, added: { remove(): void }) => {
    added.remove(); // the store is the truth: the patch draws the real link
    const a = parseKey(source.id());
    const b = parseKey(target.id());
    if (a?.type !== 'node' || b?.type !== 'node' || deps.isLocked()) return;
    const err = A.connectNodes(docStore, a.id, b.id);
    if (err) uiStore.getState().showBanner({ tone: 'error', title: 'Cannot link', detail: err });
  };

  const applyTool = () => {
    const tool = uiStore.getState().tool;
    const linking = tool.kind === 'link' && !deps.isLocked();
    if (linking) deps.edgeHandles?.enableDrawMode();
    else deps.edgeHandles?.disableDrawMode();
    // Nothing moves while linking (the drag draws a link) or while the network runs.
    cy.autoungrabify(linking || deps.isLocked());
    const container = cy.container();
    if (container) container.dataset['tool'] = tool.kind;
  };

  // A link stub leads to the far end: show its canvas and select the node there.
  const onStubTap = (e: EventObject) => {
    // Read before switching: the stub of the same link on the other canvas reuses this element.
    const stub = e.target as NodeSingular;
    const peer = String(stub.data('peer'));
    uiStore.getState().setCanvas(String(stub.data('peerCanvas')));
    docStore.getState().select({ nodes: [peer], links: [], annotations: [] });
  };

  // Over a stub, the pointer and a tooltip say where a click leads.
  const onStubOver = (e: EventObject) => {
    const el = cy.container();
    if (!el) return;
    el.style.cursor = 'pointer';
    el.title = `Go to ${String((e.target as NodeSingular).data('label')).replace(' ›', '')} on canvas ${String((e.target as NodeSingular).data('peerCanvasName'))}`;
  };
  const onStubOut = () => {
    const el = cy.container();
    if (!el) return;
    el.style.cursor = '';
    el.title = '';
  };

  // A double-click is two taps on the same node: Cytoscape's dbltap fires for two quick
  // clicks anywhere, so clicking one node then another would start a rename.
  let lastTap: { id: string; at: number } | null = null;
  const onNodeTap = (e: EventObject) => {
    const id = (e.target as NodeSingular).id();
    const at = Date.now();
    const double = lastTap?.id === id && at - lastTap.at <= DOUBLE_CLICK_MS;
    lastTap = double ? null : { id, at };
    const k = parseKey(id);
    if (double && k?.type === 'node' && !deps.isLocked()) uiStore.getState().setRenaming(k.id);
  };

  const onCxtTap = (e: EventObject) => {
    if (deps.isLocked()) return;
    const box = cy.container()?.getBoundingClientRect();
    const client = { x: (box?.left ?? 0) + e.renderedPosition.x, y: (box?.top ?? 0) + e.renderedPosition.y };
    const model = { ...e.position };
    const ui = uiStore.getState();
    if (e.target === cy) return ui.openMenu({ on: 'canvas', client, model });
    const k = parseKey((e.target as NodeSingular).id());
    if (k?.type !== 'node' && k?.type !== 'link') return ui.openMenu(null);
    // A right-click on something unselected acts on it alone; on the selection, on all of it.
    const sel = docStore.getState().selection;
    const inSel = k.type === 'node' ? sel.nodes.includes(k.id) : sel.links.includes(k.id);
    if (!inSel) docStore.getState().select({ nodes: k.type === 'node' ? [k.id] : [], links: k.type === 'link' ? [k.id] : [], annotations: [] });
    ui.openMenu({ on: k.type, id: k.id, client, model });
  };
  const closeMenu = () => {
    if (uiStore.getState().menu) uiStore.getState().openMenu(null);
  };

  cy.on('tap', onTap);
  cy.on('tap', 'node.stub', onStubTap);
  cy.on('mouseover', 'node.stub', onStubOver);
  cy.on('mouseout', 'node.stub', onStubOut);
  cy.on('tap', 'node.node', onNodeTap);
  cy.on('cxttap', onCxtTap);
  cy.on('tapstart viewport', closeMenu);
  cy.on('dragfree', 'node', onDragFree);
  cy.on('select unselect', queueSelection);
  cy.on('ehcomplete', onEdgeComplete as unknown as (e: EventObject) => void);
  applyTool();
  const unsubUi = uiStore.subscribe((s, prev) => {
    if (s.tool !== prev.tool) applyTool();
  });
  const unsubDoc = docStore.subscribe((s, prev) => {
    if (s.selection !== prev.selection) applySelection(cy, s.selection);
  });

  const dispose = () => {
    cy.off('tap', onTap);
    cy.off('tap', 'node.stub', onStubTap);
    cy.off('mouseover', 'node.stub', onStubOver);
    cy.off('mouseout', 'node.stub', onStubOut);
    cy.off('tap', 'node.node', onNodeTap);
    cy.off('cxttap', onCxtTap);
    cy.off('tapstart viewport', closeMenu);
    cy.off('dragfree', 'node', onDragFree);
    cy.off('select unselect', queueSelection);
    cy.off('ehcomplete');
    unsubUi();
    unsubDoc();
  };
  return { dispose, refresh: applyTool };
}

/** Drop of a palette item (HTML drag and drop) at client coordinates. */
export function dropKind(cy: Core, docStore: DocStore, uiStore: UiStore, kind: NodeKind, clientX: number, clientY: number): string {
  const rect = cy.container()!.getBoundingClientRect();
  const pan = cy.pan();
  const zoom = cy.zoom();
  const model = { x: (clientX - rect.left - pan.x) / zoom, y: (clientY - rect.top - pan.y) / zoom };
  return A.placeNode(docStore, kind, snapped(uiStore, model), activeCanvas(docStore.getState().doc, uiStore.getState().canvas));
}
