// Label placement, headless: the labels shown never overlap each other or an icon, every
// label of the four-router chain fits at 100 %, labels that cannot fit are hidden and come
// back when zoomed in.
import cytoscape from 'cytoscape';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../../emulator/topology/samples';
import { boxAt, overlaps, placeLabels, type Box } from './label-layout';
import { createLabelLayer, sceneOf } from './label-layer';
import { approximateMeasure, ICON_HALF, labelScale, LINK_FONT_PX, layoutScene, NAME_FONT_PX, type Scene } from './label-scene';
import { buildElements, createCanvasPatcher } from './patch';

const ALL = { names: true, addresses: true, interfaces: true, ipv6: false, linkParams: true };

function sceneOfSample(name: keyof typeof SAMPLES, toggles = ALL): Scene {
  return sceneOf(buildElements(SAMPLES[name](), toggles), approximateMeasure, () => undefined);
}

function iconBoxes(scene: Scene): Box[] {
  return scene.nodes.map((n) => boxAt(n, 2 * n.halfW, 2 * n.halfH));
}

/** Every pair of shown boxes, and every shown box against every icon. */
function collisions(boxes: Map<string, Box>, icons: Box[]): string[] {
  const out: string[] = [];
  const list = [...boxes];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) if (overlaps(list[i]![1], list[j]![1])) out.push(`${list[i]![0]} × ${list[j]![0]}`);
    icons.forEach((b, k) => {
      if (overlaps(list[i]![1], b)) out.push(`${list[i]![0]} × icon ${k}`);
    });
  }
  return out;
}

describe('placeLabels', () => {
  it('takes the first free candidate and hides a label with none', () => {
    const icon = boxAt({ x: 0, y: 0 }, 48, 48);
    const placed = placeLabels(
      [
        { id: 'a', w: 40, h: 16, candidates: [{ x: 0, y: 0 }, { x: 0, y: 40 }] },
        { id: 'b', w: 40, h: 16, candidates: [{ x: 0, y: 40 }, { x: 10, y: 45 }] },
        { id: 'c', w: 40, h: 16, candidates: [{ x: 0, y: 60 }, { x: 0, y: -40 }] },
      ],
      [icon],
    );
    expect(placed.get('a')).toMatchObject({ x: 0, y: 40 }); // the first overlaps the icon
    expect(placed.has('b')).toBe(false); // both spots taken by a
    expect(placed.get('c')).toMatchObject({ x: 0, y: 60 });
  });

  it('prefers a spot that crosses no other link', () => {
    const placed = placeLabels(
      [{ id: 'a', owner: 'l1', w: 20, h: 10, candidates: [{ x: 0, y: 0 }, { x: 0, y: 30 }] }],
      [],
      [
        { a: { x: -50, y: 0 }, b: { x: 50, y: 0 }, owner: 'l2' },
        { a: { x: -50, y: 30 }, b: { x: 50, y: 30 }, owner: 'l1' }, // its own link does not count
      ],
    );
    expect(placed.get('a')).toMatchObject({ x: 0, y: 30 });
  });

  it('never shows two overlapping labels, nor one over an obstacle (random scenes)', () => {
    const pt = fc.record({ x: fc.integer({ min: 0, max: 400 }), y: fc.integer({ min: 0, max: 400 }) });
    const req = fc.record({ w: fc.integer({ min: 4, max: 120 }), h: fc.integer({ min: 4, max: 40 }), candidates: fc.array(pt, { minLength: 1, maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(req, { maxLength: 60 }), fc.array(pt, { maxLength: 20 }), (reqs, icons) => {
        const obstacles = icons.map((p) => boxAt(p, 48, 48));
        const placed = placeLabels(reqs.map((r, i) => ({ id: String(i), ...r })), obstacles);
        const boxes = new Map([...placed].map(([id, p]) => [id, p.box]));
        expect(collisions(boxes, obstacles)).toEqual([]);
        for (const [id, p] of placed) expect(reqs[Number(id)]!.candidates).toContainEqual({ x: p.x, y: p.y });
      }),
      { numRuns: 200 },
    );
  });
});

describe('layoutScene', () => {
  it('shows every label of the four-router chain at 100 %, none overlapping (names, interfaces, addresses)', () => {
    const scene = sceneOfSample('router-chain-4.vnet');
    const layout = layoutScene(scene, approximateMeasure, 1);
    expect(collisions(layout.boxes, iconBoxes(scene))).toEqual([]);
    expect(layout.names.size).toBe(6);
    const ends = scene.links.flatMap((l) => [`${l.id}:a`, `${l.id}:b`]);
    expect(ends.filter((id) => !layout.links.has(id))).toEqual([]);
    // pc1's address and router1's (the issue: one covered the other) sit on opposite sides.
    const pc1 = layout.boxes.get('l:l0:a')!;
    const r1 = layout.boxes.get('l:l0:b')!;
    expect(overlaps(pc1, r1)).toBe(false);
  });

  it('hides what cannot fit when zoomed out, and shows it again when zoomed in', () => {
    const scene = sceneOfSample('office-two-lans.vnet');
    const shown = (zoom: number) => {
      const l = layoutScene(scene, approximateMeasure, zoom);
      expect(collisions(l.boxes, iconBoxes(scene))).toEqual([]);
      return l.boxes.size;
    };
    const counts = [0.3, 0.5, 0.75, 1, 1.5, 2, 4].map(shown);
    expect(counts[0]).toBeLessThan(counts[counts.length - 1]!);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]! - 1);
  });

  it('keeps labels at least 12 px on screen at any zoom', () => {
    const scene = sceneOfSample('pc-router-pc.vnet');
    for (const zoom of [0.2, 0.5, 1, 2, 4]) {
      const l = layoutScene(scene, approximateMeasure, zoom);
      for (const b of l.boxes.values()) expect((b.y2 - b.y1) * zoom).toBeGreaterThanOrEqual(Math.min(NAME_FONT_PX, LINK_FONT_PX));
    }
  });

  it('puts a name clear of its icon, where the file put it when that is free', () => {
    const scene: Scene = { nodes: [{ id: 'n', x: 0, y: 0, name: 'router1', halfW: ICON_HALF, halfH: ICON_HALF, prefer: { x: 0, y: -40 } }], links: [] };
    const l = layoutScene(scene, approximateMeasure, 1);
    const at = l.names.get('n')!;
    expect(at.y).toBeLessThan(-ICON_HALF);
    expect(at.x).toBe(0);
  });
});

