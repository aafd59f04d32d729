// Canvas overlay of run mode: a <canvas> over Cytoscape drawing link load, packet dots,
// drop marks, running badges and flashes each animation frame, plus run-time gestures
// (double-click → shell, right-click menu, hover counters), and the path of a packet followed
// in the timeline in one colour with a chip to stop following. Never edits the document.
import type { Core, EventObject } from 'cytoscape';
import { PacketAnimator, PROTO_COLORS, lerp, loadColor, type DropGroup, type TcpMark } from './packet-animator';
import type { RunStore } from './run-store';
import type { JourneyPath } from './timeline';
import { nodeKey, parseKey } from '../canvas/patch';

export interface OverlayHooks {
  /** Right-click on a node or link while running. */
  contextMenu(target: { node?: string; link?: string }, clientX: number, clientY: number): void;
  /** Frame-time sink for measurements (ms between frames). */
  onFrame?(deltaMs: number): void;
}

// Canvas element keys are the editor's (canvas/patch.ts): `n:<node>`, `l:<link>`.
const nodeIdOf = (key: string) => parseKey(key)?.id ?? key;
const linkIdOf = nodeIdOf;

export function attachRunOverlay(cy: Core, store: RunStore, hooks: OverlayHooks): () => void {
  const container = cy.container();
  if (!container) return () => undefined;
  if (getComputedStyle(container).position === 'static') container.style.position = 'relative';
  const canvas = document.createElement('canvas');
  canvas.className = 'run-overlay';
  canvas.dataset.testid = 'run-overlay';
  container.appendChild(canvas);
  const tip = document.createElement('div');
  tip.className = 'run-tooltip';
  tip.hidden = true;
  container.appendChild(tip);
  const chip = journeyChip(() => store.getState().follow(null));
  container.appendChild(chip.el);
  const ctx = canvas.getContext('2d');
  let raf = 0;
  let last = 0;
  let hover: { x: number; y: number } | null = null;
  let hoverElement: { node?: string; link?: string } | null = null;

  const frame = (t: number) => {
    raf = requestAnimationFrame(frame);
    if (last) hooks.onFrame?.(t - last);
    last = t;
    if (ctx) draw(cy, canvas, ctx, store, t, hover, tip, hoverElement);
    chip.update(store.getState().status === 'running' ? store.getState().journey : null);
  };
  raf = requestAnimationFrame(frame);

  const running = () => store.getState().status === 'running';
  const onDbl = (e: EventObject) => {
    if (running() && e.target.hasClass('node')) void store.getState().openShell(nodeIdOf(e.target.id()));
  };
  const onCxt = (e: EventObject) => {
    if (!running()) return;
    const oe = e.originalEvent as MouseEvent | undefined;
    const x = oe?.clientX ?? 0;
    const y = oe?.clientY ?? 0;
    if (e.target.hasClass?.('node')) hooks.contextMenu({ node: nodeIdOf(e.target.id()) }, x, y);
    else if (e.target.hasClass?.('link')) hooks.contextMenu({ link: linkIdOf(e.target.id()) }, x, y);
  };
  const onTap = (e: EventObject) => {
    if (running() && e.target.hasClass?.('node')) void store.getState().inspect(nodeIdOf(e.target.id()));
  };
  const onOver = (e: EventObject) => {
    if (!running()) return;
    hoverElement = e.target.hasClass('node') ? { node: nodeIdOf(e.target.id()) } : { link: linkIdOf(e.target.id()) };
    void store.getState().refreshCounters();
  };
  const onOut = () => {
    hoverElement = null;
  };
  const onMove = (ev: MouseEvent) => {
    const r = container.getBoundingClientRect();
    hover = { x: ev.clientX - r.left, y: ev.clientY - r.top };
  };
  const onLeave = () => {
    hover = null;
    hoverElement = null;
  };
  cy.on('dbltap', 'node', onDbl);
  cy.on('cxttap', onCxt);
  cy.on('tap', 'node', onTap);
  cy.on('mouseover', 'node.node, edge.link', onOver);
  cy.on('mouseout', 'node.node, edge.link', onOut);
  container.addEventListener('mousemove', onMove);
  container.addEventListener('mouseleave', onLeave);
  return () => {
    cancelAnimationFrame(raf);
    cy.off('dbltap', 'node', onDbl);
    cy.off('cxttap', onCxt);
    cy.off('tap', 'node', onTap);
    cy.off('mouseover', 'node.node, edge.link', onOver);
    cy.off('mouseout', 'node.node, edge.link', onOut);
    container.removeEventListener('mousemove', onMove);
    container.removeEventListener('mouseleave', onLeave);
    canvas.remove();
    tip.remove();
    chip.el.remove();
  };
}

