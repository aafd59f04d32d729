// Where labels may go on one canvas: candidate spots around each node (its name) and along
// each link (one end label per side, the parameter summary in the middle), in the order a
// reader expects, then placeLabels() picks free ones. Pure: sizes come from `measure`.
import type { Point } from '../../emulator/topology/document';
import { boxAt, placeLabels, type Box, type LabelRequest, type Segment } from './label-layout';

/** Half the side of a node icon, in model units (icons are 48 × 48). */
export const ICON_HALF = 24;
/** Font sizes at 100 % zoom, in px (readable on a projector). */
export const NAME_FONT_PX = 13;
export const LINK_FONT_PX = 12;
export const LINE_HEIGHT = 1.25;
/** Text background padding, px at 100 %. */
export const LABEL_PAD_PX = 2;

export interface SceneNode {
  id: string;
  x: number;
  y: number;
  /** Shown text; empty for no name label. */
  name: string;
  /** Half width/height of what is drawn (icon, or a stub's pill). */
  halfW: number;
  halfH: number;
  /** Where the file put the label centre, relative to the node (IMUNES labelcoords). */
  prefer?: Point;
}

export interface SceneLink {
  id: string;
  a: string;
  b: string;
  aText: string;
  bText: string;
  midText: string;
}

export interface Scene {
  nodes: readonly SceneNode[];
  links: readonly SceneLink[];
  /** Other text on the canvas no label may cover (annotation captions). */
  obstacles?: readonly Box[];
}

/** Width and height in px of text at its 100 % font size (multi-line by '\n'). */
export type Measure = (text: string, kind: 'name' | 'link') => { w: number; h: number };

/**
 * Model units per px of font: labels keep at least their size on screen when zoomed out, and
 * grow more slowly than the drawing when zoomed in, so zooming in frees room.
 */
export function labelScale(zoom: number): number {
  return zoom < 1 ? 1 / zoom : 1 / Math.sqrt(zoom);
}

export interface SceneLayout {
  /** Name centre relative to its node, or absent when hidden. */
  names: Map<string, Point>;
  /** Link label centres in model coordinates by `<link>:a|b|m`, absent when hidden. */
  links: Map<string, Point>;
  /** The boxes of everything shown (icons excluded), for tests and debugging. */
  boxes: Map<string, Box>;
}

function nameCandidates(n: SceneNode, w: number, h: number, gap: number): Point[] {
  const below = n.y + n.halfH + gap + h / 2;
  const above = n.y - n.halfH - gap - h / 2;
  const right = n.x + n.halfW + gap + w / 2;
  const left = n.x - n.halfW - gap - w / 2;
  const out: Point[] = [];
  if (n.prefer) {
    // The file's spot, pushed clear of the icon on the side it was on.
    const p = { x: n.x + n.prefer.x, y: n.y + n.prefer.y };
    out.push(n.prefer.y >= 0 ? { x: p.x, y: Math.max(p.y, below) } : { x: p.x, y: Math.min(p.y, above) });
  }
  out.push({ x: n.x, y: below }, { x: n.x, y: above }, { x: right, y: n.y }, { x: left, y: n.y });
  out.push({ x: right, y: below }, { x: left, y: below }, { x: right, y: above }, { x: left, y: above });
  return out;
}

/** Spots along a link for the label of the end at `from`: beside the line on the left of the
 * direction of travel (so the two ends take opposite sides), on it, then on the right,
 * nearest the node first. */
