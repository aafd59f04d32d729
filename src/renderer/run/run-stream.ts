// Applies the engine's event batches to run mode: traffic to the animation and the Events
// log, shell output to terminals, captured frames to captures, the clock, link changes,
// engine errors. Below 1× and on Step the ordered stream goes through the StreamPacer, and
// the engine is held while the animation catches up, so every hop is seen and output
// never runs ahead of the frame it reports. Never sends anything but sim/pause|play.
import type { EngineEvent, TrafficEvent } from '../../emulator/engine/protocol';
import { appendFrames } from './capture-store';
import { linkLabel } from './link-names';
import { minHopMs } from './packet-animator';
import type { RunSession } from './run-session';
import type { LogEntry, RunCtx, RunState } from './run-state';
import type { HopTiming, Paced, StreamEvent } from './stream-pacer';
import { dropReasonText } from './packet-animator';
import { extendJourney } from './timeline';

/** Slow motion holds the engine when the animation runs this far behind it. */
export const HOLD_BACKLOG_MS = 300;
/** Beyond this much animation still to show (a flood in slow motion), the rest is shown at once. */
export const MAX_BACKLOG_MS = 30_000;
/** How long a hop shown by Step is drawn. */
export const STEP_HOP_MS = 450;

/** Pace the stream below 1× and while paused (Step, at any speed); never at 1× or max while playing. */
export function pacing(s: Pick<RunState, 'speed' | 'playing'>): boolean {
  if (!s.playing) return true;
  return s.speed !== 'max' && s.speed < 1;
}

function hopTiming(s: Pick<RunState, 'speed' | 'playing'>): HopTiming {
  const speed = typeof s.speed === 'number' ? s.speed : 1;
  return { speed, minHopMs: s.playing ? minHopMs(speed) : STEP_HOP_MS };
}

export function routeBatch(ctx: RunCtx, s: RunSession, events: EngineEvent[], trafficDropped: number): void {
  const state = ctx.get();
  const paced = pacing(state);
  if (!paced) deliver(ctx, s, s.pacer.drain());
  const direct: TrafficEvent[] = [];
  const stream: StreamEvent[] = [];
  const frames: Extract<EngineEvent, { type: 'capture/frame' }>[] = [];
  const entries: Omit<LogEntry, 'seq'>[] = [];
  const patch: Partial<RunState> = {};
  let traffic = trafficDropped;
  const timeline: TrafficEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'traffic':
        traffic++;
        timeline.push(e);
        if (paced) stream.push(e);
        else {
          direct.push(e);
          if (e.action === 'drop') entries.push(dropEntry(ctx, e));
          else if (e.action === 'deliver') entries.push(answerEntry(ctx, e));
        }
        break;
      case 'shell/output':
      case 'shell/done':
        if (paced) stream.push(e);
        else deliverShell(ctx, e);
        break;
      case 'shell/stdin':
        ctx.shells.stdin(e.session, e.open);
        break;
      case 'capture/frame':
        frames.push(e);
        break;
      case 'sim/clock':
        patch.clock = { nowNs: e.nowNs, running: e.running, speed: e.speed, wallMs: ctx.deps.nowMs() };
        traffic += e.trafficSkipped ?? 0;
        break;
      case 'link/state': {
        const prev = s.linkUp.get(e.link);
        s.linkUp.set(e.link, e.up);
        if (prev !== undefined && prev !== e.up) entries.push({ timeNs: (patch.clock ?? state.clock)?.nowNs ?? 0, kind: 'link', text: `link ${linkLabel(state.doc, e.link)} ${e.up ? 'up' : 'down'}`, link: e.link });
        break;
      }
      case 'engine/warning':
        entries.push({ timeNs: (patch.clock ?? state.clock)?.nowNs ?? 0, kind: 'warning', text: e.message });
        break;
      case 'routing/event': {
        const name = e.message.slice(0, e.message.indexOf(':'));
        const node = state.doc?.nodes.find((n) => n.name === name)?.id;
        entries.push({ timeNs: (patch.clock ?? state.clock)?.nowNs ?? 0, kind: 'info', text: e.message, ...(node !== undefined ? { node } : {}) });
        break;
      }
      case 'engine/error':
        ctx.fail(`Engine error (${e.error.code}): ${e.error.message}${e.error.seed !== undefined ? ` — seed ${e.error.seed}` : ''}`);
        break;
      default:
        e satisfies never;
    }
  }
  if (traffic > 0) patch.trafficCount = state.trafficCount + traffic;
  if (timeline.length > 0) {
    ctx.timeline.push(timeline);
    patch.timelineVersion = state.timelineVersion + 1;
    // A followed packet's later hops colour the canvas as they happen.
    if (state.journey !== null) {
      const j = extendJourney(state.journey, timeline);
      if (j !== state.journey) patch.journey = j;
    }
  }
  const wall = ctx.deps.nowMs();
  if (direct.length > 0) s.animator.addBatch(direct, wall, (patch.clock ?? state.clock)?.nowNs ?? 0, state.speed);
  // Rows live in captureMap; only the version changes, so the tab list does not re-render.
  if (appendFrames(ctx.captureMap, frames, ctx.deps.summarize)) patch.captureVersion = state.captureVersion + 1;
  if (Object.keys(patch).length > 0) ctx.set(patch);
  ctx.log(entries);
  if (stream.length > 0) {
    s.pacer.push(stream, wall, hopTiming(state));
    if (s.pacer.backlogMs(wall) > MAX_BACKLOG_MS) {
      // More than slow motion can show: deliver it now rather than fall ever further behind.
      skipAhead(ctx, s);
      ctx.log([{ timeNs: (patch.clock ?? state.clock)?.nowNs ?? 0, kind: 'warning', text: 'Too much traffic to show hop by hop: slow motion skipped ahead' }]);
    }
    pump(ctx, s);
  }
}

