// Cytoscape stylesheet of the editor canvas, light or dark: icon nodes with readable haloed
// names, links, the label elements the label layer places (interface/address, parameters),
// stubs for links to other canvases, annotations drawn behind.
import type { StylesheetJson } from 'cytoscape';
import { canvasIconUri, KIND_COLORS } from './icons';
import { LINE_HEIGHT, LINK_FONT_PX, NAME_FONT_PX } from './label-scene';

export const FONT = 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif';

export type Theme = 'light' | 'dark';

export const THEMES = {
  light: { text: '#111827', linkText: '#334155', halo: '#ffffff', accent: '#2563eb', stubFill: '#eef2ff', stubText: '#1e3a8a', areaOpacity: 0.55 },
  // Files colour their areas for a white page: on a dark one they are only tinted.
  dark: { text: '#e5e7eb', linkText: '#cbd5e1', halo: '#1b2130', accent: '#60a5fa', stubFill: '#1e293b', stubText: '#bfdbfe', areaOpacity: 0.14 },
} as const;

// Typed loosely: @types/cytoscape lags behind the style names Cytoscape 3.34 accepts.
const baseStyle = (t: (typeof THEMES)[Theme]) => {
  const ACCENT = t.accent;
  return [
  {
    selector: 'node.node',
    style: {
      width: 48,
      height: 48,
      shape: 'round-rectangle',
      'background-opacity': 0,
      'background-fit': 'contain',
      'background-clip': 'none',
      'border-width': 0,
      // The label layer sets the shown name and where its centre goes.
      label: 'data(shownName)',
      'font-family': FONT,
      'font-size': NAME_FONT_PX,
      'font-weight': 600,
      color: t.text,
      'text-valign': 'center',
      'text-halign': 'center',
      'text-margin-x': 'data(nameDx)',
      'text-margin-y': 'data(nameDy)',
      'text-background-color': t.halo,
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'text-background-shape': 'round-rectangle',
      'z-index': 10,
    },
  },
  { selector: 'node.node[fs]', style: { 'font-size': 'data(fs)' } },
  {
    selector: 'node.vlabel',
    style: {
      width: 1,
      height: 1,
      'background-opacity': 0,
      'border-width': 0,
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 'data(fs)',
      color: t.linkText,
      'text-valign': 'center',
      'text-halign': 'center',
      'text-wrap': 'wrap',
      'line-height': LINE_HEIGHT,
      'text-background-color': t.halo,
      'text-background-opacity': 0.92,
      'text-background-padding': 'data(pad)',
      'text-background-shape': 'round-rectangle',
      events: 'no',
      'overlay-opacity': 0,
      'z-index': 8,
    },
  },
  {
    selector: 'node.stub',
    style: {
      shape: 'round-rectangle',
      width: 'label',
      height: 'label',
      padding: 'data(pad)',
      'background-color': t.stubFill,
      'border-color': ACCENT,
      'border-width': 1.5,
      'border-style': 'dashed',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 'data(fs)',
      'font-weight': 600,
      color: t.stubText,
      'text-valign': 'center',
      'text-halign': 'center',
      'z-index': 9,
    },
  },
  { selector: 'node.stub:active', style: { 'overlay-color': ACCENT, 'overlay-opacity': 0.2 } },
  {
    selector: 'node.node:selected',
    style: { 'overlay-color': ACCENT, 'overlay-opacity': 0.18, 'overlay-padding': 6, 'overlay-shape': 'round-rectangle', color: ACCENT },
  },
  {
    selector: 'edge.link',
    style: {
      width: 'data(width)',
      'line-color': 'data(color)',
      'curve-style': 'bezier',
      'z-index': 5,
    },
  },
  { selector: 'edge.link.stub-link', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
  { selector: 'edge.link.down', style: { 'line-style': 'dashed', 'line-color': '#dc2626' } },
  { selector: 'edge.link:selected', style: { 'line-color': ACCENT, width: 4, color: ACCENT } },
  {
    selector: 'node.annotation',
    style: {
      width: 'data(w)',
      height: 'data(h)',
      'background-color': 'data(fill)',
      'background-opacity': t.areaOpacity,
      'border-color': 'data(color)',
      'border-width': 1.5,
      'border-style': 'dashed',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 13,
      'font-weight': 600,
      color: 'data(labelColor)',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': 18,
      'z-index': 0,
      'z-compound-depth': 'bottom',
    },
  },
  { selector: 'node.ann-rect', style: { shape: 'round-rectangle' } },
  { selector: 'node.ann-oval', style: { shape: 'ellipse' } },
  {
    selector: 'node.ann-text',
    style: { 'background-opacity': 0, 'border-width': 0, 'text-valign': 'center', 'text-margin-y': 0, 'font-size': 15, shape: 'rectangle', width: 'label', height: 'label', padding: '4px' },
  },
  { selector: 'node.annotation:selected', style: { 'border-color': ACCENT, 'border-width': 2, 'border-style': 'solid' } },
  // edgehandles' own elements while drawing a link
  { selector: '.eh-handle', style: { 'background-color': ACCENT, width: 12, height: 12, shape: 'ellipse', 'overlay-opacity': 0, 'border-width': 0 } },
  { selector: '.eh-hover', style: { 'overlay-color': ACCENT, 'overlay-opacity': 0.25, 'overlay-padding': 8 } },
  { selector: '.eh-source', style: { 'overlay-color': ACCENT, 'overlay-opacity': 0.25, 'overlay-padding': 8 } },
  { selector: '.eh-target', style: { 'overlay-color': '#16a34a', 'overlay-opacity': 0.3, 'overlay-padding': 8 } },
  { selector: '.eh-preview, .eh-ghost-edge', style: { 'line-color': ACCENT, 'line-style': 'dashed', width: 2, 'target-arrow-shape': 'none', label: '' } },
  { selector: '.eh-ghost-edge.eh-preview-active', style: { opacity: 0 } },
  ];
};

/**
 * The stylesheet, built when a canvas is created (after rasterizeIcons()). Icons are
 * per-kind class rules, not element data: Cytoscape hashes mapped data on every style
 * pass, and hashing a data: URI per node costs seconds at hundreds of nodes.
 */
export function canvasStyle(theme: Theme = 'light'): StylesheetJson {
  const base = baseStyle(THEMES[theme]);
  const icons = (Object.keys(KIND_COLORS) as (keyof typeof KIND_COLORS)[]).map((k) => ({
    selector: `node.kind-${k}`,
    style: { 'background-image': canvasIconUri(k) },
  }));
  return [...base.slice(0, 1), ...icons, ...base.slice(1)] as unknown as StylesheetJson;
}
