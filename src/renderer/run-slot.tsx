// The slot where run mode (src/renderer/run/, owned by the run-mode engineer) plugs into
// the editor: `useRun(props)` gives the Start/Stop controls, `<RunPanel …/>` the run UI.
// This file only adapts; it must not implement run mode. Missing modules mean "no run mode".
import type { Core } from 'cytoscape';
import type { TopologyDoc } from '../emulator/topology/document';
import type { DocStore } from './store/doc-store';

/** What the editor hands to run mode. */
export interface RunHostProps {
  doc: TopologyDoc;
  /** The live Cytoscape instance (for animation overlays), null before the canvas mounts. */
  cy: Core | null;
  docStore: DocStore;
}

/** What the editor needs back from run mode: the toolbar's Start/Stop button. */
export interface RunControls {
  /** The network is running: the editor locks document edits. */
  running: boolean;
  /** Starting or stopping is under way (button disabled). */
  busy?: boolean;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  /** Last start/stop failure, shown in the editor's banner. */
  error?: string | null;
}

interface UseRunModule {
  useRun(props: RunHostProps): RunControls;
}
interface RunPanelModule {
  RunPanel(props: RunHostProps & { run: RunControls }): React.ReactNode;
}

const hooks = import.meta.glob<UseRunModule>('./run/use-run.ts', { eager: true });
const panels = import.meta.glob<RunPanelModule>('./run/RunPanel.tsx', { eager: true });

function useNoRun(): RunControls {
  return { running: false, busy: true, start: () => undefined, stop: () => undefined, error: null };
}

export const useRunSlot: (props: RunHostProps) => RunControls = Object.values(hooks)[0]?.useRun ?? useNoRun;
export const RunPanelSlot: (props: RunHostProps & { run: RunControls }) => React.ReactNode = Object.values(panels)[0]?.RunPanel ?? (() => null);
export const runModeAvailable = Object.values(hooks).length > 0;
