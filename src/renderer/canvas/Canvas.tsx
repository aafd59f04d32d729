// The editor canvas: a thin React shell around one Cytoscape instance, patched from the
// store by keyed diffs (patch.ts), labelled by the label layer, driven by gestures
// (gestures.ts), refitted on resize while the user has not zoomed, themed like the OS.
// Must not keep its own copy of the document.
import cytoscape, { type Core } from 'cytoscape';
import edgehandles from 'cytoscape-edgehandles';
import { useEffect, useRef } from 'react';
import { useServices } from '../app-context';
import { createCanvasPatcher } from './patch';
import { bindGestures, dropKind, PALETTE_MIME } from './gestures';
import { canvasMeasure, createLabelLayer } from './label-layer';
import { canvasStyle, FONT, type Theme } from './style';
import { bindWheelZoom } from './wheel-zoom';
import { InlineRename } from './InlineRename';

let extensionRegistered = false;

const DARK = '(prefers-color-scheme: dark)';
/** The OS colour scheme (browser and Electron alike follow it). */
export function osTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia(DARK).matches ? 'dark' : 'light';
}

export function createEditorCy(container: HTMLElement): Core {
  if (!extensionRegistered) {
    cytoscape.use(edgehandles);
    extensionRegistered = true;
  }
  return cytoscape({
    container,
    style: canvasStyle(osTheme()),
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: true,
    selectionType: 'single',
    // Wheel zoom is ours (wheel-zoom.ts): Cytoscape's zoomed about 1 % a notch.
    userZoomingEnabled: false,
    // Pan/zoom move a cached texture of the view and redraw crisply when they stop:
    // keeps frames smooth at hundreds of nodes (scripts/bench-gui.mjs).
    textureOnViewport: true,
    motionBlur: false,
  });
}

/**
 * Zoom to show everything, but never blow a small topology up past 125 %. Marks the canvas
 * as fitted, so a window resize refits it until the user zooms or pans.
 */
export function fitCanvas(cy: Core): void {
  cy.scratch('virtnetFitting', true);
  try {
    if (cy.elements().empty()) return;
    cy.fit(undefined, 60);
    if (cy.zoom() > 1.25) {
      cy.zoom(1.25);
      cy.center(cy.elements());
    }
  } finally {
    cy.scratch('virtnetFitting', false);
    cy.scratch('virtnetAutoFit', true);
  }
}

/** Every element (labels included) inside the viewport Cytoscape last measured. */
function fullyInView(cy: Core): boolean {
  if (cy.elements().empty()) return true;
  const bb = cy.elements().renderedBoundingBox();
  return bb.x1 >= 0 && bb.y1 >= 0 && bb.x2 <= cy.width() && bb.y2 <= cy.height();
}

export function Canvas({ locked, onReady }: { locked: boolean; onReady?: (cy: Core | null) => void }) {
  const { docStore, uiStore, cyRef } = useServices();
  const ref = useRef<HTMLDivElement>(null);
  const lockedRef = useRef(locked);
  lockedRef.current = locked;
  const refreshRef = useRef<(() => void) | null>(null);
  useEffect(() => refreshRef.current?.(), [locked]);

  useEffect(() => {
    const cy = createEditorCy(ref.current!);
    cyRef.current = cy;
    const patcher = createCanvasPatcher(cy);
    const labels = createLabelLayer(cy, canvasMeasure(FONT), () => patcher.models());
    const sync = () => {
      patcher.sync(docStore.getState().doc, uiStore.getState().labels, uiStore.getState().canvas);
      labels.relayout();
    };
    sync();
    fitCanvas(cy);
    const offWheel = bindWheelZoom(cy);
    // Any zoom or pan that is not a fit means the user chose the view: stop refitting.
    cy.on('viewport', () => {
      if (!cy.scratch('virtnetFitting')) cy.scratch('virtnetAutoFit', false);
    });
    const dark = typeof matchMedia === 'function' ? matchMedia(DARK) : null;
    const onScheme = () => cy.style(canvasStyle(osTheme()));
    dark?.addEventListener('change', onScheme);
    const eh = (cy as unknown as { edgehandles(o: object): never }).edgehandles({
      canConnect: (s: cytoscape.NodeSingular, t: cytoscape.NodeSingular) => s.id() !== t.id() && s.hasClass('node') && t.hasClass('node'),
      edgeParams: () => ({ classes: 'link' }),
      hoverDelay: 60,
      snap: true,
      snapThreshold: 30,
      noEdgeEventsInDraw: true,
      disableBrowserGestures: true,
    });
    const gestures = bindGestures({ cy, docStore, uiStore, edgeHandles: eh, isLocked: () => lockedRef.current });
    refreshRef.current = gestures.refresh;
    let lastDoc = docStore.getState().doc;
    const unsubDoc = docStore.subscribe((s) => {
      if (s.doc === lastDoc) return;
      const opened = s.past.length === 0 && s.future.length === 0;
      lastDoc = s.doc;
      sync();
      if (opened) fitCanvas(cy);
    });
    const unsubUi = uiStore.subscribe((s, p) => {
      if (s.labels !== p.labels) sync();
      if (s.canvas !== p.canvas) {
        sync();
        fitCanvas(cy);
      }
    });
    // The run panel and window resizes change the canvas box: keep Cytoscape's size in step,
    // and keep a topology that was fully in view in view (the run panel takes the bottom).
    const resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => {
      const wasInView = fullyInView(cy);
      cy.resize();
      if (cy.scratch('virtnetAutoFit') || (wasInView && !fullyInView(cy))) fitCanvas(cy);
    });
    resizeObserver?.observe(ref.current!);
    onReady?.(cy);
    return () => {
      resizeObserver?.disconnect();
      offWheel();
      dark?.removeEventListener('change', onScheme);
      labels.dispose();
      unsubDoc();
      unsubUi();
      gestures.dispose();
      refreshRef.current = null;
      (eh as { destroy(): void }).destroy();
      cyRef.current = null;
      onReady?.(null);
      cy.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onDrop = (e: React.DragEvent) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME);
    if (!kind || !cyRef.current || locked) return;
    e.preventDefault();
    dropKind(cyRef.current, docStore, uiStore, kind, e.clientX, e.clientY);
  };

  return (
    <>
      <div
        className={`canvas${locked ? ' locked' : ''}`}
        ref={ref}
        data-testid="canvas"
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes(PALETTE_MIME)) e.preventDefault();
        }}
        onDrop={onDrop}
        onContextMenu={(e) => e.preventDefault()}
      />
      <InlineRename />
    </>
  );
}
