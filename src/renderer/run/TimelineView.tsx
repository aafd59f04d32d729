// Timeline tab (simulation mode): every traffic event of the run — time, node, in and out
// interface, protocol, summary — filtered by protocol, node, link, drops, the capture view's
// display-filter language, or one packet's journey (coloured on the canvas while followed),
// in a virtualised list (a million rows scroll without freezing; a filter runs in slices
// between frames). The selected event's node decision and its packet before and after are
// shown beside it (ExplainView). Reads the Timeline model through `timelineVersion`.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { framesAround } from './explain-frames';
import { ExplainView } from './ExplainView';
import type { RunStore } from './run-store';
import { compileTimelineText, journeyKey, journeyLabel, NO_FILTER, rowIfaces, TimelineQuery, type Timeline, type TimelineFilter } from './timeline';
import { formatClock } from './time-map';

const ROW_PX = 20;
const PROTOS = ['', 'arp', 'icmp', 'udp', 'tcp', 'ipv4', 'ipv6', 'other'] as const;
/** Main-thread time a filter may take per slice before it lets a frame be drawn. */
const SLICE_MS = 12;
const FILTER_HELP =
  'Display filter (as in a capture tab): protocols (arp icmp udp tcp ip ipv6 dns dhcp), Wireshark fields (ip.src ip.dst ip.addr ip.ttl icmp.type tcp.flags.syn udp.port eth.addr arp.opcode frame.len …), == != > < >= <= contains, && || !, parentheses; plain words match the row. Fields need the frame bytes, kept while “Explain decisions” is on.';

/** The rows of `filter` over the timeline: a query run in slices, continued as events arrive. */
function useTimelineRows(timeline: Timeline, filter: TimelineFilter, nodeName: (id: string) => string, version: number) {
  const compiled = useMemo(() => compileTimelineText(filter.text), [filter.text]);
  const predicate = compiled.ok ? compiled.match : null;
  const [, setSlices] = useState(0);
  const ref = useRef<TimelineQuery | null>(null);
  let q = ref.current;
  if (q === null || q.f !== filter || q.predicate !== predicate || q.nodeName !== nodeName || q.generation !== timeline.generation) {
    q = new TimelineQuery(timeline, filter, predicate, nodeName);
    ref.current = q;
  }
  // The first slice before this render's paint: a small timeline is filtered at once.
  advanceFor(q, SLICE_MS);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const work = () => {
      if (ref.current !== q) return;
      const done = advanceFor(q, SLICE_MS);
      setSlices((n) => n + 1);
      if (!done) timer = setTimeout(work, 0);
    };
    if (!q.done) timer = setTimeout(work, 0);
    return () => clearTimeout(timer);
  }, [q, version]);
  return { q, error: compiled.ok ? null : compiled.error };
}

function advanceFor(q: TimelineQuery, ms: number): boolean {
  const t0 = performance.now();
  while (!q.advance(2_048)) if (performance.now() - t0 > ms) return false;
  return true;
}

export function TimelineView({ store }: { store: RunStore }) {
  const version = useStore(store, (s) => s.timelineVersion);
  const explain = useStore(store, (s) => s.explain);
  const doc = useStore(store, (s) => s.doc);
  const journey = useStore(store, (s) => s.journey);
  const [local, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const [selected, setSelected] = useState<TrafficEvent | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const nodeName = useMemo(() => {
    const names = new Map((doc?.nodes ?? []).map((n) => [n.id, n.name]));
    return (id: string) => names.get(id) ?? id;
  }, [doc]);
  const timeline = store.timeline;
  // The followed packet is the store's (the canvas colours its path): the filter follows it.
  const journeyKeyNow = journey?.key ?? null;
  const filter = useMemo(() => ({ ...local, journey: journeyKeyNow }), [local, journeyKeyNow]);
  const { q, error } = useTimelineRows(timeline, filter, nodeName, version);
  const count = q.count;
  const virtual = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_PX, overscan: 20 });
  const set = (patch: Partial<TimelineFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const select = (e: TrafficEvent) => {
    setSelected(e);
    store.getState().flash({ node: e.node, link: e.link });
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version`: the events around it may have arrived since
  const frames = useMemo(() => (selected === null ? null : framesAround(timeline, selected)), [selected, timeline, version]);
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
        <input
          className={`run-timeline-text run-filter${error === null ? '' : ' bad'}`}
          placeholder="Display filter: icmp && ip.src==10.0.0.20, tcp.flags.syn==1, words…"
          value={local.text}
          onChange={(e) => set({ text: e.target.value })}
          title={error ?? FILTER_HELP}
          aria-invalid={error !== null}
          data-testid="timeline-text"
        />
        {journey !== null ? (
          <button onClick={() => store.getState().follow(null)} data-testid="timeline-journey-clear" title="Stop following: every packet again, and the canvas path cleared">Stop following</button>
        ) : (
          <button disabled={selected === null} onClick={() => selected && store.getState().follow(journeyKey(selected), journeyLabel(selected))} data-testid="timeline-follow" title="Only this packet's hops, and its path coloured on the canvas">Follow this packet</button>
        )}
        <label title="Nodes record why they forwarded, delivered or dropped each frame">
          <input type="checkbox" checked={explain} onChange={(e) => void store.getState().setExplain(e.target.checked)} data-testid="timeline-explain" /> Explain decisions
        </label>
        <span className="run-muted" data-testid="timeline-count" data-done={q.done ? 'true' : 'false'}>
          {count.toLocaleString('en-US')} of {timeline.size.toLocaleString('en-US')} events{timeline.lost > 0 ? ` (${timeline.lost.toLocaleString('en-US')} oldest not kept)` : ''}
          {q.done ? '' : ` · filtering ${Math.floor(q.progress * 100)}%`}
        </span>
      </div>
      {error !== null ? <div className="run-filter-error" data-testid="timeline-filter-error">{error}</div> : null}
      <div className="run-timeline-main">
        <div className="run-timeline-list" ref={scrollRef} data-testid="timeline-list">
          <div className="run-timeline-row head">
            <span>Time</span><span>Node</span><span>In</span><span>Out</span><span>Proto</span><span>Summary</span>
          </div>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const e = timeline.at(q.indexAt(v.index))!;
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
        {selected !== null && frames !== null ? <ExplainView event={selected} nodeName={nodeName(selected.node)} frames={frames} /> : null}
      </div>
    </div>
  );
}
