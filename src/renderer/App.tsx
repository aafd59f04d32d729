// The editor shell: toolbar, palette, canvas, properties, notices and the run-mode slot.
// Wires keyboard, Electron menu, window title and the close guard. Layout only.
import type { Core } from 'cytoscape';
import { useEffect, useState } from 'react';
import { useDoc, useServices } from './app-context';
import { Canvas } from './canvas/Canvas';
import * as C from './commands';
import type { VirtnetDesktopApi, MenuCommand } from '../preload/api';
import { handleKey } from './keyboard';
import { LabSlot } from './lab/LabSlot';
import { CanvasTabs } from './panels/CanvasTabs';
import { ContextMenu } from './panels/ContextMenu';
import { Banner, StatusBar, WarningsPanel } from './panels/Notices';
import { Palette } from './panels/Palette';
import { PropertiesPanel } from './panels/PropertiesPanel';
import { RecoveryDialog } from './recovery/RecoveryDialog';
import { Toolbar } from './panels/Toolbar';
import { RunPanelSlot, useRunSlot } from './run-slot';
import { isDirty, windowTitle } from './store/doc-store';

function useMenuAndTitle(locked: boolean) {
  const s = useServices();
  const title = useDoc(windowTitle);
  const dirty = useDoc(isDirty);
  useEffect(() => s.files.setTitle(title, dirty), [s, title, dirty]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleKey(s, e, locked);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s, locked]);
  useEffect(() => {
    // Browser mode: the page's own unload prompt guards unsaved work.
    const onUnload = (e: BeforeUnloadEvent) => {
      if (isDirty(s.docStore.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    const api = (window as { virtnet?: VirtnetDesktopApi }).virtnet;
    if (!api) return () => window.removeEventListener('beforeunload', onUnload);
    const menu: Record<MenuCommand, () => unknown> = {
      'file/new': () => C.newDocument(s),
      'file/open': () => C.openDocument(s),
      'file/save': () => C.saveDocument(s),
      'file/save-as': () => C.saveDocumentAs(s),
      'file/export-png': () => C.exportPng(s),
      'file/export-svg': () => C.exportSvgFile(s),
      'edit/undo': () => C.undo(s),
      'edit/redo': () => C.redo(s),
      'edit/copy': () => C.copy(s),
      'edit/paste': () => C.paste(s),
      'edit/duplicate': () => C.duplicateSelection(s),
      'edit/delete': () => C.deleteSelection(s),
      'edit/select-all': () => C.selectAll(s),
      'view/fit': () => C.fit(s),
      'view/zoom-in': () => C.zoomBy(s, 1.25),
      'view/zoom-out': () => C.zoomBy(s, 0.8),
    };
    const offMenu = api.onMenu((c) => void menu[c]?.());
    const offClose = api.onCloseRequest(async () => {
      if (!isDirty(s.docStore.getState()) || (await s.files.confirmDiscard('The topology has unsaved changes. Quit anyway?'))) api.closeOk();
    });
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      offMenu();
      offClose();
    };
  }, [s]);
}

export function App() {
  const s = useServices();
  const doc = useDoc((d) => d.doc);
  const [cy, setCy] = useState<Core | null>(null);
  const run = useRunSlot({ doc, cy, docStore: s.docStore });
  const locked = run.running;
  useMenuAndTitle(locked);
  useEffect(() => {
    if (run.error) s.uiStore.getState().showBanner({ tone: 'error', title: 'Run', detail: run.error });
  }, [s, run.error]);
  useEffect(() => void C.refreshRecent(s), [s]);
  // An edit the guard refused (a lab's lock): say which lock, in the banner.
  const refused = useDoc((d) => d.refused);
  useEffect(() => {
    if (refused) s.uiStore.getState().showBanner({ tone: 'error', title: 'This part is locked', detail: refused.message });
  }, [s, refused]);
  const hasLab = useDoc((d) => !!d.doc.lab);
  return (
    <div className="app">
      <Toolbar run={run} />
      <div className={`workspace${hasLab ? ' with-lab' : ''}`}>
        <Palette locked={locked} />
        <LabSlot />
        <main className="canvas-wrap">
          <Canvas locked={locked} onReady={setCy} />
          <div className="notices">
            <Banner />
          </div>
          <CanvasTabs />
          <div className="notices bottom">
            <WarningsPanel />
          </div>
          <ContextMenu />
        </main>
        <PropertiesPanel locked={locked} />
      </div>
      <RunPanelSlot doc={doc} cy={cy} docStore={s.docStore} run={run} />
      <StatusBar running={locked} />
      <RecoveryDialog />
    </div>
  );
}
