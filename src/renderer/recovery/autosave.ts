// Autosave for crash recovery: every few seconds (and shortly after an edit) the open
// document and its run output are written to the recovery store while there is unsaved work
// (document changes, or run output since the last save). A clean document (saved, opened,
// new) with no new run output clears the snapshot at once. Pure of DOM; clock injected.
import { serializeTopology } from '../../emulator/topology/formats';
import { RECOVERY_LIMITS, type RecoverySnapshot } from '../../shared/recovery';
import type { DocStore } from '../store/doc-store';
import type { RecoveryBackend } from './backend';
import { NO_RUN, type RunSource } from './run-snapshot';

export const AUTOSAVE_INTERVAL_MS = 2000;
/** After an edit, wait this long for more edits before writing. */
export const AUTOSAVE_SETTLE_MS = 400;

export interface AutosaveOptions {
  id: string;
  docStore: DocStore;
  backend: RecoveryBackend;
  run?: RunSource;
  nowMs?: () => number;
  intervalMs?: number;
  settleMs?: number;
  onError?: (err: unknown) => void;
}

export interface Autosave {
  /** Writes (or clears) now; resolves when the store has it. */
  flush(): Promise<void>;
  stop(): void;
  /** Snapshots written so far (for tests and the status line). */
  readonly writes: number;
}

export function startAutosave(o: AutosaveOptions): Autosave {
  const run = o.run ?? NO_RUN;
  const now = o.nowMs ?? (() => Date.now());
  let written: { doc: unknown; file: unknown; runKey: string } | null = null;
  let stored = false;
  let runBaseline = run.key();
  let writes = 0;
  let busy: Promise<void> = Promise.resolve();

  const unsaved = () => {
    const s = o.docStore.getState();
    return s.doc !== s.savedDoc || run.key() !== runBaseline;
  };

  const snapshot = (): RecoverySnapshot => {
    const s = o.docStore.getState();
    const docText = serializeTopology(s.doc, 'recovered.vnet');
    if (docText.length > RECOVERY_LIMITS.docChars) throw new Error('the document is too large to autosave');
    return {
      id: o.id,
      savedAtMs: Math.floor(now()),
      dirty: s.doc !== s.savedDoc,
      file: { handle: s.file.path, name: s.file.name.slice(0, 255) || 'untitled.vnet', format: s.file.format },
      docText,
      nodes: s.doc.nodes.length,
      run: run.snapshot(),
    };
  };

  const step = async () => {
    if (!unsaved()) {
      written = null;
      if (stored) {
        stored = false;
        await o.backend.clear(o.id);
      }
      return;
    }
    const s = o.docStore.getState();
    const runKey = run.key();
    if (written && written.doc === s.doc && written.file === s.file && written.runKey === runKey) return;
    await o.backend.save(snapshot());
    written = { doc: s.doc, file: s.file, runKey };
    stored = true;
    writes++;
  };

  // One write at a time, in order; a failure is reported, never thrown at the editor.
  const flush = () => {
    busy = busy.then(step).catch((err: unknown) => o.onError?.(err));
    return busy;
  };

  let settle: ReturnType<typeof setTimeout> | null = null;
  const soon = () => {
    if (settle !== null) clearTimeout(settle);
    settle = setTimeout(() => {
      settle = null;
      void flush();
    }, o.settleMs ?? AUTOSAVE_SETTLE_MS);
  };

  const unsubscribe = o.docStore.subscribe((next, prev) => {
    // Saved, opened or new (markSaved and load both set a new file record): what is on disk
    // (or nothing) is the truth again.
    if (next.doc === next.savedDoc && (next.savedDoc !== prev.savedDoc || next.file !== prev.file)) {
      runBaseline = run.key();
      void flush();
    } else if (next.doc !== prev.doc || next.file !== prev.file) soon();
  });
  const timer = setInterval(() => void flush(), o.intervalMs ?? AUTOSAVE_INTERVAL_MS);

  return {
    flush,
    stop() {
      clearInterval(timer);
      if (settle !== null) clearTimeout(settle);
      unsubscribe();
    },
    get writes() {
      return writes;
    },
  };
}
