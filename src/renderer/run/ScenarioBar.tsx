// Scenarios in the run panel: "Save as scenario" (in the time-control bar) puts the run's
// inputs so far into the document's `scenario` section (what `virtnet run --record-scenario`
// writes; the file is saved as usual), and a document that has one offers "Replay scenario"
// once it has started (a fresh run with its seed, its commands typed at their event counts).
// Feedback is a line under the bar and an entry in the Events tab; the document is changed
// only through `amend`.
import { useState } from 'react';
import { useStore } from 'zustand';
import type { DocStore } from '../store/doc-store';
import type { RunStore } from './run-store';
import { formatClock } from './time-map';

/** What the scenario controls share: the line they say things on, and whether the offer still stands. */
export function useScenarioState() {
  const [note, setNote] = useState<string | null>(null);
  const [offered, setOffered] = useState(true);
  const [busy, setBusy] = useState(false);
  /** A new run (not the one a replay starts) says nothing yet and offers the document's scenario again. */
  const fresh = () => {
    if (busy) return;
    setNote(null);
    setOffered(true);
  };
  return { note, setNote, offered, setOffered, busy, setBusy, fresh };
}
type ScenarioState = ReturnType<typeof useScenarioState>;

export function ScenarioSaveButton({ store, docStore, state }: { store: RunStore; docStore: DocStore; state: ScenarioState }) {
  const status = useStore(store, (s) => s.status);
  const save = async () => {
    state.setBusy(true);
    const sc = await store.getState().scenario();
    state.setBusy(false);
    if (sc === null) {
      state.setNote('Could not save this run as a scenario: the Events tab says why.');
      return;
    }
    docStore.getState().amend((d) => ({ ...d, scenario: sc }));
    state.setOffered(false);
    state.setNote(`Saved in the document as a scenario: ${sc.inputs.length} command${sc.inputs.length === 1 ? '' : 's'}, seed ${sc.seed}, up to ${formatClock(sc.untilNs ?? 0)}. Save the file to keep it; virtnet run FILE --replay replays it.`);
  };
  return (
    <button disabled={status !== 'running' || state.busy} onClick={() => void save()} data-testid="scenario-save" title="Save the commands typed so far (with their virtual times) and the seed in the document, as virtnet run --record-scenario does">
      Save as scenario
    </button>
  );
}

export function ScenarioBar({ store, docStore, state }: { store: RunStore; docStore: DocStore; state: ScenarioState }) {
  const status = useStore(store, (s) => s.status);
  const scenario = useStore(docStore, (s) => s.doc.scenario);
  if (status !== 'running') return null;
  const replay = async () => {
    state.setBusy(true);
    state.setOffered(false);
    const ok = await store.getState().replayScenario(docStore.getState().doc);
    state.setBusy(false);
    state.setNote(ok ? 'Scenario replayed: paused at its end. Play goes on from here.' : 'The scenario could not be replayed: the Events tab says why.');
  };
  const offer = scenario !== undefined && state.offered;
  if (!offer && state.note === null) return null;
  return (
    <div className="run-scenario" data-testid="scenario-bar">
      {offer ? (
        <span data-testid="scenario-offer">
          This document has a recorded scenario ({scenario.inputs.length} command{scenario.inputs.length === 1 ? '' : 's'}, seed {scenario.seed}).{' '}
          <button disabled={state.busy} onClick={() => void replay()} data-testid="scenario-replay" title="Start again with the scenario's seed and type its commands at the moments they were typed">
            Replay scenario
          </button>
        </span>
      ) : (
        <span className="run-scenario-note" role="status" data-testid="scenario-note" title={state.note ?? ''}>{state.note}</span>
      )}
      <button onClick={() => (offer ? state.setOffered(false) : state.setNote(null))} aria-label="Dismiss" data-testid="scenario-dismiss">×</button>
    </div>
  );
}
