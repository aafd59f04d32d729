// The run-mode dock the editor mounts (see ../run-slot.tsx): a splitter, the time-control
// bar, failure banner with Restart, the link-edit notice, the Stop dialog, and tabs (Events,
// Inspect, one per terminal, one per capture); it attaches the canvas overlay and the
// right-click menu. Edits the document only for link parameters and link up/down, which
// run-slot allows while running, and its scenario (ScenarioBar: Save run as scenario).
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { CaptureTarget } from '../../emulator/engine/protocol';
import type { RunControls, RunHostProps } from '../run-slot';
import { fitCanvas } from '../canvas/Canvas';
import { CaptureView } from './CaptureView';
import { ConnectionPanel } from './ConnectionPanel';
import * as A from '../store/editor-actions';
import { linkRequests, rewoundLinks } from './doc-sync';
import { linkLabel } from './link-names';
import { RunSplitter, clampPanel, initialPanelHeight } from './RunSplitter';
import { StopDialog } from './StopDialog';
import { EventsView } from './EventsView';
import { TimelineView } from './TimelineView';
import { InspectView } from './InspectView';
import { attachRunOverlay } from './run-overlay';
import { RunToolbar } from './RunToolbar';
import { ScenarioBar, ScenarioSaveButton, useScenarioState } from './ScenarioBar';
import { TerminalView } from './TerminalView';
import { runStore } from './use-run';
import './run.css';

type Menu = { node?: string; link?: string; x: number; y: number };

/** Frame deltas (ms) of the overlay's animation loop, for the e2e frame-time report. */
const frameTimes: number[] = [];
(globalThis as { __virtnetFrameTimes?: number[] }).__virtnetFrameTimes = frameTimes;

