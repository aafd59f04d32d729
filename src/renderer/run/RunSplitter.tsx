// The splitter between the canvas and the run panel: drag it, or focus it and use the
// arrow keys (PageUp/PageDown for big steps, Home/End for the limits). The height is
// remembered across runs and reloads; the canvas is resized as it moves.
import { useCallback, useEffect, useRef } from 'react';

const KEY = 'virtnet.runPanelHeight';
export const PANEL_MIN_PX = 140;
/** Room the canvas always keeps (the toolbar and status bar take the rest). */
const CANVAS_MIN_PX = 160;
const STEP_PX = 24;

export function panelMaxPx(): number {
  return Math.max(PANEL_MIN_PX, window.innerHeight - CANVAS_MIN_PX - 90);
}

export function clampPanel(px: number): number {
  return Math.round(Math.min(panelMaxPx(), Math.max(PANEL_MIN_PX, px)));
}

/** The remembered height, or about a third of the window (the canvas keeps the most). */
export function initialPanelHeight(): number {
  const saved = Number(globalThis.localStorage?.getItem(KEY));
  return clampPanel(Number.isFinite(saved) && saved > 0 ? saved : window.innerHeight * 0.36);
}

export function RunSplitter({ height, onChange, onDone }: { height: number; onChange(px: number): void; onDone(): void }) {
  const drag = useRef<{ y: number; h: number } | null>(null);
  const set = useCallback(
    (px: number) => {
      const h = clampPanel(px);
      onChange(h);
      globalThis.localStorage?.setItem(KEY, String(h));
    },
    [onChange],
  );
  useEffect(() => {
    const onResize = () => set(height);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [height, set]);
  return (
    <div
      className="run-splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the run panel"
      aria-valuemin={PANEL_MIN_PX}
      aria-valuemax={panelMaxPx()}
      aria-valuenow={height}
      tabIndex={0}
      data-testid="run-splitter"
      onPointerDown={(e) => {
        drag.current = { y: e.clientY, h: height };
        (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => drag.current && set(drag.current.h + drag.current.y - e.clientY)}
      onPointerUp={() => {
        if (!drag.current) return;
        drag.current = null;
        onDone();
      }}
      onKeyDown={(e) => {
        const by: Record<string, number> = { ArrowUp: STEP_PX, ArrowDown: -STEP_PX, PageUp: STEP_PX * 4, PageDown: -STEP_PX * 4 };
        if (e.key in by) set(height + by[e.key]!);
        else if (e.key === 'Home') set(PANEL_MIN_PX);
        else if (e.key === 'End') set(panelMaxPx());
        else return;
        e.preventDefault();
        onDone();
      }}
    />
  );
}
