// Run mode's tools on a live network: shells (with a saveable transcript), captures
// (export, save), link changes (logged with endpoints and units), inspection, counters and
// the canvas flash. Requests go through ctx.call, so a refusal is a value, never "success".
import { describeTarget, newCaptureInfo } from './capture-store';
import { DIRECTION_TEXT, describeLinkParams, linkLabel } from './link-names';
import type { RunActions, RunCtx, StopPrompt } from './run-state';
import type { TcpActions } from './run-tcp';
import { extendJourney } from './timeline';

type ToolActions = Omit<RunActions, 'start' | 'stop' | 'restart' | 'requestStop' | 'answerStop' | 'play' | 'pause' | 'step' | 'stepBack' | 'setSpeed' | 'displayNs' | 'clockText' | 'scenario' | 'replayScenario' | keyof TcpActions>;

export function toolActions(ctx: RunCtx): ToolActions & { saveAll(p: StopPrompt): Promise<void> } {
  let flashSeq = 0;
  const now = () => ctx.get().clock?.nowNs ?? 0;

  const transcriptText = (session: number) => {
    const raw = ctx.shells.transcript(session);
    let out = '';
    let at = 0;
    for (const c of ctx.commands.get(session) ?? []) {
      const cut = Math.min(raw.length, Math.max(at, c.at));
      out += raw.slice(at, cut) + c.line + '\n';
      at = cut;
    }
    out += raw.slice(at);
    // eslint-disable-next-line no-control-regex
    return out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
  };

  const saveTranscript = (session: number, nodeName: string) => {
    if (!ctx.deps.saveFile) return false;
    ctx.deps.saveFile(`${nodeName}-shell-${session}.txt`, transcriptText(session), 'text/plain');
    ctx.savedTranscripts.set(session, ctx.shells.transcript(session).length);
    return true;
  };

  const exportCapture: ToolActions['exportCapture'] = async (capture, format) => {
    const r = await ctx.call((c) => c.request({ type: 'capture/export', capture, format }));
    return r.ok ? r.value : null;
  };

  const saveCapture: ToolActions['saveCapture'] = async (capture, format) => {
    const info = ctx.captureMap.get(capture);
    const frames = info?.frames ?? 0;
    const r = await exportCapture(capture, format);
    if (!r || !ctx.deps.saveFile) return false;
    ctx.deps.saveFile(r.fileName, r.bytes, 'application/vnd.tcpdump.pcap');
    if (info) info.savedFrames = Math.max(info.savedFrames, frames);
    return true;
  };

  return {
    transcriptText,
    exportCapture,
    saveCapture,
    /** Saves what the Stop dialog listed: transcripts as .txt, captures as .pcapng. */
    async saveAll(p) {
      for (const sh of p.shells) saveTranscript(sh.session, sh.nodeName);
      for (const c of p.captures) await saveCapture(c.id, 'pcapng');
    },

    async openShell(nodeId) {
      const r = await ctx.call((c) => c.request({ type: 'shell/open', node: nodeId }));
      if (!r.ok) return null;
      ctx.shells.open(r.value.session, r.value.banner, r.value.prompt);
      const tab = { session: r.value.session, node: nodeId, nodeName: ctx.nodeName(nodeId) };
      ctx.set({ terminals: [...ctx.get().terminals, tab], activeTab: `shell:${r.value.session}` });
      return r.value.session;
    },
    async closeShell(session) {
      await ctx.call((c) => c.request({ type: 'shell/close', session }));
      ctx.shells.close(session);
      ctx.commands.delete(session);
      const terminals = ctx.get().terminals.filter((t) => t.session !== session);
      const active = ctx.get().activeTab;
      ctx.set({ terminals, activeTab: active === `shell:${session}` ? (terminals.length ? `shell:${terminals[terminals.length - 1]!.session}` : 'events') : active });
    },
    async exec(session, line) {
      ctx.shells.busy(session);
      const list = ctx.commands.get(session) ?? [];
      list.push({ at: ctx.shells.transcript(session).length, line });
      ctx.commands.set(session, list);
      const tab = ctx.get().terminals.find((t) => t.session === session);
      if (tab) ctx.deps.onCommand?.(tab.nodeName, line);
      const r = await ctx.call((c) => c.request({ type: 'shell/exec', session, line }));
      if (!r.ok) ctx.shells.done(session, 1, '');
    },
    async input(session, text) {
      await ctx.call((c) => c.request({ type: 'shell/input', session, text }));
    },
    async interrupt(session) {
      await ctx.call((c) => c.request({ type: 'shell/interrupt', session }));
    },
    async suspend(session) {
      await ctx.call((c) => c.request({ type: 'shell/suspend', session }));
    },
    async complete(session, line, cursor) {
      const r = await ctx.call((c) => c.request({ type: 'shell/complete', session, line, cursor }));
      return r.ok ? r.value : null;
    },
    setActiveTab(tab) {
      ctx.set({ activeTab: tab });
    },

    async startCapture(target) {
      const r = await ctx.call((c) => c.request({ type: 'capture/start', target }));
      if (!r.ok) return null;
      const name = describeTarget(target, ctx.nodeName, (id) => linkLabel(ctx.get().doc, id));
      ctx.captureMap.set(r.value.capture, newCaptureInfo(r.value.capture, name, target));
      ctx.set({ captures: [...ctx.captureMap.values()], captureVersion: ctx.get().captureVersion + 1, activeTab: `capture:${r.value.capture}` });
      return r.value.capture;
    },
    async stopCapture(capture) {
      const r = await ctx.call((c) => c.request({ type: 'capture/stop', capture }));
      const info = ctx.captureMap.get(capture);
      if (r.ok && info) info.running = false;
      ctx.set({ captures: [...ctx.captureMap.values()], captureVersion: ctx.get().captureVersion + 1 });
    },

    async setLinkParams(link, params, direction = 'both', before) {
      const r = await ctx.call((c) => c.request({ type: 'link/set-params', link, params, direction }));
      if (r.ok) ctx.log([{ timeNs: now(), kind: 'link', text: `link ${linkLabel(ctx.get().doc, link)}: ${describeLinkParams(params, before)}${DIRECTION_TEXT[direction]}`, link }]);
    },
    async setLinkUp(link, up) {
      await ctx.call((c) => c.request({ type: 'link/set-up', link, up }));
    },
    noteLinkEdit() {
      if (!ctx.get().linkEditNotice) ctx.set({ linkEditNotice: true });
    },
    dismissLinkEditNotice() {
      ctx.set({ linkEditNotice: false });
    },

    async inspect(nodeId) {
      ctx.set({ inspectNodeId: nodeId, ...(nodeId === ctx.get().inspectNodeId ? {} : { snapshot: null }) });
      if (!nodeId) return;
      const r = await ctx.call((c) => c.request({ type: 'inspect/node', node: nodeId }));
      if (r.ok && ctx.get().inspectNodeId === nodeId) ctx.set({ snapshot: r.value });
    },
    async refreshCounters() {
      const r = await ctx.call((c) => c.request({ type: 'inspect/counters' }));
      if (r.ok) ctx.set({ counters: r.value.interfaces });
    },
    flash(target) {
      ctx.set({ highlight: { ...target, seq: ++flashSeq, atMs: ctx.deps.nowMs() } });
    },
    follow(key, label = '') {
      ctx.set({ journey: key === null ? null : extendJourney({ key, label, nodes: [], links: [] }, ctx.timeline.all()) });
    },
    async setExplain(on) {
      ctx.set({ explain: on });
      if (!ctx.live()) return;
      const r = await ctx.call((c) => c.request({ type: 'sim/explain', on }));
      if (r.ok) ctx.log([{ timeNs: now(), kind: 'info', text: on ? 'Nodes now explain their decisions (Timeline)' : 'Decisions are no longer explained' }]);
      else ctx.set({ explain: !on });
    },
  };
}
