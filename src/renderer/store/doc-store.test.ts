// The document store and editor verbs: every edit is one undo step, refusals change
// nothing, dirty tracks the saved document, copy/paste gives fresh names and addresses.
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../emulator/topology/document';
import { createDocStore, isDirty, windowTitle } from './doc-store';
import * as A from './editor-actions';

function built() {
  const store = createDocStore();
  const pc1 = A.placeNode(store, 'pc', { x: 100, y: 100 });
  const sw = A.placeNode(store, 'lanswitch', { x: 300, y: 100 });
  const pc2 = A.placeNode(store, 'pc', { x: 500, y: 100 });
  expect(A.connectNodes(store, pc1, sw)).toBeNull();
  expect(A.connectNodes(store, sw, pc2)).toBeNull();
  return { store, pc1, sw, pc2 };
}

describe('doc store', () => {
  it('places and links nodes with IMUNES addresses, one undo step each', () => {
    const { store, pc1, pc2 } = built();
    const { doc, past } = store.getState();
    expect(past.length).toBe(5);
    const addr = (id: string) => doc.nodes.find((n) => n.id === id)!.interfaces[0]!.ipv4[0];
    expect(addr(pc1)).toBe('10.0.0.20/24');
    expect(addr(pc2)).toBe('10.0.0.21/24');
    store.getState().undo();
    expect(store.getState().doc.links.length).toBe(1);
    store.getState().undo();
    expect(store.getState().doc.links.length).toBe(0);
    store.getState().redo();
    store.getState().redo();
    expect(store.getState().doc).toBe(doc);
    store.getState().redo();
    expect(store.getState().doc).toBe(doc);
  });

  it('refuses bad edits with the reason and leaves the document and history alone', () => {
    const { store, pc1 } = built();
    const before = store.getState().doc;
    const pastLen = store.getState().past.length;
    expect(A.connectNodes(store, pc1, pc1)).toMatch(/itself/);
    expect(A.setLinkParam(store, 'l0', 'delayUs', -5)).toMatch(/delay/);
    expect(A.setLinkParam(store, 'l0', 'lossPercent', 150)).toMatch(/loss/);
    expect(store.getState().doc).toBe(before);
    expect(store.getState().past.length).toBe(pastLen);
    expect(A.setLinkParam(store, 'l0', 'delayUs', 2500)).toBeNull();
    expect(store.getState().doc.links[0]!.params.delayUs).toBe(2500);
  });

  it('tracks unsaved changes against the saved document, through undo', () => {
    const store = createDocStore();
    expect(isDirty(store.getState())).toBe(false);
    A.placeNode(store, 'router', { x: 0, y: 0 });
    expect(isDirty(store.getState())).toBe(true);
    expect(windowTitle(store.getState())).toBe('● untitled.vnet — VirtNet');
    store.getState().markSaved({ path: null, name: 'lab.vnet', format: 'vnet' });
    expect(windowTitle(store.getState())).toBe('lab.vnet — VirtNet');
    A.placeNode(store, 'pc', { x: 0, y: 0 });
    store.getState().undo();
    expect(isDirty(store.getState())).toBe(false);
    store.getState().load(emptyDocument(), { path: null, name: 'x.imn', format: 'imn' });
    expect(store.getState().past.length).toBe(0);
  });

  it('deletes the selection with its links and prunes the selection', () => {
    const { store, sw } = built();
    store.getState().select({ nodes: [sw], links: [] });
    A.deleteSelection(store);
    const { doc, selection } = store.getState();
    expect(doc.nodes.map((n) => n.name)).toEqual(['pc1', 'pc2']);
    expect(doc.links).toEqual([]);
    expect(selection.nodes).toEqual([]);
  });

  it('copy/paste duplicates with fresh names, MACs and addresses, offset each time', () => {
    const { store, pc1, sw } = built();
    const clip = A.createClipboard();
    store.getState().select({ nodes: [pc1, sw] });
    expect(clip.copy(store)).toBe(2);
    const fresh = clip.paste(store);
    expect(fresh.length).toBe(2);
    const { doc } = store.getState();
    const names = doc.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    const macs = doc.nodes.flatMap((n) => n.interfaces.map((i) => i.mac)).filter(Boolean);
    expect(new Set(macs).size).toBe(macs.length);
    const copy = doc.nodes.find((n) => n.id === fresh[0])!;
    expect(copy.position).toEqual({ x: 140, y: 140 });
    expect(store.getState().selection.nodes).toEqual(fresh);
    const again = clip.paste(store);
    expect(store.getState().doc.nodes.find((n) => n.id === again[0])!.position).toEqual({ x: 180, y: 180 });
  });

  it('moves, aligns and snaps', () => {
    const { store, pc1, pc2 } = built();
    A.moveNodes(store, { [pc1]: { x: 100, y: 40 } });
    store.getState().select({ nodes: [pc1, pc2] });
    A.align(store, 'top');
    const ys = store.getState().doc.nodes.filter((n) => n.id === pc1 || n.id === pc2).map((n) => n.position.y);
    expect(ys).toEqual([40, 40]);
    expect(A.snapPoint({ x: 29, y: 31 }, 20)).toEqual({ x: 20, y: 40 });
    expect(A.snapPoint({ x: 29.4, y: 31.6 }, null)).toEqual({ x: 29, y: 32 });
  });

  it('adds annotations that are saved in the document', () => {
    const store = createDocStore();
    const id = A.addAnnotation(store, 'rectangle', { x: 200, y: 200 });
    expect(store.getState().doc.annotations).toMatchObject([{ id, kind: 'rectangle', coords: [100, 140, 300, 260] }]);
    A.updateAnnotation(store, id, { label: 'DMZ' });
    expect(store.getState().doc.annotations[0]!.label).toBe('DMZ');
  });
});
