// Gestures against headless Cytoscape: a tap places a node at the snapped point, a drag
// ends as one snapped move (or snaps back when locked), selections flow both ways.
import cytoscape from 'cytoscape';
import { describe, expect, it, vi } from 'vitest';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { bindGestures } from './gestures';
import { createCanvasPatcher } from './patch';

const tick = () => new Promise((r) => setTimeout(r, 5));

function setup(locked = false) {
  const docStore = createDocStore();
  const uiStore = createUiStore();
  const cy = cytoscape({ headless: true, styleEnabled: false });
  const patcher = createCanvasPatcher(cy);
  docStore.subscribe((s) => patcher.sync(s.doc, uiStore.getState().labels, uiStore.getState().canvas));
  uiStore.subscribe((s, p) => s.canvas !== p.canvas && patcher.sync(docStore.getState().doc, s.labels, s.canvas));
  const g = bindGestures({ cy, docStore, uiStore, isLocked: () => locked });
  return { docStore, uiStore, cy, g };
}

describe('gestures', () => {
  it('places the palette kind where the background is tapped, snapped to the grid', async () => {
    const { docStore, uiStore, cy } = setup();
    uiStore.getState().setTool({ kind: 'place', nodeKind: 'router' });
    cy.emit({ type: 'tap', position: { x: 107, y: 92 } } as never);
    await tick();
    expect(docStore.getState().doc.nodes).toMatchObject([{ kind: 'router', position: { x: 100, y: 100 } }]);
    expect(docStore.getState().selection.nodes).toEqual(['n0']);
    expect(cy.getElementById('n:n0').selected()).toBe(true);
  });

  it('turns a drag into one snapped move', async () => {
    const { docStore, cy } = setup();
    A.placeNode(docStore, 'pc', { x: 0, y: 0 });
    const past = docStore.getState().past.length;
    const n = cy.getElementById('n:n0');
    n.position({ x: 53, y: 38 });
    n.emit('dragfree');
    await tick();
    expect(docStore.getState().doc.nodes[0]!.position).toEqual({ x: 60, y: 40 });
    expect(n.position()).toEqual({ x: 60, y: 40 });
    expect(docStore.getState().past.length).toBe(past + 1);
  });

  it('puts a node back when the document is locked', async () => {
    const { docStore, cy } = setup(true);
    A.placeNode(docStore, 'pc', { x: 20, y: 20 });
    const n = cy.getElementById('n:n0');
    n.position({ x: 300, y: 300 });
    n.emit('dragfree');
    await tick();
    expect(docStore.getState().doc.nodes[0]!.position).toEqual({ x: 20, y: 20 });
    expect(n.position()).toEqual({ x: 20, y: 20 });
    expect(cy.autoungrabify()).toBe(true);
  });

  it('mirrors canvas selection into the store', async () => {
    const { docStore, cy } = setup();
    A.placeNode(docStore, 'pc', { x: 0, y: 0 });
    A.placeNode(docStore, 'pc', { x: 100, y: 0 });
    cy.elements().unselect();
    cy.getElementById('n:n1').select();
    await tick();
    expect(docStore.getState().selection.nodes).toEqual(['n1']);
  });

  it('goes to the other canvas and selects the far node when a link stub is clicked', async () => {
    const { docStore, uiStore, cy } = setup();
    const a = A.placeNode(docStore, 'pc', { x: 0, y: 0 });
    const b = A.placeNode(docStore, 'router', { x: 200, y: 0 });
    A.connectNodes(docStore, a, b);
    docStore.getState().edit((d) => ({ doc: { ...d, canvases: [...d.canvases, { id: 'c1', name: 'Core' }], nodes: d.nodes.map((n) => (n.id === b ? { ...n, canvas: 'c1' } : n)) } }));
    const stub = cy.getElementById('s:l0');
    expect(stub.data('label')).toBe('router1:eth0 ›');
    stub.emit('tap');
    await tick();
    expect(uiStore.getState().canvas).toBe('c1');
    expect(docStore.getState().selection.nodes).toEqual([b]);
  });

  it('opens the right menu on a right-click and renames on a double-click, not while running', async () => {
    const { docStore, uiStore, cy } = setup();
    const a = A.placeNode(docStore, 'pc', { x: 0, y: 0 });
    docStore.getState().select({ nodes: [] });
    cy.getElementById('n:n0').emit({ type: 'cxttap', position: { x: 0, y: 0 }, renderedPosition: { x: 10, y: 20 } } as never);
    expect(uiStore.getState().menu).toMatchObject({ on: 'node', id: a });
    expect(docStore.getState().selection.nodes).toEqual([a]);
    cy.emit({ type: 'cxttap', position: { x: 300, y: 40 }, renderedPosition: { x: 30, y: 40 } } as never);
    expect(uiStore.getState().menu).toMatchObject({ on: 'canvas', model: { x: 300, y: 40 } });
    // Two taps on the same node rename it; one tap each on two nodes does not.
    const b = A.placeNode(docStore, 'pc', { x: 100, y: 0 });
    const now = vi.spyOn(Date, 'now');
    const tapAt = (id: string, ms: number) => {
      now.mockReturnValue(ms);
      cy.getElementById(id).emit('tap');
    };
    tapAt('n:n0', 1000);
    tapAt('n:n1', 1100);
    expect(uiStore.getState().renaming).toBeNull();
    tapAt('n:n1', 1900);
    expect(uiStore.getState().renaming).toBeNull(); // too slow
    tapAt('n:n1', 2100);
    expect(uiStore.getState().renaming).toBe(b);
    now.mockRestore();
    expect(uiStore.getState().menu).toBeNull();

    const locked = setup(true);
    A.placeNode(locked.docStore, 'pc', { x: 0, y: 0 });
    locked.cy.getElementById('n:n0').emit({ type: 'cxttap', position: { x: 0, y: 0 }, renderedPosition: { x: 0, y: 0 } } as never);
    locked.cy.getElementById('n:n0').emit('tap');
    locked.cy.getElementById('n:n0').emit('tap');
    expect(locked.uiStore.getState().menu).toBeNull();
    expect(locked.uiStore.getState().renaming).toBeNull();
  });
});
