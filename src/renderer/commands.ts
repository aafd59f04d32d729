// Editor commands shared by the toolbar, the keyboard and Electron's menu: new/open/save
// with the unsaved-changes guard, exports, clipboard and view commands. Must not decode
// formats (doc-codec.ts) or touch the document except through the stores.
import type { AppServices } from './app-context';
import { fitCanvas } from './canvas/Canvas';
import { emptyDocument } from '../emulator/topology/document';
import { SAMPLES } from '../emulator/topology/samples';
import { exportSvg } from './canvas/export-svg';
import { decodeTopology, encodeTopology, formatOf } from './file/doc-codec';
import type { PickedFile } from './file/file-service';
import { isDirty, UNTITLED } from './store/doc-store';
import * as A from './store/editor-actions';

const DISCARD = 'The topology has unsaved changes. Discard them?';

async function mayDiscard(s: AppServices): Promise<boolean> {
  return !isDirty(s.docStore.getState()) || s.files.confirmDiscard(DISCARD);
}

/** Loads file text into the editor; a bad file leaves the current document untouched. */
export function openText(s: AppServices, file: PickedFile): boolean {
  const r = decodeTopology(file.text, file.name);
  const ui = s.uiStore.getState();
  if (!r.ok) {
    ui.showBanner({ tone: 'error', title: `Cannot open ${file.name}`, detail: r.errors.join('\n') });
    return false;
  }
  ui.setCanvas(null);
  s.docStore.getState().load(r.doc, { path: file.path, name: file.name, format: formatOf(file.name) ?? 'vnet' });
  ui.showWarnings(r.warnings);
  ui.showBanner(null);
  void refreshRecent(s);
  return true;
}

export async function refreshRecent(s: AppServices): Promise<void> {
  try {
    s.uiStore.getState().setRecent(await s.files.recent());
  } catch {
    // the list is a convenience
  }
}

async function guarded(s: AppServices, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    s.uiStore.getState().showBanner({ tone: 'error', title: what, detail: err instanceof Error ? err.message : String(err) });
  }
}

export const newDocument = (s: AppServices) =>
  guarded(s, 'New', async () => {
    if (!(await mayDiscard(s))) return;
    s.docStore.getState().load(emptyDocument(), UNTITLED);
    s.uiStore.getState().showWarnings([]);
  });

export type SampleName = keyof typeof SAMPLES;

/** Opens one of the bundled sample labs (built in memory: works in Electron and browser mode). */
export const openSample = (s: AppServices, name: SampleName) =>
  guarded(s, 'Open sample', async () => {
    if (!(await mayDiscard(s))) return;
    const ui = s.uiStore.getState();
    ui.setCanvas(null);
    s.docStore.getState().load(SAMPLES[name](), { path: null, name, format: 'vnet' });
    ui.showWarnings([]);
    ui.showBanner(null);
  });

/** Opens a lab shipped with the app (bundled text: works in Electron and browser mode). */
export const openShippedLab = (s: AppServices, name: string, text: string) =>
  guarded(s, 'Open lab', async () => {
    if (!(await mayDiscard(s))) return;
    openText(s, { path: null, name, text });
  });

export const openDocument = (s: AppServices) =>
  guarded(s, 'Open', async () => {
    if (!(await mayDiscard(s))) return;
    const f = await s.files.open();
    if (f) openText(s, f);
  });

export const openRecent = (s: AppServices, entry: string) =>
  guarded(s, `Open ${entry}`, async () => {
    if (!(await mayDiscard(s))) return;
    openText(s, await s.files.openRecent(entry));
  });

async function write(s: AppServices, as: boolean): Promise<void> {
  const { doc, file } = s.docStore.getState();
  // Encoded once, for the name it is saved under: Save As to .imn writes IMUNES JSON.
  const encode = (name: string) => encodeTopology(doc, name);
  // Without a path, Save asks where (Electron) or downloads under the current name (browser).
  const r = as ? await s.files.saveAs(file.name, encode) : await s.files.save(file.path, file.name, encode);
  if (!r) return;
  s.docStore.getState().markSaved({ path: r.path, name: r.name, format: formatOf(r.name) ?? 'vnet' });
  void refreshRecent(s);
}

export const saveDocument = (s: AppServices) => guarded(s, 'Save', () => write(s, false));
export const saveDocumentAs = (s: AppServices) => guarded(s, 'Save As', () => write(s, true));

const baseName = (s: AppServices) => s.docStore.getState().file.name.replace(/\.(vnet|imn)$/i, '');

export const exportPng = (s: AppServices) =>
  guarded(s, 'Export PNG', async () => {
    const cy = s.cyRef.current;
    if (!cy) return;
    const blob = cy.png({ full: true, scale: 2, bg: '#ffffff', output: 'blob' }) as unknown as Blob;
    await s.files.exportFile(`${baseName(s)}.png`, new Uint8Array(await blob.arrayBuffer()), 'image/png');
  });

export const exportSvgFile = (s: AppServices) =>
  guarded(s, 'Export SVG', () => s.files.exportFile(`${baseName(s)}.svg`, exportSvg(s.docStore.getState().doc, s.uiStore.getState().labels), 'image/svg+xml'));

export function fit(s: AppServices): void {
  const cy = s.cyRef.current;
  if (cy) fitCanvas(cy);
}

export function zoomBy(s: AppServices, factor: number): void {
  const cy = s.cyRef.current;
  if (!cy) return;
  const c = cy.container()!.getBoundingClientRect();
  cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: c.width / 2, y: c.height / 2 } });
}

export const undo = (s: AppServices) => s.docStore.getState().undo();
export const redo = (s: AppServices) => s.docStore.getState().redo();
export const copy = (s: AppServices) => s.clipboard.copy(s.docStore);
export const paste = (s: AppServices) => s.clipboard.paste(s.docStore);
export const duplicateSelection = (s: AppServices) => A.duplicate(s.docStore, s.docStore.getState().selection.nodes);
export const deleteSelection = (s: AppServices) => A.deleteSelection(s.docStore);
export const selectAll = (s: AppServices) => A.selectAll(s.docStore);
