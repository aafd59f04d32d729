// Start, Stop (asking first when transcripts, captures or node files changed during the run
// would be lost, and saving or keeping them on request) and Restart of the network. A session per Start; a stale session's replies and
// events are ignored. No React, no DOM (files are saved through the injected saver).
import { REQUEST_TIMEOUT_MS } from './engine-client';
import { RunSession } from './run-session';
import { routeBatch } from './run-stream';
import { initialState, type RunActions, type RunCtx, type StopFilesChange, type StopPrompt } from './run-state';

type LifecycleActions = Pick<RunActions, 'start' | 'stop' | 'restart' | 'requestStop' | 'answerStop'>;

export function lifecycleActions(ctx: RunCtx, save: (p: StopPrompt) => Promise<void>): LifecycleActions {
  const teardown = () => {
    ctx.live()?.close();
    ctx.setLive(null);
    ctx.shells.closeAll();
    ctx.captureMap.clear();
    ctx.commands.clear();
    ctx.savedTranscripts.clear();
    ctx.timeline.clear();
  };
  /** A fresh state that keeps the tab and a numeric speed (`max` does not survive a Stop). */
  const reset = () => {
    const { speed, activeTab, explain } = ctx.get();
    // The TCP tab belongs to a run (its node may not exist in the next one).
    return { ...initialState(), speed: speed === 'max' ? 1 : speed, activeTab: activeTab === 'tcp' ? 'events' : activeTab, explain };
  };

  const start: LifecycleActions['start'] = async (doc, seed, paused = false) => {
    const st = ctx.get().status;
    if (st === 'starting' || st === 'running') return;
    teardown();
    ctx.set({ ...reset(), status: 'starting', doc });
    const s = RunSession.open(ctx.deps.createPort(), REQUEST_TIMEOUT_MS, doc, ctx.deps.schedule, (b) => {
      const t0 = ctx.deps.nowMs();
      routeBatch(ctx, s, b.events, b.trafficDropped);
      const ms = ctx.deps.nowMs() - t0;
      ctx.stats.batches++;
      ctx.stats.events += b.events.length;
      ctx.stats.totalMs += ms;
      ctx.stats.maxMs = Math.max(ctx.stats.maxMs, ms);
    });
    ctx.setLive(s);
    s.client.onCrash((reason) => ctx.live() === s && ctx.fail(`The engine stopped unexpectedly: ${reason}`));
    const started = await s.request((c) => c.request({ type: 'net/start', doc, ...(seed !== undefined ? { seed } : {}) }));
    if (ctx.live() !== s) return;
    if (!started.ok) return ctx.fail(`Could not start the network: ${started.error}`);
    s.startEvents = started.value.events;
    ctx.set({ status: 'running', warnings: started.value.warnings });
    ctx.log(started.value.warnings.map((w) => ({ timeNs: 0, kind: 'warning' as const, text: w })));
    ctx.log([{ timeNs: 0, kind: 'info', text: `Started ${started.value.nodes} nodes, ${started.value.links} links` }]);
    if (ctx.get().explain) {
      const ex = await s.request((c) => c.request({ type: 'sim/explain', on: true }));
      if (ctx.live() !== s) return;
      if (!ex.ok) ctx.log([{ timeNs: 0, kind: 'warning', text: `Decisions will not be explained: ${ex.error}` }]);
    }
    if (paused) return;
    const played = await s.request((c) => c.request({ type: 'sim/play', speed: ctx.get().speed }));
    if (ctx.live() !== s) return;
    if (played.ok) ctx.set({ playing: true });
    else ctx.fail(`Could not start the clock: ${played.error}`);
  };

  const stop: LifecycleActions['stop'] = async () => {
    const s = ctx.live();
    if (s && !s.client.crashed) await s.request((c) => c.request({ type: 'net/stop' }));
    teardown();
    ctx.set(reset());
  };

  return {
    start,
    stop,
    async restart(next) {
      const doc = next ?? ctx.get().doc;
      teardown();
      ctx.set(reset());
      if (doc) await start(doc);
    },
    async requestStop() {
      const prompt = { ...unsavedWork(ctx), files: await changedFiles(ctx) };
      if (prompt.shells.length === 0 && prompt.captures.length === 0 && prompt.files.length === 0) return stop();
      ctx.set({ stopPrompt: prompt });
    },
    async answerStop(answer, keepFiles) {
      const prompt = ctx.get().stopPrompt;
      ctx.set({ stopPrompt: null });
      if (answer === 'cancel') return;
      if (answer === 'save' && prompt) {
        await save(prompt);
        const kept = prompt.files.filter((f) => keepFiles === undefined || keepFiles.includes(f.node));
        if (kept.length > 0) ctx.deps.onFilesKept?.(kept);
      }
      await stop();
    },
  };
}

/** Nodes whose files changed since Start (none when the engine cannot say: Stop is never blocked). */
async function changedFiles(ctx: RunCtx): Promise<StopFilesChange[]> {
  const s = ctx.live();
  if (ctx.get().status !== 'running' || !s || s.client.crashed) return [];
  const r = await ctx.call((c) => c.request({ type: 'net/files' }));
  if (!r.ok) return [];
  return r.value.nodes.map((n) => ({ node: n.node, nodeName: n.name, files: n.files, changed: n.changed }));
}

/** Shells that ran commands and captures with frames, not saved since. */
export function unsavedWork(ctx: RunCtx): Omit<StopPrompt, 'files'> {
  const shells = ctx.get().terminals
    .filter((t) => (ctx.commands.get(t.session)?.length ?? 0) > 0 && ctx.shells.transcript(t.session).length !== ctx.savedTranscripts.get(t.session))
    .map((t) => ({ session: t.session, nodeName: t.nodeName }));
  const captures = [...ctx.captureMap.values()].filter((c) => c.frames > c.savedFrames).map((c) => ({ id: c.id, name: c.name, frames: c.frames }));
  return { shells, captures };
}
