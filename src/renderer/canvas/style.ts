// Cytoscape stylesheet of the editor canvas: icon nodes with readable haloed labels, links
// with end labels (interface/address) and a parameter summary, annotations drawn behind.
import type { StylesheetJson } from 'cytoscape';
import { canvasIconUri, KIND_COLORS } from './icons';

const FONT = 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif';
const ACCENT = '#2563eb';

// Typed loosely: @types/cytoscape lags behind the style names Cytoscape 3.34 accepts.
const baseStyle = [
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
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 13,
      'font-weight': 600,
      color: '#111827',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-x': 'data(labelDx)',
      'text-margin-y': 'data(labelDy)',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'text-background-shape': 'round-rectangle',
      'z-index': 10,
    },
  },
  { selector: 'node.node.label-above', style: { 'text-valign': 'top' } },
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
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 10.5,
      color: '#334155',
      // One white background behind every link label (middle and ends) keeps them
      // readable where they cross lines; no rotation so they never turn upside down.
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.92,
      'text-background-padding': '2px',
      'text-background-shape': 'round-rectangle',
      'source-label': 'data(sourceLabel)',
      'target-label': 'data(targetLabel)',
      'source-text-offset': 50,
      'target-text-offset': 50,
      'min-zoomed-font-size': 6,
      'z-index': 5,
    },
  },
  { selector: 'edge.link.down', style: { 'line-style': 'dashed', 'line-color': '#dc2626' } },
  { selector: 'edge.link:selected', style: { 'line-color': ACCENT, width: 4, color: ACCENT } },
  {
    selector: 'node.annotation',
    style: {
      width: 'data(w)',
      height: 'data(h)',
      'background-color': 'data(fill)',
      'background-opacity': 0.55,
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

/**
 * The stylesheet, built when a canvas is created (after rasterizeIcons()). Icons are
 * per-kind class rules, not element data: Cytoscape hashes mapped data on every style
 * pass, and hashing a data: URI per node costs seconds at hundreds of nodes.
 */
export function canvasStyle(): StylesheetJson {
  const icons = (Object.keys(KIND_COLORS) as (keyof typeof KIND_COLORS)[]).map((k) => ({
    selector: `node.kind-${k}`,
    style: { 'background-image': canvasIconUri(k) },
  }));
  return [...baseStyle.slice(0, 1), ...icons, ...baseStyle.slice(1)] as unknown as StylesheetJson;
}