type Pt = { x: number; y: number };

function draw(
  cy: Core, canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, store: RunStore, wallMs: number,
  hover: Pt | null, tip: HTMLDivElement, hoverElement: { node?: string; link?: string } | null,
): void {
  const w = canvas.parentElement!.clientWidth;
  const h = canvas.parentElement!.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const s = store.getState();
  const anim = store.animator();
  if (s.status !== 'running' || !anim || !s.doc) {
    tip.hidden = true;
    return;
  }
  anim.prune(wallMs);
  const zoom = cy.zoom();
  const pan = cy.pan();
  const posCache = new Map<string, Pt | null>();
  const pos = (nodeId: string): Pt | null => {
    if (posCache.has(nodeId)) return posCache.get(nodeId)!;
    const el = cy.getElementById(nodeKey(nodeId));
    const p = el.nonempty() ? { x: el.position('x') * zoom + pan.x, y: el.position('y') * zoom + pan.y } : null;
    posCache.set(nodeId, p);
    return p;
  };
  drawLinks(ctx, s.doc.links, anim, wallMs, pos, zoom);
  if (s.journey !== null) drawJourney(ctx, s.journey, s.doc.links, pos, zoom);
  drawBadges(ctx, s.doc.nodes.map((n) => n.id), pos, zoom);
  drawDots(ctx, anim, wallMs, pos, zoom);
  const dropHit = drawDrops(ctx, anim, wallMs, pos, zoom, hover);
  drawFlash(ctx, s.highlight, s.doc.links, pos, zoom, wallMs);
  updateTip(tip, hover, dropHit, hoverElement, s, anim.dropShowMs);
}

