// Draws the placed labels on a live canvas: node names as the node's own label (offset by
// margins), link labels as small event-less label elements (`t:<link>:a|b|m`). Re-places on
// every sync, on node drags (one frame later) and when the zoom settles. No store access.
import type { Core, NodeSingular } from 'cytoscape';
import { layoutScene, labelScale, LINE_HEIGHT, LINK_FONT_PX, NAME_FONT_PX, ICON_HALF, type Measure, type Scene, type SceneNode } from './label-scene';
import type { Box } from './label-layout';
import type { ElementMap } from './patch';

export const labelKey = (id: string) => `t:${id}`;

/** Padding inside a stub's pill, px at 100 %. */
export const STUB_PAD_PX = 5;

/**
 * The scene of a set of element models, at the positions the canvas shows now. `scale` is
 * labelScale(zoom): stubs are drawn at label size. Obstacles are other things drawn with
 * text (annotations' captions) that labels must not cover.
 */
export function sceneOf(models: ElementMap, measure: Measure, positionOf: (id: string) => { x: number; y: number } | undefined, scale = 1, obstacles: Box[] = []): Scene {
  const nodes: SceneNode[] = [];
  const links: Scene['links'][number][] = [];
  for (const m of models.values()) {
    const p = positionOf(m.data.id) ?? m.position;
    if (m.group === 'nodes' && p && m.classes.startsWith('node')) {
      const prefer = m.data['preferDx'] !== undefined ? { x: Number(m.data['preferDx']), y: Number(m.data['preferDy']) } : undefined;
      nodes.push({ id: m.data.id, x: p.x, y: p.y, name: String(m.data['name'] ?? ''), halfW: ICON_HALF, halfH: ICON_HALF, prefer });
    } else if (m.group === 'nodes' && p && m.classes === 'stub') {
      const size = measure(String(m.data['label']), 'link');
      nodes.push({ id: m.data.id, x: p.x, y: p.y, name: '', halfW: (size.w / 2 + STUB_PAD_PX + 1) * scale, halfH: (size.h / 2 + STUB_PAD_PX + 1) * scale });
    } else if (m.group === 'edges') {
      links.push({ id: m.data.id, a: String(m.data['source']), b: String(m.data['target']), aText: String(m.data['sourceLabel'] ?? ''), bText: String(m.data['targetLabel'] ?? ''), midText: String(m.data['midText'] ?? '') });
    }
  }
  return { nodes, links, obstacles };
}

/** Text measured with the canvas' own font (cached), for the browser. */
export function canvasMeasure(font: string): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  const cache = new Map<string, { w: number; h: number }>();
  return (text, kind) => {
    const key = `${kind}\u0000${text}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const px = kind === 'name' ? NAME_FONT_PX : LINK_FONT_PX;
    const lines = text.split('\n');
    let w = 0;
    if (ctx) {
      ctx.font = `${kind === 'name' ? '600 ' : ''}${px}px ${font}`;
      for (const l of lines) w = Math.max(w, ctx.measureText(l).width);
    } else w = Math.max(...lines.map((l) => l.length)) * px * 0.6;
    const m = { w: Math.ceil(w) + 1, h: lines.length * px * LINE_HEIGHT };
    cache.set(key, m);
    return m;
  };
}

export function createLabelLayer(cy: Core, measure: Measure, models: () => ElementMap) {
  let frame: ReturnType<typeof setTimeout> | null = null;
  let zoomTimer: ReturnType<typeof setTimeout> | null = null;
  let laidAtScale = 0;

  const relayout = () => {
    const zoom = cy.zoom();
    const s = labelScale(zoom);
    const m = models();
    const captions: Box[] = [];
    cy.nodes('.annotation').forEach((el) => {
      if (!el.data('label')) return;
      const b = el.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true } as never);
      if (b.w > 0 && b.h > 0) captions.push({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    });
    const scene = sceneOf(
      m,
      measure,
      (id) => {
        const el = cy.getElementById(id);
        return el.nonempty() && el.isNode() ? el.position() : undefined;
      },
      s,
      captions,
    );
    const layout = layoutScene(scene, measure, zoom);
    laidAtScale = s;
    const texts = new Map<string, string>();
    for (const l of scene.links) {
      texts.set(`${l.id}:a`, l.aText);
      texts.set(`${l.id}:b`, l.bText);
      texts.set(`${l.id}:m`, l.midText);
    }
    cy.batch(() => {
      cy.nodes('.stub').data({ fs: LINK_FONT_PX * s, pad: STUB_PAD_PX * s });
      for (const n of scene.nodes) {
        if (!n.id.startsWith('n:')) continue;
        const at = layout.names.get(n.id);
        cy.getElementById(n.id).data({ shownName: at ? n.name : '', nameDx: at?.x ?? 0, nameDy: at?.y ?? 0, fs: NAME_FONT_PX * s });
      }
      const keep = new Set<string>();
      for (const [id, p] of layout.links) {
        const key = labelKey(id);
        keep.add(key);
        const el = cy.getElementById(key);
        const data = { label: texts.get(id) ?? '', fs: LINK_FONT_PX * s, pad: 2 * s };
        if (el.empty()) cy.add({ group: 'nodes', data: { id: key, ...data }, position: { ...p }, classes: 'vlabel', selectable: false, grabbable: false });
        else {
          el.data(data);
          el.position({ ...p });
        }
      }
      cy.nodes('.vlabel').forEach((el) => {
        if (!keep.has(el.id())) el.remove();
      });
    });
  };

  // A drag moves a node many times a frame: place once per frame.
  const onMove = (e: { target: NodeSingular }) => {
    if (!e.target.hasClass('node') || frame) return;
    frame = setTimeout(() => {
      frame = null;
      relayout();
    }, 16);
  };
  const onZoom = () => {
    if (zoomTimer) clearTimeout(zoomTimer);
    zoomTimer = setTimeout(() => {
      zoomTimer = null;
      // Placed again once the wheel rests, not per event: each new label size is drawn anew.
      if (Math.abs(labelScale(cy.zoom()) / laidAtScale - 1) > 0.005) relayout();
    }, 150);
  };
  cy.on('position', 'node', onMove as never);
  cy.on('zoom', onZoom);
  return {
    relayout,
    dispose() {
      cy.off('position', 'node', onMove as never);
      cy.off('zoom', onZoom);
      if (frame) clearTimeout(frame);
      if (zoomTimer) clearTimeout(zoomTimer);
    },
  };
}
