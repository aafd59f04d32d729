// Time control of run mode: play, pause, Step (to the next frame hop), speed, and the
// clock on display. The display never goes back, shows the time of the event on screen in
// slow motion, and equals the engine's virtual time when paused. No React, no DOM.
import { pump, skipAhead, unpace } from './run-stream';
import type { RunActions, RunCtx } from './run-state';
import { formatClock } from './time-map';
import { extendJourney } from './timeline';

type TimeActions = Pick<RunActions, 'play' | 'pause' | 'step' | 'stepBack' | 'setSpeed' | 'displayNs' | 'clockText'>;

export function timeActions(ctx: RunCtx): TimeActions {
  const displayNs = () => {
    const engineNs = ctx.get().clock?.nowNs ?? 0;
    const s = ctx.live();
    if (!s) return engineNs;
    const shown = s.pacer.clockNs(ctx.deps.nowMs()) ?? engineNs;
    s.clockFloorNs = Math.max(s.clockFloorNs, shown);
    return s.clockFloorNs;
  };
  return {
    async play() {
      const s = ctx.live();
      const r = await ctx.call((c) => c.request({ type: 'sim/play', speed: ctx.get().speed }));
      if (!r.ok || !s) return;
      s.held = false;
      ctx.set({ playing: true });
      unpace(ctx, s);
      pump(ctx, s);
    },
    async pause() {
      const r = await ctx.call((c) => c.request({ type: 'sim/pause' }));
      const s = ctx.live();
      if (!r.ok || !s) return;
      s.held = false;
      ctx.set({ playing: false });
    },
    async step() {
      const s = ctx.live();
      if (!s) return;
      skipAhead(ctx, s);
      const r = await ctx.call((c) => c.request({ type: 'sim/step', count: 1, to: 'traffic' }));
      if (!r.ok || ctx.live() !== s) return;
      // The hop's events reach the batcher before this reply and are applied on the next
      // frame, after `playing` is false: they are paced (drawn) like slow motion.
      s.held = false;
      ctx.set({ playing: false, clock: { nowNs: r.value.nowNs, running: false, speed: ctx.get().speed, wallMs: ctx.deps.nowMs() } });
    },
    async stepBack(count) {
      const s = ctx.live();
      if (!s) return;
      skipAhead(ctx, s);
      const r = await ctx.call((c) => c.request({ type: 'sim/rewind', back: count, to: 'traffic' }));
      if (!r.ok || ctx.live() !== s) return;
      const { nowNs, events, transcripts, records, links } = r.value;
      s.held = false;
      s.animator.clear();
      s.pacer.clear();
      s.clockFloorNs = nowNs;
      const at = formatClock(nowNs);
      for (const t of transcripts) ctx.shells.rewound(t.session, `stepped back to ${at}: this shell as it was then`, t.text);
      ctx.timeline.truncateAfter(nowNs, records);
      const st = ctx.get();
      // A followed packet's path is what it had done by then.
      const journey = st.journey === null ? null : extendJourney({ ...st.journey, nodes: [], links: [] }, ctx.timeline.all());
      ctx.set({ playing: false, clock: { nowNs, running: false, speed: st.speed, wallMs: ctx.deps.nowMs() }, timelineVersion: st.timelineVersion + 1, journey, ...(links ? { rewoundLinks: { links, seq: (st.rewoundLinks?.seq ?? 0) + 1 } } : {}) });
      ctx.log([{ timeNs: nowNs, kind: 'info', text: `Stepped back to ${at} (event ${events}): the network as it was then. Play goes on from here; typing a command starts a new branch.` }]);
      if (st.inspectNodeId) await st.inspect(st.inspectNodeId);
    },
    async setSpeed(speed) {
      ctx.set({ speed });
      const s = ctx.live();
      if (s) unpace(ctx, s);
      await ctx.call((c) => c.request({ type: 'sim/set-speed', speed }));
    },
    displayNs,
    clockText: () => formatClock(displayNs()),
  };
}
