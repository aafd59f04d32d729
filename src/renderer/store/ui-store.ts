// Editor UI state that is not part of the document: the active tool, label toggles, grid,
// import warnings, the message banner, recent files, the open context menu and the node
// being renamed in place. Pure zustand (vanilla) store.
import { createStore } from 'zustand/vanilla';
import type { NodeKind, Point } from '../../emulator/topology/document';
import type { AnnotationShape } from './editor-actions';

export type Tool = { kind: 'select' } | { kind: 'link' } | { kind: 'place'; nodeKind: NodeKind } | { kind: 'annotate'; shape: AnnotationShape };

export interface LabelToggles {
  names: boolean;
  addresses: boolean;
  interfaces: boolean;
  /** The first IPv6 address of each link end (beside or instead of the IPv4 one). */
  ipv6: boolean;
  /** Bandwidth/delay/loss summary in the middle of each link. */
  linkParams: boolean;
}

export interface Banner {
  tone: 'error' | 'info';
  title: string;
  detail?: string;
}

/** A right-click menu: where it opens (client px), where on the canvas (model), and on what. */
export type ContextMenu =
  | { on: 'node'; id: string; client: Point; model: Point }
  | { on: 'link'; id: string; client: Point; model: Point }
  | { on: 'canvas'; client: Point; model: Point };

export interface UiState {
  tool: Tool;
  labels: LabelToggles;
  snapToGrid: boolean;
  gridPx: number;
  warnings: readonly string[];
  banner: Banner | null;
  recent: readonly string[];
  /** Canvas (IMUNES page) shown; null = the document's first. */
  canvas: string | null;
  menu: ContextMenu | null;
  /** Node whose name is being edited on the canvas. */
  renaming: string | null;
  openMenu(menu: ContextMenu | null): void;
  setRenaming(node: string | null): void;
  setCanvas(canvas: string | null): void;
  setTool(tool: Tool): void;
  toggleLabel(which: keyof LabelToggles): void;
  setSnap(on: boolean): void;
  showWarnings(warnings: readonly string[]): void;
  showBanner(banner: Banner | null): void;
  setRecent(recent: readonly string[]): void;
}

export function createUiStore() {
  return createStore<UiState>()((set) => ({
    tool: { kind: 'select' },
    labels: { names: true, addresses: true, interfaces: false, ipv6: false, linkParams: true },
    snapToGrid: true,
    gridPx: 20,
    warnings: [],
    banner: null,
    recent: [],
    canvas: null,
    menu: null,
    renaming: null,
    openMenu: (menu) => set({ menu }),
    setRenaming: (renaming) => set({ renaming, menu: null }),
    setCanvas: (canvas) => set({ canvas }),
    setTool: (tool) => set({ tool }),
    toggleLabel: (which) => set((s) => ({ labels: { ...s.labels, [which]: !s.labels[which] } })),
    setSnap: (snapToGrid) => set({ snapToGrid }),
    showWarnings: (warnings) => set({ warnings }),
    showBanner: (banner) => set({ banner }),
    setRecent: (recent) => set({ recent }),
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;
