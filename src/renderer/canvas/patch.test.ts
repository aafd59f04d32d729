// Keyed diffs against headless Cytoscape: only changed elements are touched, element
// identity survives edits, and the canvas always matches the document.
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import * as E from '../../emulator/topology/edit';
import { activeCanvas, buildElements, createCanvasPatcher, diffElements, parseKey, STUB_LENGTH, stubPosition } from './patch';

const labels = { names: true, addresses: true, interfaces: false, ipv6: false, linkParams: true };

function pcSwitchPc(): TopologyDoc {
  let d = emptyDocument();
  const a = E.addNode(d, 'pc', { x: 100, y: 100 });
  const s = E.addNode(a.doc, 'lanswitch', { x: 300, y: 100 });
  const b = E.addNode(s.doc, 'pc', { x: 500, y: 100 });
  d = b.doc;
  for (const [x, y] of [[a.nodeId, s.nodeId], [s.nodeId, b.nodeId]] as const) {
    const r = E.addLink(d, x, y);
    if ('error' in r) throw new Error(r.error);
    d = r.doc;
  }
  return d;
}

describe('canvas patch', () => {
  it('builds nodes, edges with end labels, and annotations', () => {
    let d = pcSwitchPc();
    d = E.addAnnotation(d, { kind: 'rectangle', canvas: 'c0', coords: [0, 0, 200, 100], label: 'LAN' }).doc;
    const m = buildElements(d, labels);
    expect([...m.values()].filter((e) => e.group === 'nodes' && e.classes.startsWith('node')).length).toBe(3);
    const edge = m.get('l:l0')!;
    expect(edge.data.source).toBe('n:n0');
    expect(String(edge.data.sourceLabel)).toMatch(/^10\.0\.0\.20\/24$/);
    const ann = m.get('a:' + d.annotations[0]!.id)!;
    expect(ann.position).toEqual({ x: 100, y: 50 });
    expect(ann.data.w).toBe(200);
  });

  it('applies the document to a headless canvas and then only the differences', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const patcher = createCanvasPatcher(cy);
    const d1 = pcSwitchPc();
    const p1 = patcher.sync(d1, labels);
    expect(p1.add.length).toBe(5);
    expect(cy.nodes().length).toBe(3);
    expect(cy.edges().length).toBe(2);
    const n0 = cy.getElementById('n:n0');

    const d2 = E.setNodePosition(d1, 'n0', { x: 140, y: 160 });
    const p2 = patcher.sync(d2, labels);
    expect(p2).toEqual({ add: [], remove: [], update: [{ id: 'n:n0', position: { x: 140, y: 160 } }] });
    expect(cy.getElementById('n:n0')).toBe(n0);
    expect(cy.getElementById('n:n0').position()).toEqual({ x: 140, y: 160 });

    const r = E.renameNode(d2, 'n2', 'alice');
    if ('error' in r) throw new Error(r.error);
    const p3 = patcher.sync(r.doc, labels);
    expect(p3.update.map((u) => u.id)).toEqual(['n:n2']);
    expect(cy.getElementById('n:n2').data('name')).toBe('alice');

    const d4 = E.removeNodes(r.doc, ['n1']);
    const p4 = patcher.sync(d4, labels);
    expect(p4.remove.sort()).toEqual(['l:l0', 'l:l1', 'n:n1']);
    expect(cy.elements().length).toBe(2);

    patcher.sync(d1, labels); // undo back to the start
    expect(cy.nodes().map((n) => n.id()).sort()).toEqual(['n:n0', 'n:n1', 'n:n2']);
    expect(cy.getElementById('n:n0').position()).toEqual({ x: 100, y: 100 });
  });

  it('an unchanged document yields an empty patch; label toggles update only labels', () => {
    const d = pcSwitchPc();
    const a = buildElements(d, labels);
    expect(diffElements(a, buildElements(d, labels))).toEqual({ add: [], remove: [], update: [] });
    const p = diffElements(a, buildElements(d, { names: true, addresses: false, interfaces: true, ipv6: false, linkParams: true }));
    expect(p.add).toEqual([]);
    expect(p.update.map((u) => u.id).sort()).toEqual(['l:l0', 'l:l1']);
    expect(p.update[0]!.data!.sourceLabel).toBe('eth0');
  });

  it('replaces an edge whose end moved to another node', () => {
    const d = pcSwitchPc();
    const moved: TopologyDoc = { ...d, links: d.links.map((l) => (l.id === 'l0' ? { ...l, a: { node: 'n2', iface: 'eth9' } } : l)) };
    const p = diffElements(buildElements(d, labels), buildElements(moved, labels));
    expect(p.remove).toEqual(['l:l0']);
    expect(p.add.map((m) => m.data.id)).toEqual(['l:l0']);
  });

  it('parses element keys back to document ids', () => {
    expect(parseKey('n:n12')).toEqual({ type: 'node', id: 'n12' });
    expect(parseKey('l:l0')).toEqual({ type: 'link', id: 'l0' });
    expect(parseKey('x:1')).toBeNull();
  });

  it('draws one canvas at a time and switches by keyed diff', () => {
    const base = pcSwitchPc();
    const d: TopologyDoc = { ...base, canvases: [...base.canvases, { id: 'c1', name: 'Canvas1' }], nodes: base.nodes.map((n) => (n.id === 'n2' ? { ...n, canvas: 'c1' } : n)) };
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const patcher = createCanvasPatcher(cy);
    patcher.sync(d, labels, null);
    // switch1–pc2 crosses to c1: a stub on each side names the node at the far end.
    expect(cy.nodes().map((n) => n.id()).sort()).toEqual(['n:n0', 'n:n1', 's:l1']);
    expect(cy.edges().map((e) => `${e.id()} ${e.source().id()}→${e.target().id()}`)).toEqual(['l:l0 n:n0→n:n1', 'l:l1 n:n1→s:l1']);
    expect(cy.getElementById('s:l1').data()).toMatchObject({ label: 'pc2:eth0 ›', peer: 'n2', peerCanvas: 'c1', peerCanvasName: 'Canvas1' });
    expect(cy.getElementById('s:l1').grabbable()).toBe(false);
    expect(cy.getElementById('s:l1').selectable()).toBe(false);
    patcher.sync(d, labels, 'c1');
    expect(cy.nodes().map((n) => n.id()).sort()).toEqual(['n:n2', 's:l1']);
    expect(cy.getElementById('s:l1').data()).toMatchObject({ label: 'switch1:eth1 ›', peer: 'n1', peerCanvas: 'c0' });
    expect(cy.getElementById('l:l1').data('sourceLabel')).toBe('10.0.0.21/24');
    expect(activeCanvas(d, 'nope')).toBe('c0');
  });
});

describe('stubPosition', () => {
  it('points a stub away from the node\'s other links, fanning several apart', () => {
    const at = { x: 100, y: 100 };
    // Neighbour to the right: the stub goes left.
    expect(stubPosition(at, [{ x: 300, y: 100 }], 0)).toEqual({ x: 100 - STUB_LENGTH, y: 100 });
    // No neighbours: to the right; a second stub 40° off.
    expect(stubPosition(at, [], 0)).toEqual({ x: 100 + STUB_LENGTH, y: 100 });
    const second = stubPosition(at, [], 1);
    expect(Math.round((Math.atan2(second.y - 100, second.x - 100) * 180) / Math.PI)).toBe(-40);
  });
});
