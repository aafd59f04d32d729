// The document store (DESIGN decision 7: the store is the truth): the topology document,
// undo/redo history of whole immutable documents, the open file and the selection. Pure
// zustand (vanilla) module: no DOM, no Cytoscape; edits come in as pure functions.
import { createStore } from 'zustand/vanilla';
import { emptyDocument, type TopologyDoc } from '../../emulator/topology/document';

export const HISTORY_MAX = 200;

export type FileFormat = 'vnet' | 'imn';

export interface OpenFile {
  /** Native path (Electron) or null for an unsaved / browser-picked document. */
  path: string | null;
  name: string;
  format: FileFormat;
}

export interface Selection {
  nodes: readonly string[];
  links: readonly string[];
  annotations: readonly string[];
}

export const EMPTY_SELECTION: Selection = Object.freeze({ nodes: [], links: [], annotations: [] });

/** What an edit function returns: a new document, or the reason it was refused. */
export type EditResult = TopologyDoc | { doc: TopologyDoc } | { error: string };

/**
 * Decides whether an edit may happen (a lab's locks in student mode): null to allow it,
 * else why not, in words the user reads.
 */
export type EditGuard = (prev: TopologyDoc, next: TopologyDoc) => string | null;

export interface DocState {
  doc: TopologyDoc;
  past: readonly TopologyDoc[];
  future: readonly TopologyDoc[];
  /** The document as last saved or opened; dirty is `doc !== savedDoc`. */
  savedDoc: TopologyDoc;
  file: OpenFile;
  selection: Selection;
  /** The guard every edit passes (null: none). */
  guard: EditGuard | null;
  /** The last edit the guard refused (the editor shows it); `seq` tells repeats apart. */
  refused: { message: string; seq: number } | null;
  /** Applies `fn` to the document as one undo step; returns the refusal reason or null. */
  edit(fn: (doc: TopologyDoc) => EditResult): string | null;
  /**
   * Changes a part of the document that is not the user's editing (a lab's work record)
   * in the current document and every one in the history alike, so undo never drops it.
   * Not an undo step, never guarded; makes the document dirty.
   */
  amend(fn: (doc: TopologyDoc) => TopologyDoc): void;
  setGuard(guard: EditGuard | null): void;
  undo(): void;
  redo(): void;
  /** Opens a document: fresh history, clean. */
  load(doc: TopologyDoc, file: OpenFile): void;
  markSaved(file: OpenFile): void;
  select(selection: Partial<Selection>): void;
}

export const UNTITLED: OpenFile = Object.freeze({ path: null, name: 'untitled.vnet', format: 'vnet' });

function unwrap(r: EditResult): TopologyDoc | string {
  if ('error' in r && typeof r.error === 'string') return r.error;
  if ('doc' in r && !('nodes' in r)) return r.doc;
  return r as TopologyDoc;
}

/** Drops selected ids that no longer exist in the document. */
export function pruneSelection(doc: TopologyDoc, sel: Selection): Selection {
  const nodes = sel.nodes.filter((id) => doc.nodes.some((n) => n.id === id));
  const links = sel.links.filter((id) => doc.links.some((l) => l.id === id));
  const annotations = sel.annotations.filter((id) => doc.annotations.some((a) => a.id === id));
  if (nodes.length === sel.nodes.length && links.length === sel.links.length && annotations.length === sel.annotations.length) return sel;
  return { nodes, links, annotations };
}

export function createDocStore(initial: TopologyDoc = emptyDocument()) {
  return createStore<DocState>()((set, get) => ({
    doc: initial,
    past: [],
    future: [],
    savedDoc: initial,
    file: UNTITLED,
    selection: EMPTY_SELECTION,
    guard: null,
    refused: null,
    edit(fn) {
      const { doc, past, selection, guard } = get();
      const r = unwrap(fn(doc));
      if (typeof r === 'string') return r;
      if (r === doc) return null;
      const why = guard?.(doc, r) ?? null;
      if (why !== null) {
        set({ refused: { message: why, seq: (get().refused?.seq ?? 0) + 1 } });
        return why;
      }
      set({ doc: r, past: [...past, doc].slice(-HISTORY_MAX), future: [], selection: pruneSelection(r, selection) });
      return null;
    },
    amend(fn) {
      const { doc, past, future } = get();
      const next = fn(doc);
      if (next === doc) return;
      set({ doc: next, past: past.map(fn), future: future.map(fn) });
    },
    setGuard(guard) {
      set({ guard });
    },
    undo() {
      const { doc, past, future, selection } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      set({ doc: prev, past: past.slice(0, -1), future: [doc, ...future], selection: pruneSelection(prev, selection) });
    },
    redo() {
      const { doc, past, future, selection } = get();
      const next = future[0];
      if (!next) return;
      set({ doc: next, past: [...past, doc], future: future.slice(1), selection: pruneSelection(next, selection) });
    },
    load(doc, file) {
      set({ doc, savedDoc: doc, past: [], future: [], file, selection: EMPTY_SELECTION });
    },
    markSaved(file) {
      set({ savedDoc: get().doc, file });
    },
    select(partial) {
      const cur = get().selection;
      const next = { ...cur, ...partial };
      if (sameIds(cur.nodes, next.nodes) && sameIds(cur.links, next.links) && sameIds(cur.annotations, next.annotations)) return;
      set({ selection: next });
    },
  }));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export type DocStore = ReturnType<typeof createDocStore>;

export const isDirty = (s: Pick<DocState, 'doc' | 'savedDoc'>): boolean => s.doc !== s.savedDoc;

/** Window title: file name, an unsaved mark, the app name. */
export function windowTitle(s: Pick<DocState, 'doc' | 'savedDoc' | 'file'>): string {
  return `${isDirty(s) ? '● ' : ''}${s.file.name} — VirtNet`;
}
