// Timeline tab (simulation mode): every traffic event of the run — time, node, in and out
// interface, protocol, summary — filtered by protocol, node, link, drops, words, or one
// packet's journey, in a virtualised list (a million rows scroll without freezing). The
// selected event's node decision is shown beside it (ExplainView). Reads the Timeline model
// through `timelineVersion`; filtering is pure (timeline.ts).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { ExplainView } from './ExplainView';
import type { RunStore } from './run-store';
import { journeyKey, NO_FILTER, rowIfaces, type TimelineFilter } from './timeline';
import { formatClock } from './time-map';

const ROW_PX = 20;
const PROTOS = ['', 'arp', 'icmp', 'udp', 'tcp', 'ipv4', 'ipv6', 'other'] as const;

export function TimelineView({ store }: { store: RunStore }) {
  const version = useStore(store, (s) => s.timelineVersion);
  const explain = useStore(store, (s) => s.explain);
  const doc = useStore(store, (s) => s.doc);
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const [selected, setSelected] = useState<TrafficEvent | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const nodeName = useMemo(() => {
    const names = new Map((doc?.nodes ?? []).map((n) => [n.id, n.name]));
    return (id: string) => names.get(id) ?? id;
  }, [doc]);
  const timeline = store.timeline;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says the timeline changed
  const rows = useMemo(() => timeline.filter(filter, nodeName), [timeline, filter, nodeName, version]);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_PX, overscan: 20 });
  const set = (patch: Partial<TimelineFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const select = (e: TrafficEvent) => {
    setSelected(e);
    store.getState().flash({ node: e.node, link: e.link });
  };
  const links = doc?.links ?? [];
  return (
    <div className="run-timeline" data-testid="timeline">
      <div className="run-timeline-filters">
        <label>
          Protocol
          <select value={filter.proto} onChange={(e) => set({ proto: e.target.value })} data-testid="timeline-proto">
            {PROTOS.map((p) => (
              <option key={p} value={p}>{p === '' ? 'any' : p.toUpperCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Node
          <select value={filter.node} onChange={(e) => set({ node: e.target.value })} data-testid="timeline-node">
            <option value="">any</option>
            {(doc?.nodes ?? []).map((n) => (
              <option key={n.id} value={n.name}>{n.name}</option>
            ))}
          </select>
        </label>
        <label>
          Link
          <select value={filter.link} onChange={(e) => set({ link: e.target.value })} data-testid="timeline-link">
            <option value="">any</option>
            {links.map((l) => (
              <option key={l.id} value={l.id}>{`${nodeName(l.a.node)}:${l.a.iface} — ${nodeName(l.b.node)}:${l.b.iface}`}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={filter.dropsOnly} onChange={(e) => set({ dropsOnly: e.target.checked })} data-testid="timeline-drops" /> Drops only
        </label>
        <input className="run-timeline-text" placeholder="Words to match…" value={filter.text} onChange={(e) => set({ text: e.target.value })} data-testid="timeline-text" />
        {filter.journey !== null ? (
          <button onClick={() => set({ journey: null })} data-testid="timeline-journey-clear">Show all packets</button>
        ) : (
          <button disabled={selected === null} onClick={() => selected && set({ journey: journeyKey(selected) })} data-testid="timeline-follow">Follow this packet</button>
        )}
        <label title="Nodes record why they forwarded, delivered or dropped each frame">
          <input type="checkbox" checked={explain} onChange={(e) => void store.getState().setExplain(e.target.checked)} data-testid="timeline-explain" /> Explain decisions
        </label>
        <span className="run-muted" data-testid="timeline-count">
          {rows.length.toLocaleString('en-US')} of {timeline.size.toLocaleString('en-US')} events{timeline.lost > 0 ? ` (${timeline.lost.toLocaleString('en-US')} oldest not kept)` : ''}
        </span>
      </div>
      <div className="run-timeline-main">
        <div className="run-timeline-list" ref={scrollRef} data-testid="timeline-list">
          <div className="run-timeline-row head">
            <span>Time</span><span>Node</span><span>In</span><span>Out</span><span>Proto</span><span>Summary</span>
          </div>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const e = timeline.at(rows[v.index])!;
              const io = rowIfaces(e);
              return (
                <div
                  key={v.key}
                  className={`run-timeline-row ${e.action}${e === selected ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_PX, transform: `translateY(${v.start}px)` }}
                  onClick={() => select(e)}
                  data-testid="timeline-row"
                  data-node={nodeName(e.node)}
                  data-action={e.action}
                >
                  <span>{formatClock(e.timeNs)}</span>
                  <span>{nodeName(e.node)}</span>
                  <span>{io.in}</span>
                  <span>{io.out}</span>
                  <span>{e.proto.toUpperCase()}</span>
                  <span title={e.summary}>{e.action === 'drop' ? `✕ ${e.reason ?? 'dropped'} · ` : e.action === 'fwd' ? '→ ' : ''}{e.summary}</span>
                </div>
              );
            })}
          </div>
        </div>
        {selected !== null ? <ExplainView event={selected} nodeName={nodeName(selected.node)} opener={openerOf(timeline, selected)} /> : null}
      </div>
    </div>
  );
}

/** The first event carrying the same decision (the received frame the sentence names). */
function openerOf(timeline: RunStore['timeline'], e: TrafficEvent): TrafficEvent {
  const d = e.decision;
  if (d === undefined) return e;
  // Decisions arrive structured-cloned per event: match by node, time and the interface it came in on.
  for (let i = 0; i < timeline.size; i++) {
    const x = timeline.at(i)!;
    if (x.timeNs > e.timeNs) break;
    if (x.timeNs === e.timeNs && x.node === e.node && x.action === 'rx' && d.in !== undefined && x.iface === d.in && x.decision !== undefined && x.decision.steps.length === d.steps.length) return x;
  }
  return e;
}