describe('labelScale', () => {
  it('keeps text at least its size on screen and shrinks it against the drawing as the zoom grows', () => {
    let last = Infinity;
    for (let z = 0.1; z <= 4; z *= 1.01) {
      const s = labelScale(z);
      expect(LINK_FONT_PX * s * z).toBeGreaterThanOrEqual(LINK_FONT_PX - 1e-9);
      expect(s).toBeLessThanOrEqual(last);
      last = s;
    }
  });
});

describe('label layer on a headless canvas', () => {
  it('draws link labels as event-less elements and names on the nodes, hiding what does not fit', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const patcher = createCanvasPatcher(cy);
    const layer = createLabelLayer(cy, approximateMeasure, () => patcher.models());
    patcher.sync(SAMPLES['router-chain-4.vnet'](), ALL);
    layer.relayout();
    const labels = cy.nodes('.vlabel');
    expect(labels.length).toBe(10);
    expect(labels.toArray().every((n) => !n.selectable() && !(n as cytoscape.NodeSingular).grabbable())).toBe(true);
    expect(cy.getElementById('n:n0').data('shownName')).toBe('pc1');
    expect(cy.getElementById('n:n0').data('nameDy')).toBeGreaterThan(ICON_HALF);
    // Far out, most labels give way; back in, they return.
    cy.zoom(0.15);
    layer.relayout();
    expect(cy.nodes('.vlabel').length).toBeLessThan(10);
    cy.zoom(1);
    layer.relayout();
    expect(cy.nodes('.vlabel').length).toBe(10);
    // Labels off: no label elements are left behind.
    patcher.sync(SAMPLES['router-chain-4.vnet'](), { names: true, addresses: false, interfaces: false, ipv6: false, linkParams: false });
    layer.relayout();
    expect(cy.nodes('.vlabel').length).toBe(0);
    layer.dispose();
  });
});
