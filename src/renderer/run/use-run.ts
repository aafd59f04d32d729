// Run mode's entry for the editor (see ../run-slot.tsx): the app-wide run store wired to
// the real engine worker, `useRun(props)` giving the Start/Stop controls, and
// `useRunState(selector)` for run components. Must not edit the document itself.
import { useCallback, useMemo } from 'react';
import { useStore } from 'zustand';
import type { RunControls, RunHostProps } from '../run-slot';
import { createDefaultPort } from './engine-client';
import { summarizeFrame } from '../../emulator/wire/decode';
import { createRunStore, type RunActions, type RunState, type RunStore } from './run-store';

export const runStore: RunStore = createRunStore({
  createPort: createDefaultPort,
  summarize: summarizeFrame,
  schedule: (cb) => requestAnimationFrame(() => cb()),
  nowMs: () => performance.now(),
});

/** Test hook: e2e tests read terminals and captures through it. */
(globalThis as { __virtnetRun?: RunStore }).__virtnetRun = runStore;

export function useRunState<T>(selector: (s: RunState & RunActions) => T): T {
  return useStore(runStore, selector);
}

/** True while topology editing must stay locked (link parameters and up/down excepted). */
export function isRunLocked(s: RunState): boolean {
  return s.status === 'running' || s.status === 'starting';
}

export function useRun(props: RunHostProps): RunControls {
  const status = useRunState((s) => s.status);
  const error = useRunState((s) => s.error);
  const { docStore } = props;
  const start = useCallback(() => runStore.getState().start(docStore.getState().doc), [docStore]);
  const stop = useCallback(() => runStore.getState().stop(), []);
  return useMemo(
    () => ({ running: status === 'running' || status === 'starting', busy: status === 'starting', start, stop, error }),
    [status, error, start, stop],
  );
}