function drawLinks(ctx: CanvasRenderingContext2D, links: { id: string; a: { node: string }; b: { node: string } }[], anim: PacketAnimator, wallMs: number, pos: (id: string) => Pt | null, zoom: number) {
  for (const l of links) {
    const colour = loadColor(anim.linkLevel(l.id, wallMs));
    if (!colour) continue;
    const a = pos(l.a.node);
    const b = pos(l.b.node);
    if (!a || !b) continue;
    const level = anim.linkLevel(l.id, wallMs);
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.65;
    ctx.lineWidth = (3 + 7 * level) * Math.max(0.5, zoom);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}

function drawBadges(ctx: CanvasRenderingContext2D, nodes: string[], pos: (id: string) => Pt | null, zoom: number) {
  ctx.fillStyle = '#16a34a';
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 1.5;
  for (const id of nodes) {
    const p = pos(id);
    if (!p) continue;
    ctx.beginPath();
    ctx.arc(p.x + 20 * zoom, p.y - 20 * zoom, Math.max(3, 5 * zoom), 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
}

function drawDots(ctx: CanvasRenderingContext2D, anim: PacketAnimator, wallMs: number, pos: (id: string) => Pt | null, zoom: number) {
  const r = Math.max(3, 6 * zoom);
  for (const d of anim.dots) {
    const t = PacketAnimator.progress(d, wallMs);
    if (t === null) continue;
    const a = pos(d.from);
    const b = pos(d.to);
    if (!a || !b) continue;
    const p = lerp(a, b, t);
    ctx.fillStyle = PROTO_COLORS[d.proto] ?? PROTO_COLORS.other;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    if (d.mark) drawTcpMark(ctx, d.mark, p, r);
  }
}

/** Ring colour per TCP mark: opening green-blue, closing amber, reset red. */
const MARK_COLORS = { SYN: '#0b7285', 'SYN-ACK': '#0b7285', FIN: '#e67700', RST: '#c92a2a' } as const satisfies Record<TcpMark, string>;

/** A ring around the dot and a small label (SYN, SYN-ACK, FIN, RST) above it. */
function drawTcpMark(ctx: CanvasRenderingContext2D, mark: TcpMark, p: Pt, r: number) {
  const color = MARK_COLORS[mark];
  ctx.strokeStyle = color;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.arc(p.x, p.y, r + 4, 0, Math.PI * 2);
  ctx.stroke();
  ctx.font = 'bold 10px system-ui, sans-serif';
  const w = ctx.measureText(mark).width + 8;
  const x = p.x - w / 2;
  const y = p.y - r - 20;
  ctx.fillStyle = color;
  ctx.fillRect(x, y, w, 14);
  ctx.fillStyle = '#fff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(mark, p.x, y + 7);
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
}

/**
 * A red cross above-left of each node that dropped frames lately (one per node, however
 * many it dropped, with the count beside it), fading with its newest drop; returns the
 * node's marks under the pointer.
 */
function drawDrops(ctx: CanvasRenderingContext2D, anim: PacketAnimator, wallMs: number, pos: (id: string) => Pt | null, zoom: number, hover: Pt | null): DropGroup | null {
  let hit: DropGroup | null = null;
  for (const g of anim.dropGroups(wallMs)) {
    const p = pos(g.node);
    if (!p) continue;
    // above-left of the icon: the badge is top-right, the name label below
    const x = p.x - 26 * zoom;
    const y = p.y - 26 * zoom;
    const age = (wallMs - g.newest.wallMs) / anim.dropShowMs;
    ctx.globalAlpha = Math.max(0.25, 1 - age);
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 3;
    const k = 6;
    ctx.beginPath();
    ctx.moveTo(x - k, y - k);
    ctx.lineTo(x + k, y + k);
    ctx.moveTo(x + k, y - k);
    ctx.lineTo(x - k, y + k);
    ctx.stroke();
    let right = x + k;
    if (g.count > 1 || g.atLeast) {
      // The count right of the cross, on a white halo so it reads over links and dots.
      const label = g.atLeast ? `${g.count}+` : String(g.count);
      ctx.font = 'bold 11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#fff';
      ctx.strokeText(label, x + k + 3, y);
      ctx.fillStyle = '#dc2626';
      ctx.fillText(label, x + k + 3, y);
      ctx.textBaseline = 'alphabetic';
      right = x + k + 3 + ctx.measureText(label).width;
    }
    ctx.globalAlpha = 1;
    if (hover && hover.x > x - 10 && hover.x < right + 4 && Math.abs(hover.y - y) < 10) hit = g;
  }
  return hit;
}

/** The colour of a followed packet's path (no protocol, load or flash colour uses it). */
export const JOURNEY_COLOR = '#c026d3';

/** Every link and node a followed packet went through, in one colour, under the moving dots. */
function drawJourney(ctx: CanvasRenderingContext2D, j: JourneyPath, links: { id: string; a: { node: string }; b: { node: string } }[], pos: (id: string) => Pt | null, zoom: number) {
  ctx.strokeStyle = JOURNEY_COLOR;
  ctx.globalAlpha = 0.8;
  ctx.lineCap = 'round';
  ctx.lineWidth = 8 * Math.max(0.5, zoom);
  const on = new Set(j.links);
  for (const l of links) {
    if (!on.has(l.id)) continue;
    const a = pos(l.a.node);
    const b = pos(l.b.node);
    if (!a || !b) continue;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
  ctx.lineWidth = 4;
  for (const n of j.nodes) {
    const p = pos(n);
    if (!p) continue;
    ctx.beginPath();
    ctx.arc(p.x, p.y, 30 * zoom, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.lineCap = 'butt';
}

/** "Following …" over the canvas while a packet is followed, with the button that stops it. */
function journeyChip(stop: () => void): { el: HTMLDivElement; update(j: JourneyPath | null): void } {
  const el = document.createElement('div');
  el.className = 'run-journey-chip';
  el.dataset.testid = 'journey-chip';
  el.hidden = true;
  const swatch = document.createElement('span');
  swatch.className = 'run-journey-swatch';
  swatch.style.background = JOURNEY_COLOR;
  const text = document.createElement('span');
  text.className = 'run-journey-text';
  const button = document.createElement('button');
  button.textContent = 'Stop following';
  button.dataset.testid = 'journey-stop';
  button.addEventListener('click', stop);
  el.append(swatch, text, button);
  let shown: JourneyPath | null = null;
  return {
    el,
    update(j) {
      if (j === shown) return;
      shown = j;
      el.hidden = j === null;
      if (j === null) return;
      const where = j.nodes.length === 0 ? 'not sent yet at this moment' : `${j.nodes.length} node${j.nodes.length === 1 ? '' : 's'}, ${j.links.length} link${j.links.length === 1 ? '' : 's'}`;
      text.textContent = `Following ${j.label || 'a packet'}: ${where}`;
      text.title = j.label;
      el.dataset.nodes = String(j.nodes.length);
      el.dataset.links = String(j.links.length);
    },
  };
}

/** How long a selected packet's place flashes on the canvas. */
export const FLASH_MS = 2500;

function drawFlash(ctx: CanvasRenderingContext2D, hl: { node?: string; link?: string; atMs: number } | null, links: { id: string; a: { node: string }; b: { node: string } }[], pos: (id: string) => Pt | null, zoom: number, wallMs: number) {
  if (!hl || wallMs - hl.atMs > FLASH_MS) return;
  const fade = 1 - (wallMs - hl.atMs) / FLASH_MS;
  const pulse = 0.5 + 0.5 * Math.sin(wallMs / 120);
  ctx.strokeStyle = `rgba(250, 176, 5, ${fade * (0.5 + 0.5 * pulse)})`;
  ctx.lineWidth = 4;
  if (hl.node) {
    const p = pos(hl.node);
    if (p) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, 34 * zoom, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  const l = hl.link ? links.find((x) => x.id === hl.link) : undefined;
  if (l) {
    const a = pos(l.a.node);
    const b = pos(l.b.node);
    if (a && b) {
      ctx.lineWidth = 10 * Math.max(0.5, zoom);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    }
  }
}

function updateTip(tip: HTMLDivElement, hover: Pt | null, drop: DropGroup | null, el: { node?: string; link?: string } | null, s: ReturnType<RunStore['getState']>, dropShowMs: number) {
  let text = '';
  if (drop) text = dropTipText(drop, dropShowMs);
  else if (el && s.doc) {
    const nodeIds = el.node ? [el.node] : (() => {
      const l = s.doc!.links.find((x) => x.id === el.link);
      return l ? [l.a.node, l.b.node] : [];
    })();
    const names = new Map(s.doc.nodes.map((n) => [n.id, n.name]));
    const rows = s.counters.filter((c) => nodeIds.some((id) => c.node === id || c.node === names.get(id)));
    if (rows.length) {
      text = rows.map((c) => `${names.get(c.node) ?? c.node}:${c.iface}  rx ${c.rxPackets} pkts/${c.rxBytes} B  tx ${c.txPackets} pkts/${c.txBytes} B  drops ${c.drops}`).join('\n');
    }
  }
  if (!text || !hover) {
    tip.hidden = true;
    return;
  }
  tip.hidden = false;
  if (tip.textContent !== text) tip.textContent = text;
  tip.style.left = `${hover.x + 14}px`;
  tip.style.top = `${hover.y + 14}px`;
}

/** The hover text of a node's drop marks: its newest drop, then how many there were and why. */
export function dropTipText(g: DropGroup, showMs: number): string {
  const lines = [`Dropped: ${g.newest.reason}`, g.newest.summary];
  if (g.count > 1 || g.atLeast) {
    const n = g.atLeast ? `At least ${g.count} drops` : `${g.count} drops`;
    lines.push(`${n} here in the last ${Math.round(showMs / 1000)} s: ${g.reasons.map((r) => `${r.count} ${r.reason}`).join(', ')}`);
  }
  return lines.join('\n');
}