export function RunPanel({ cy, docStore }: RunHostProps & { run: RunControls }) {
  const store = runStore;
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  const terminals = useStore(store, (s) => s.terminals);
  const captures = useStore(store, (s) => s.captures);
  const active = useStore(store, (s) => s.activeTab);
  const stopPrompt = useStore(store, (s) => s.stopPrompt);
  const linkEditNotice = useStore(store, (s) => s.linkEditNotice);
  const tcpNodeId = useStore(store, (s) => s.tcpNodeId);
  const doc = useStore(store, (s) => s.doc);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [height, setHeight] = useState(initialPanelHeight);
  const scenario = useScenarioState();
  const answerStop = useCallback((a: 'save' | 'discard' | 'cancel', keepFiles?: readonly string[]) => void store.getState().answerStop(a, keepFiles), [store]);

  // The overlay (animation loop, run-mode gestures) exists only while a network runs.
  const live = status !== 'stopped';
  useEffect(() => {
    if (!cy || !live) return;
    return attachRunOverlay(cy, store, {
      contextMenu: (t, x, y) => setMenu({ ...t, x, y }),
      onFrame: (d) => {
        frameTimes.push(d);
        if (frameTimes.length > 20_000) frameTimes.splice(0, 10_000);
      },
    });
  }, [cy, store, live]);

  // The canvas box follows the panel (Canvas.tsx resizes Cytoscape as it changes); the
  // topology is refitted when the panel appears, when the splitter settles and when the
  // window is resized.
  const refit = useCallback(() => {
    requestAnimationFrame(() => {
      if (!cy) return;
      cy.resize();
      fitCanvas(cy);
    });
  }, [cy]);
  useEffect(() => {
    if (!live) return;
    refit();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(refit, 150);
    };
    window.addEventListener('resize', onResize);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('resize', onResize);
    };
  }, [live, refit]);
  // Each run opens the panel at the remembered height, or a third of this window.
  const freshScenario = scenario.fresh;
  useEffect(() => {
    if (!live) return;
    setHeight(initialPanelHeight());
    freshScenario();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per run, not per render
  }, [live]);
  // The TCP graphs need room: showing that tab makes a short panel half the window (the splitter still decides after).
  useEffect(() => {
    if (active !== 'tcp') return;
    setHeight((h) => Math.max(h, clampPanel(window.innerHeight * 0.5)));
    refit();
  }, [active, refit]);

  // Link parameter / up-down edits made while running go to the engine; they also change
  // the document (unsaved edits), which the notice says.
  useEffect(() => {
    let prev = docStore.getState().doc;
    let rewound = store.getState().rewoundLinks;
    const unsubRun = store.subscribe((st) => {
      if (st.rewoundLinks === rewound) return;
      rewound = st.rewoundLinks;
      if (!rewound) return;
      // A step back: the editor shows each live-changed link as it was then. The engine is
      // already there, so this edit is not sent to it (that would start a branch).
      const links = rewound.links;
      docStore.getState().edit((doc) => rewoundLinks(doc, links));
      prev = docStore.getState().doc;
    });
    const unsubDoc = docStore.subscribe((s) => {
      if (s.doc === prev) return;
      const before = prev;
      const reqs = store.getState().status === 'running' ? linkRequests(before, s.doc) : [];
      prev = s.doc;
      if (reqs.length > 0) store.getState().noteLinkEdit();
      for (const r of reqs) {
        const was = before.links.find((l) => l.id === r.link);
        if (r.type === 'link/set-params') void store.getState().setLinkParams(r.link, r.params, r.direction, r.direction === 'ba' ? (was?.paramsBA ?? was?.params) : was?.params);
        else void store.getState().setLinkUp(r.link, r.up);
      }
    });
    return () => {
      unsubRun();
      unsubDoc();
    };
  }, [docStore, store]);

  // Counters for the hover tooltips.
  useEffect(() => {
    if (status !== 'running') return;
    const t = setInterval(() => void store.getState().refreshCounters(), 1000);
    return () => clearInterval(t);
  }, [status, store]);

  if (status === 'stopped') return null;
  const tabs: { id: string; label: string; close?: () => void }[] = [
    { id: 'events', label: 'Events' },
    { id: 'timeline', label: 'Timeline' },
    { id: 'inspect', label: 'Inspect' },
    ...terminals.map((t) => ({ id: `shell:${t.session}`, label: `⌨ ${t.nodeName}`, close: () => void store.getState().closeShell(t.session) })),
    ...captures.map((c) => ({ id: `capture:${c.id}`, label: `◉ ${c.name}` })),
    ...(tcpNodeId ? [{ id: 'tcp', label: `TCP · ${doc?.nodes.find((n) => n.id === tcpNodeId)?.name ?? tcpNodeId}`, close: () => store.setState({ tcpNodeId: null, activeTab: 'events' }) }] : []),
  ];
  return (
    <div className="run-panel" data-testid="run-panel" data-status={status} style={{ height }}>
      <RunSplitter height={height} onChange={setHeight} onDone={refit} />
      <RunToolbar store={store} extra={<ScenarioSaveButton store={store} docStore={docStore} state={scenario} />} />
      <ScenarioBar store={store} docStore={docStore} state={scenario} />
      {linkEditNotice ? (
        <div className="run-notice" role="status" data-testid="link-edit-notice">
          Link changes made while running are also changes to the topology: they stay after Stop. Save the topology to keep them, or undo them after Stop.
          <button onClick={() => store.getState().dismissLinkEditNotice()} aria-label="Dismiss">×</button>
        </div>
      ) : null}
      {status === 'failed' ? (
        <div className="run-failure" role="alert" data-testid="run-failure">
          <strong>The network stopped.</strong> {error} Your topology is unchanged.
          <button onClick={() => void store.getState().restart(docStore.getState().doc)} data-testid="run-restart">Restart</button>
          <button onClick={() => void store.getState().stop()}>Back to editing</button>
        </div>
      ) : null}
      <div className="run-tabs" role="tablist">
        {tabs.map((t) => (
          <div key={t.id} role="tab" aria-selected={active === t.id} className={`run-tab${active === t.id ? ' active' : ''}`} onClick={() => store.getState().setActiveTab(t.id)} data-tab={t.id}>
            {t.label}
            {t.close ? (
              <span className="run-tab-close" onClick={(e) => { e.stopPropagation(); t.close!(); }} title="Close">×</span>
            ) : null}
          </div>
        ))}
      </div>
      <div className="run-tab-body">
        {active === 'events' ? <EventsView store={store} /> : null}
        {active === 'timeline' ? <TimelineView store={store} /> : null}
        {active === 'inspect' ? <InspectView store={store} /> : null}
        {terminals.map((t) => (
          <div key={t.session} className="run-tab-page" hidden={active !== `shell:${t.session}`}>
            <TerminalView store={store} session={t.session} visible={active === `shell:${t.session}`} />
          </div>
        ))}
        {captures.map((c) => (active === `capture:${c.id}` ? <CaptureView key={c.id} store={store} capture={c.id} /> : null))}
        {active === 'tcp' && tcpNodeId ? <ConnectionPanel store={store} /> : null}
      </div>
      {menu ? <ContextMenu menu={menu} docStore={docStore} onClose={() => setMenu(null)} /> : null}
      {stopPrompt ? <StopDialog prompt={stopPrompt} canSave onAnswer={answerStop} /> : null}
    </div>
  );
}

