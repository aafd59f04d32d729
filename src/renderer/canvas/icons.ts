// SVG icons for node kinds (palette and canvas share them): a coloured rounded tile with a
// white glyph, readable at 24–64 px. Must not depend on the DOM; strings only.
import type { NodeKind } from '../../emulator/topology/document';

const TILE = (fill: string, glyph: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
  `<rect x="2" y="2" width="60" height="60" rx="14" fill="${fill}"/>` +
  `<rect x="2" y="2" width="60" height="60" rx="14" fill="none" stroke="#000" stroke-opacity=".12" stroke-width="2"/>` +
  `<g fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round">${glyph}</g></svg>`;

export const KIND_COLORS = {
  pc: '#2563eb',
  host: '#0f766e',
  router: '#ea580c',
  lanswitch: '#7c3aed',
  hub: '#475569',
  stpswitch: '#6d28d9',
  filter: '#b91c1c',
  packgen: '#0e7490',
  other: '#64748b',
} as const;

const GLYPHS = {
  // monitor on a stand
  pc: '<rect x="14" y="16" width="36" height="24" rx="3"/><path d="M32 40v7M23 48h18"/>',
  // server tower with drive bays
  host: '<rect x="20" y="12" width="24" height="40" rx="3"/><path d="M26 21h12M26 28h12"/><circle cx="32" cy="43" r="1.5" fill="#fff"/>',
  // classic router: four arrows in and out of a centre
  router:
    '<circle cx="32" cy="32" r="17"/><path d="M32 19v10M28 23l4-4 4 4M32 45V35M28 41l4 4 4-4M19 32h10M23 28l-4 4 4 4M45 32H35M41 28l4 4-4 4"/>',
  // switch: two opposite arrows
  lanswitch: '<path d="M14 25h32M40 19l6 6-6 6M50 39H18M24 33l-6 6 6 6"/>',
  // hub: bar with ports
  hub: '<rect x="12" y="24" width="40" height="16" rx="3"/><path d="M20 32h0M28 32h0M36 32h0M44 32h0" stroke-width="4.5"/>',
  // STP switch: the switch's arrows over a small spanning tree
  stpswitch: '<path d="M14 21h32M40 15l6 6-6 6M50 33H18M24 27l-6 6 6 6M32 43v8M22 51h20"/>',
  // filter: a funnel, frames in at the top, the matching ones out below
  filter: '<path d="M14 17h36L36 34v12l-8 5V34z"/>',
  // packet generator: a frame leaving with motion lines
  packgen: '<rect x="26" y="22" width="24" height="20" rx="3"/><path d="M14 26h7M11 32h10M14 38h7M32 29h12M32 35h8"/>',
  other: '<rect x="16" y="16" width="32" height="32" rx="6"/><path d="M27 27a5 5 0 1 1 6 5v3M32 41v0"/>',
} as const;

export type IconKind = keyof typeof GLYPHS;

export function iconKind(kind: NodeKind): IconKind {
  return kind in GLYPHS ? (kind as IconKind) : 'other';
}

export function iconSvg(kind: NodeKind): string {
  const k = iconKind(kind);
  return TILE(KIND_COLORS[k], GLYPHS[k]);
}

const cache = new Map<string, string>();
const bitmaps = new Map<string, string>();

/** `data:` URI of the kind's icon as SVG (cached; for <img> and exports). */
export function iconDataUri(kind: NodeKind): string {
  const k = iconKind(kind);
  let uri = cache.get(k);
  if (!uri) {
    uri = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(iconSvg(k))}`;
    cache.set(k, uri);
  }
  return uri;
}

/**
 * Icon for the canvas: a PNG once rasterizeIcons() ran (Chromium re-rasterizes an SVG on
 * every drawImage, which costs seconds per frame at hundreds of nodes), the SVG before.
 */
export function canvasIconUri(kind: NodeKind): string {
  return bitmaps.get(iconKind(kind)) ?? iconDataUri(kind);
}

/** Rasterizes every icon once at `sizePx` (browser only; resolves when done). */
export async function rasterizeIcons(sizePx = 128): Promise<void> {
  if (typeof document === 'undefined' || typeof Image === 'undefined') return;
  await Promise.all(
    (Object.keys(GLYPHS) as IconKind[]).map(
      (k) =>
        new Promise<void>((resolve) => {
          const img = new Image(sizePx, sizePx);
          img.onload = () => {
            const c = document.createElement('canvas');
            c.width = c.height = sizePx;
            const ctx = c.getContext('2d');
            if (ctx) {
              ctx.drawImage(img, 0, 0, sizePx, sizePx);
              bitmaps.set(k, c.toDataURL('image/png'));
            }
            resolve();
          };
          img.onerror = () => resolve();
          img.src = iconDataUri(k);
        }),
    ),
  );
}

/** Palette entries in IMUNES order, with what a student reads on hover. */
export const PALETTE_KINDS = [
  { kind: 'pc', label: 'PC', hint: 'Workstation (address .20, default route to a router)' },
  { kind: 'host', label: 'Host', hint: 'Server host (address .10)' },
  { kind: 'router', label: 'Router', hint: 'IPv4 router (address .1, forwarding on)' },
  { kind: 'lanswitch', label: 'Switch', hint: 'Learning Ethernet switch' },
  { kind: 'hub', label: 'Hub', hint: 'Ethernet hub (repeats every frame)' },
  { kind: 'stpswitch', label: 'STP switch', hint: 'Switch running (R)STP: blocks redundant ports of a loop' },
  { kind: 'filter', label: 'Filter', hint: 'Pattern filter (ng_patmat): rules per interface pass, copy or drop frames' },
  { kind: 'packgen', label: 'Packet gen', hint: 'Packet generator: sends its packet list at a set rate (one link)' },
] as const;