function endCandidates(from: SceneNode, to: SceneNode, w: number, h: number, gap: number): Point[] {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy);
  if (len < 1) return [];
  const u = { x: dx / len, y: dy / len };
  const n = { x: u.y, y: -u.x };
  const across = Math.abs(n.x) * (w / 2) + Math.abs(n.y) * (h / 2) + gap + 1;
  const offsets = [across, 0, -across];
  const clearX = from.halfW + gap + w / 2;
  const clearY = from.halfH + gap + h / 2;
  const step = 6 * (h / (LINK_FONT_PX * LINE_HEIGHT + 2 * LABEL_PAD_PX));
  const out: Point[] = [];
  // Smallest distance along the line at which the box clears the node's own shape: the
  // first t where |u·t + n·o| reaches the clearance on either axis.
  const clearAt = (u1: number, c: number, k: number) => (Math.abs(c) >= k ? 0 : u1 > 1e-9 ? (k - c) / u1 : u1 < -1e-9 ? (-k - c) / u1 : Infinity);
  const starts = offsets.map((o) => Math.min(len, Math.max(0, Math.ceil(Math.min(clearAt(u.x, n.x * o, clearX), clearAt(u.y, n.y * o, clearY))))));
  for (let k = 0; k < 8; k++) {
    offsets.forEach((o, i) => {
      const t = starts[i]! + k * step;
      if (k > 0 && t > len / 2) return;
      out.push({ x: from.x + u.x * t + n.x * o, y: from.y + u.y * t + n.y * o });
    });
  }
  return out;
}

function midCandidates(a: SceneNode, b: SceneNode, w: number, h: number, gap: number): Point[] {
  const m = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const u = { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
  const n = { x: u.y, y: -u.x };
  const across = Math.abs(n.x) * (w / 2) + Math.abs(n.y) * (h / 2) + gap + 1;
  const out: Point[] = [m, { x: m.x + n.x * across, y: m.y + n.y * across }, { x: m.x - n.x * across, y: m.y - n.y * across }];
  for (const s of [0.15, -0.15]) out.push({ x: m.x + u.x * len * s, y: m.y + u.y * len * s });
  return out;
}

/**
 * Lays out every label of a scene at a zoom. Names go first (a node without its name is
 * unreadable), then link ends, then link parameters; each avoids all icons and the labels
 * before it.
 */
export function layoutScene(scene: Scene, measure: Measure, zoom: number): SceneLayout {
  const s = labelScale(zoom);
  const gap = 2 * s;
  const pad = 2 * LABEL_PAD_PX * s;
  const size = (text: string, kind: 'name' | 'link') => {
    const m = measure(text, kind);
    return { w: m.w * s + pad, h: m.h * s + pad };
  };
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  const obstacles = [...scene.nodes.map((n) => boxAt(n, 2 * n.halfW, 2 * n.halfH)), ...(scene.obstacles ?? [])];
  const segments: Segment[] = [];
  const requests: LabelRequest[] = [];
  for (const n of scene.nodes) {
    if (!n.name) continue;
    const { w, h } = size(n.name, 'name');
    requests.push({ id: `name:${n.id}`, w, h, candidates: nameCandidates(n, w, h, gap) });
  }
  const later: LabelRequest[] = [];
  for (const l of scene.links) {
    const a = byId.get(l.a);
    const b = byId.get(l.b);
    if (!a || !b) continue;
    segments.push({ a, b, owner: l.id });
    for (const [end, from, to, text] of [['a', a, b, l.aText], ['b', b, a, l.bText]] as const) {
      if (!text) continue;
      const { w, h } = size(text, 'link');
      requests.push({ id: `${l.id}:${end}`, owner: l.id, w, h, candidates: endCandidates(from, to, w, h, gap) });
    }
    if (l.midText) {
      const { w, h } = size(l.midText, 'link');
      later.push({ id: `${l.id}:m`, owner: l.id, w, h, candidates: midCandidates(a, b, w, h, gap) });
    }
  }
  const placed = placeLabels([...requests, ...later], obstacles, segments);
  const out: SceneLayout = { names: new Map(), links: new Map(), boxes: new Map() };
  for (const p of placed.values()) {
    out.boxes.set(p.id, p.box);
    if (p.id.startsWith('name:')) {
      const n = byId.get(p.id.slice(5))!;
      out.names.set(n.id, { x: p.x - n.x, y: p.y - n.y });
    } else out.links.set(p.id, { x: p.x, y: p.y });
  }
  return out;
}

/** A measure for tests and headless use: average glyph widths of a sans-serif face. */
export function approximateMeasure(text: string, kind: 'name' | 'link'): { w: number; h: number } {
  const px = kind === 'name' ? NAME_FONT_PX : LINK_FONT_PX;
  const lines = text.split('\n');
  const w = Math.max(...lines.map((l) => l.length)) * px * (kind === 'name' ? 0.62 : 0.58);
  return { w, h: lines.length * px * LINE_HEIGHT };
}