/** Releases what is due, holds or resumes the engine, and keeps pumping until idle. */
export function pump(ctx: RunCtx, s: RunSession): void {
  s.pumping = false;
  if (s.closed) return;
  const wall = ctx.deps.nowMs();
  deliver(ctx, s, s.pacer.release(wall));
  hold(ctx, s, wall);
  if (!s.pacer.idle(wall) && !s.pumping) {
    s.pumping = true;
    ctx.deps.schedule(() => pump(ctx, s));
  }
}

/**
 * Leaving slow motion (1×, max, or playing after Step): everything queued is delivered
 * now and a held engine runs again.
 */
export function unpace(ctx: RunCtx, s: RunSession): void {
  if (!pacing(ctx.get())) deliver(ctx, s, s.pacer.drain());
  hold(ctx, s, ctx.deps.nowMs());
}

/**
 * Step: deliver what slow motion still queued (output included) and end the hops still
 * drawn, so the next hop is drawn at once and alone.
 */
export function skipAhead(ctx: RunCtx, s: RunSession): void {
  const wall = ctx.deps.nowMs();
  deliver(ctx, s, s.pacer.skipTo(wall));
  s.animator.cutShort(wall);
}

function hold(ctx: RunCtx, s: RunSession, wall: number): void {
  const st = ctx.get();
  const wantHold = st.playing && pacing(st) && s.pacer.backlogMs(wall) > HOLD_BACKLOG_MS;
  if (wantHold && !s.held) {
    s.held = true;
    void s.request((c) => c.request({ type: 'sim/pause' }));
  } else if (s.held && (!st.playing || !pacing(st) || s.pacer.idle(wall))) {
    s.held = false;
    if (st.playing) void s.request((c) => c.request({ type: 'sim/play', speed: ctx.get().speed }));
  }
}

function deliver(ctx: RunCtx, s: RunSession, items: Paced[]): void {
  const entries: Omit<LogEntry, 'seq'>[] = [];
  for (const { event: e, atMs, endMs } of items) {
    if (e.type !== 'traffic') deliverShell(ctx, e);
    else if (e.action === 'tx') s.animator.addHop(e, atMs, endMs);
    else if (e.action === 'drop') {
      s.animator.addDrop(e, atMs);
      entries.push(dropEntry(ctx, e));
    } else if (e.action === 'deliver') entries.push(answerEntry(ctx, e));
  }
  ctx.log(entries);
}

function deliverShell(ctx: RunCtx, e: Extract<EngineEvent, { type: 'shell/output' | 'shell/done' }>): void {
  if (e.type === 'shell/output') ctx.shells.output(e.session, e.text);
  else ctx.shells.done(e.session, e.exitCode, e.prompt);
}

/** A frame the node answered as its sender expects (a traceroute probe): not a drop, said as what it is. */
function answerEntry(ctx: RunCtx, e: TrafficEvent): Omit<LogEntry, 'seq'> {
  return { timeNs: e.timeNs, kind: 'info', text: `${ctx.nodeName(e.node)}${e.iface ? ':' + e.iface : ''} answered ${e.summary}: ${e.reason ?? 'delivered'}`, node: e.node, link: e.link };
}

function dropEntry(ctx: RunCtx, e: TrafficEvent): Omit<LogEntry, 'seq'> {
  return { timeNs: e.timeNs, kind: 'drop', text: `${ctx.nodeName(e.node)}${e.iface ? ':' + e.iface : ''} dropped ${e.summary} (${dropReasonText(e)})`, node: e.node, link: e.link };
}
