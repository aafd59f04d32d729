// A document's `scenario` section: the inputs of a run (commands typed into node shells)
// with the virtual time and scheduler event count at which each was given, and the seed,
// so the run replays exactly (`virtnet run FILE --replay`): same inputs at the same events
// → the same trace hash (DESIGN decision 3). Types and bounds only; the CLI records and
// replays, vnet-schema.ts checks the shape.

export const SCENARIO_LIMITS = {
  MAX_INPUTS: 10_000,
  MAX_COMMAND_CHARS: 4096,
} as const;

/** A line typed into `node`'s shell once the world had run `afterEvents` events (at `atNs`). */
export interface ScenarioExec {
  atNs: number;
  afterEvents: number;
  node: string;
  exec: string;
}

export interface ScenarioDoc {
  seed: number;
  inputs: ScenarioExec[];
  /** Virtual time the run went on to after its last input (`--until`), if any. */
  untilNs?: number;
}
