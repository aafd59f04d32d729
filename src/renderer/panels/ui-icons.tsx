// Small line icons for toolbar buttons (24×24 strokes, currentColor), drawn here so the
// app needs no icon font or network. Presentation only.
const PATHS = {
  new: 'M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5M12 11v6M9 14h6',
  open: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
  save: 'M5 3h11l3 3v13a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM7 3v5h8V3M7 21v-7h10v7',
  saveAs: 'M5 3h11l3 3v5M7 3v5h8V3M7 21H5a2 2 0 0 1-2-2V5M14 21l1-4 6-6 3 3-6 6z',
  undo: 'M9 14 4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3',
  redo: 'm15 14 5-5-5-5M20 9H9a5 5 0 0 0 0 10h3',
  select: 'M4 4l7 17 2.5-7.5L21 11z',
  link: 'M9 15l6-6M10 6l1-1a4 4 0 0 1 6 6l-1 1M14 18l-1 1a4 4 0 0 1-6-6l1-1',
  text: 'M5 6V4h14v2M12 4v16M9 20h6',
  rect: 'M4 5h16v14H4z',
  oval: 'M12 5c4.4 0 8 3.1 8 7s-3.6 7-8 7-8-3.1-8-7 3.6-7 8-7z',
  fit: 'M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5',
  zoomIn: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4M11 8v6M8 11h6',
  zoomOut: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4M8 11h6',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15 9h.01',
  play: 'M7 4v16l13-8z',
  stop: 'M6 6h12v12H6z',
  grid: 'M4 4h16v16H4zM4 10h16M4 16h16M10 4v16M16 4v16',
  alignLeft: 'M4 3v18M8 7h10v4H8zM8 14h6v4H8z',
  alignTop: 'M3 4h18M7 8h4v10H7zM14 8h4v6h-4z',
  close: 'M6 6l12 12M18 6 6 18',
  warn: 'M12 3 2 20h20zM12 10v4M12 17h.01',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3',
} as const;

export type UiIconName = keyof typeof PATHS;

export function UiIcon({ name, size = 18 }: { name: UiIconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
