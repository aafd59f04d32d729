// Scenarios from the app: the run's inputs (lines typed, with their virtual time and event
// count, and the seed) taken from the engine as a document's `scenario` section, the same
// one `virtnet run --record-scenario` writes; and a document's scenario replayed in the app
// as the CLI's --replay does: a fresh start with its seed, each line typed into its node's
// shell once the run has done its event count, then on to its end time, paused there.
// No React, no DOM; the document itself is changed by the caller (RunPanel).
import type { TopologyDoc } from '../../emulator/topology/document';
import type { RunActions, RunCtx } from './run-state';
import { skipAhead } from './run-stream';
import { formatClock } from './time-map';

type ScenarioActions = Pick<RunActions, 'scenario' | 'replayScenario'>;

/** Events one step request may run (the engine's bound on sim/step). */
const STEP_EVENTS_MAX = 1_000_000;

export function scenarioActions(ctx: RunCtx): ScenarioActions {
  const now = () => ctx.get().clock?.nowNs ?? 0;
  const info = (text: string) => ctx.log([{ timeNs: now(), kind: 'info', text }]);
  /** A replay is not slow motion: what the engine sent so far is shown at once (events reach the batcher before a reply). */
  const showNow = () => {
    const s = ctx.live();
    if (s === null) return;
    s.batcher.flush();
    skipAhead(ctx, s);
  };

  /** Runs events until `events` have run since the start (or nothing is left); the count reached, or null. */
  async function stepTo(target: number, events: number): Promise<number | null> {
    while (events < target) {
      const r = await ctx.call((c) => c.request({ type: 'sim/step', count: Math.min(STEP_EVENTS_MAX, target - events) }));
      if (!r.ok) return null;
      showNow();
      ctx.set({ clock: { nowNs: r.value.nowNs, running: false, speed: ctx.get().speed, wallMs: ctx.deps.nowMs() } });
      if (r.value.executed === 0) return r.value.events; // nothing scheduled: the CLI's replay stops waiting too
      events = r.value.events;
    }
    return events;
  }

  return {
    async scenario() {
      const r = await ctx.call((c) => c.request({ type: 'sim/scenario' }));
      if (!r.ok) return null;
      const sc = r.value;
      info(`Scenario taken: ${sc.inputs.length} command${sc.inputs.length === 1 ? '' : 's'} with seed ${sc.seed}, up to ${formatClock(sc.untilNs ?? 0)}`);
      return sc;
    },

    async replayScenario(doc: TopologyDoc) {
      const sc = doc.scenario;
      if (sc === undefined) return false;
      const unknown = sc.inputs.find((x) => !doc.nodes.some((n) => n.name === x.node));
      if (unknown !== undefined) {
        ctx.log([{ timeNs: 0, kind: 'error', text: `Cannot replay the scenario: it types into ${unknown.node}, which is not in the document` }]);
        return false;
      }
      if (ctx.live()) await ctx.get().stop();
      const startedAt = ctx.live();
      await ctx.get().start(doc, sc.seed, true);
      const s = ctx.live();
      if (s === null || s === startedAt || ctx.get().status !== 'running') return false;
      let events = s.startEvents;
      const shells = new Map<string, number>();
      for (const x of sc.inputs) {
        const reached = await stepTo(x.afterEvents, events);
        if (reached === null || ctx.live() !== s) return false;
        events = reached;
        let session = shells.get(x.node);
        if (session === undefined) {
          const node = doc.nodes.find((n) => n.name === x.node)!;
          const opened = await ctx.get().openShell(node.id);
          if (opened === null || ctx.live() !== s) return false;
          shells.set(x.node, (session = opened));
        }
        await ctx.get().exec(session, x.exec);
        showNow();
      }
      if (sc.untilNs !== undefined && sc.untilNs > now()) {
        const r = await ctx.call((c) => c.request({ type: 'sim/run-until', untilNs: sc.untilNs! }));
        if (!r.ok || ctx.live() !== s) return false;
        showNow();
        ctx.set({ clock: { nowNs: r.value.nowNs, running: false, speed: ctx.get().speed, wallMs: ctx.deps.nowMs() } });
      }
      showNow();
      // Everything is shown: the clock on display is the engine's (the end time), not the last hop's.
      s.pacer.clear();
      s.clockFloorNs = now();
      info(`Replayed the scenario: ${sc.inputs.length} command${sc.inputs.length === 1 ? '' : 's'} with seed ${sc.seed}, paused at ${formatClock(now())}. Play goes on from here.`);
      return true;
    },
  };
}
