// SVG export built from the document itself (not a screenshot): annotations, links with
// end labels, node icons and names, in canvas coordinates with a margin. Pure; returns text.
import type { TopologyDoc } from '../../emulator/topology/document';
import type { LabelToggles } from '../store/ui-store';
import { iconSvg } from './icons';
import { linkEndLabel, linkLabel } from './labels';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ICON = 48;
const MARGIN = 60;

function bounds(doc: TopologyDoc) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const n of doc.nodes) xs.push(n.position.x - ICON, n.position.x + ICON), ys.push(n.position.y - ICON, n.position.y + ICON);
  for (const a of doc.annotations) a.coords.forEach((v, i) => (i % 2 === 0 ? xs : ys).push(v));
  if (xs.length === 0) return { x: 0, y: 0, w: 400, h: 300 };
  const x = Math.min(...xs) - MARGIN;
  const y = Math.min(...ys) - MARGIN;
  return { x, y, w: Math.max(...xs) + MARGIN - x, h: Math.max(...ys) + MARGIN - y };
}

/** A point `dist` px from `from` toward `to` (where link-end labels sit). */
function along(from: { x: number; y: number }, to: { x: number; y: number }, dist: number) {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  return { x: from.x + (dx / len) * Math.min(dist, len / 2), y: from.y + (dy / len) * Math.min(dist, len / 2) };
}

export function exportSvg(doc: TopologyDoc, labels: LabelToggles): string {
  const b = bounds(doc);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(b.w)}" height="${Math.round(b.h)}" viewBox="${b.x} ${b.y} ${b.w} ${b.h}" font-family="Inter, Segoe UI, sans-serif">`);
  out.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="#ffffff"/>`);
  for (const a of doc.annotations) {
    const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = a.coords;
    const label = a.label ? esc(a.label) : '';
    if (a.kind === 'text') out.push(`<text x="${x1}" y="${y1}" font-size="15" fill="${esc(a.color ?? '#1f2937')}" text-anchor="middle">${label}</text>`);
    else {
      const [x, y, w, h] = [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)];
      const style = `fill="${esc(a.fill ?? '#eef2ff')}" fill-opacity="0.55" stroke="${esc(a.color ?? '#64748b')}" stroke-dasharray="6 4"`;
      out.push(a.kind === 'oval' ? `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}" ${style}/>` : `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" ${style}/>`);
      if (label) out.push(`<text x="${x + w / 2}" y="${y + 18}" font-size="13" font-weight="600" text-anchor="middle" fill="${esc(a.labelColor ?? '#1f2937')}">${label}</text>`);
    }
  }
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const l of doc.links) {
    const a = byId.get(l.a.node);
    const c = byId.get(l.b.node);
    if (!a || !c) continue;
    out.push(`<line x1="${a.position.x}" y1="${a.position.y}" x2="${c.position.x}" y2="${c.position.y}" stroke="${esc(l.color ?? '#64748b')}" stroke-width="${l.width ?? 2}"${l.up === false ? ' stroke-dasharray="6 4"' : ''}/>`);
    const mid = labels.linkParams ? linkLabel(l) : '';
    if (mid) out.push(`<text x="${(a.position.x + c.position.x) / 2}" y="${(a.position.y + c.position.y) / 2 - 6}" font-size="11" text-anchor="middle" fill="#334155">${esc(mid)}</text>`);
    for (const [from, to, iface] of [[a, c, l.a.iface], [c, a, l.b.iface]] as const) {
      const t = linkEndLabel(from, iface, labels).replace(/\n/g, " ");
      if (!t) continue;
      const p = along(from.position, to.position, 58);
      out.push(`<text x="${p.x}" y="${p.y}" font-size="11" text-anchor="middle" fill="#334155" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(t)}</text>`);
    }
  }
  for (const n of doc.nodes) {
    const icon = iconSvg(n.kind).replace('<svg ', `<svg x="${n.position.x - ICON / 2}" y="${n.position.y - ICON / 2}" `).replace('width="64" height="64"', `width="${ICON}" height="${ICON}"`);
    out.push(`<g data-node="${esc(n.id)}">${icon}`);
    if (labels.names) out.push(`<text x="${n.position.x}" y="${n.position.y + ICON / 2 + 18}" font-size="13" font-weight="600" text-anchor="middle" fill="#111827">${esc(n.name)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
