// Run mode's entry for the editor (see ../run-slot.tsx): the app-wide run store wired to
// the real engine worker, `useRun(props)` giving the Start/Stop controls (Stop asks first
// when work would be lost), and `useRunState(selector)` for run components. Edits the
// document only to keep node files changed during the run when the user asks at Stop
// (one undo step, through the editor's doc store and its guard).
import { useCallback, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { RunControls, RunHostProps } from '../run-slot';
import { createDefaultPort } from './engine-client';
import { summarizeFrame } from '../../emulator/wire/decode';
import { createRunStore, isRunning, type RunActions, type RunState, type RunStore } from './run-store';
import type { StopFilesChange } from './run-state';
import { setNodeFiles } from '../../emulator/topology/edit';
import { saveFile } from './save-file';
import { labRunDoc } from '../lab/lab-session';

const commandListeners = new Set<(nodeName: string, line: string) => void>();
const filesKeptListeners = new Set<(changes: readonly StopFilesChange[]) => void>();

/** Hears every command line run in a node's shell (labs record the student's work). */
export function onRunCommand(listener: (nodeName: string, line: string) => void): () => void {
  commandListeners.add(listener);
  return () => commandListeners.delete(listener);
}

export const runStore: RunStore = createRunStore({
  createPort: createDefaultPort,
  summarize: summarizeFrame,
  schedule: (cb) => requestAnimationFrame(() => cb()),
  nowMs: () => performance.now(),
  saveFile,
  onCommand: (nodeName, line) => commandListeners.forEach((l) => l(nodeName, line)),
  onFilesKept: (changes) => filesKeptListeners.forEach((l) => l(changes)),
});

/** Test hook: e2e tests read terminals and captures through it. */
(globalThis as { __virtnetRun?: RunStore }).__virtnetRun = runStore;

export function useRunState<T>(selector: (s: RunState & RunActions) => T): T {
  return useStore(runStore, selector);
}

export function useRun(props: RunHostProps): RunControls {
  const status = useRunState((s) => s.status);
  const error = useRunState((s) => s.error);
  const { docStore } = props;
  useEffect(() => {
    // A refusal (a lab's locks) is shown by the editor, as for any refused edit.
    const keep = (changes: readonly StopFilesChange[]) => void docStore.getState().edit((d) => setNodeFiles(d, changes.map((c) => ({ node: c.node, files: c.files }))));
    filesKeptListeners.add(keep);
    return () => void filesKeptListeners.delete(keep);
  }, [docStore]);
  // A lab's setup and the student's recorded work configure the network as the grader sees it.
  const start = useCallback(() => runStore.getState().start(labRunDoc(docStore.getState().doc)), [docStore]);
  const stop = useCallback(() => runStore.getState().requestStop(), []);
  return useMemo(
    () => ({ running: isRunning({ status }), busy: status === 'starting', start, stop, error }),
    [status, error, start, stop],
  );
}