function ContextMenu({ menu, docStore, onClose }: { menu: Menu; docStore: RunHostProps['docStore']; onClose(): void }) {
  const s = runStore.getState();
  const doc = docStore.getState().doc;
  const node = menu.node ? doc.nodes.find((n) => n.id === menu.node) : undefined;
  const link = menu.link ? doc.links.find((l) => l.id === menu.link) : undefined;
  const [delayMs, setDelayMs] = useState(link ? String(link.params.delayUs / 1000) : '0');
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (!(e.target as HTMLElement).closest?.('.run-menu')) onClose();
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', esc);
    };
  }, [onClose]);
  const act = (fn: () => unknown) => () => {
    void fn();
    onClose();
  };
  const capture = (t: CaptureTarget) => act(() => s.startCapture(t));
  const applyDelay = () => {
    const ms = Number(delayMs);
    // The document's rules decide (a negative delay is refused and the menu stays open).
    if (!link || delayMs.trim() === '' || !Number.isFinite(ms)) return;
    if (A.setLinkParam(docStore, link.id, 'delayUs', Math.round(ms * 1000), 'both') === null) onClose();
  };
  return (
    <div className="run-menu" style={{ left: menu.x, top: menu.y }} data-testid="run-menu">
      {node ? (
        <>
          <div className="run-menu-title">{node.name}</div>
          <button onClick={act(() => s.openShell(node.id))} data-testid="menu-open-shell">Open shell</button>
          <button onClick={act(() => { s.inspect(node.id); s.setActiveTab('inspect'); })}>Inspect</button>
          <button onClick={act(() => s.openTcp(node.id))} data-testid="menu-tcp">TCP connections</button>
          {node.interfaces.filter((i) => i.type === 'phys').map((i) => (
            <button key={i.name} onClick={capture({ kind: 'iface', node: node.id, iface: i.name })} data-testid={`menu-capture-${i.name}`}>
              Capture on {i.name}
            </button>
          ))}
        </>
      ) : null}
      {link ? (
        <>
          <div className="run-menu-title">{linkLabel(doc, link.id)}</div>
          <button onClick={capture({ kind: 'link', link: link.id })} data-testid="menu-capture-link">Capture on link</button>
          <button onClick={act(() => A.setLinkUp(docStore, link.id, link.up === false))} data-testid="menu-link-updown">
            {link.up === false ? 'Bring link up' : 'Take link down'}
          </button>
          <label className="run-menu-field">
            Delay (ms, one way)
            <input value={delayMs} onChange={(e) => setDelayMs(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && applyDelay()} data-testid="menu-delay" />
            <button onClick={applyDelay} data-testid="menu-delay-apply">Apply</button>
          </label>
        </>
      ) : null}
    </div>
  );
}
