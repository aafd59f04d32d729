// The TCP tab: a node's connections (netstat -an plus congestion state) and, for the one
// selected, live graphs drawn with uPlot — Stevens' time–sequence graph (segments, ACK
// line, receive window, SACK blocks, retransmissions in red) and cwnd/ssthresh with
// goodput — plus each loss and retransmission explained in words. Only the selected
// connection is recorded by the engine (tcp/watch), and only while this tab shows it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { useStore } from 'zustand';
import type { EngineResults, TcpConnSnapshot } from '../../emulator/engine/protocol';
import { formatSeconds } from './time-map';
import { TcpSeries, type Beam, type DataDirection } from './tcp-series';
import type { RunStore } from './run-store';
import { UPlotChart } from './UPlotChart';

/** How often the panel asks for new samples and for the connection list (wall ms). */
export const SAMPLES_POLL_MS = 300;
export const LIST_POLL_MS = 1000;

const COLORS = { seg: '#2b8a3e', rexmit: '#e03131', ack: '#1c7ed6', win: '#f08c00', sack: '#9c36b5', cwnd: '#1971c2', ssthresh: '#c2255c', tput: '#2f9e44' } as const;

/** Kinds of nodes without a TCP stack. */
const NO_STACK = new Set(['lanswitch', 'hub', 'switch', 'bridge']);

export function ConnectionPanel({ store, pollMs = { list: LIST_POLL_MS, samples: SAMPLES_POLL_MS } }: { store: RunStore; pollMs?: { list: number; samples: number } }) {
  const nodeId = useStore(store, (s) => s.tcpNodeId);
  const doc = useStore(store, (s) => s.doc);
  const status = useStore(store, (s) => s.status);
  const [list, setList] = useState<EngineResults['tcp/connections'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const nodes = (doc?.nodes ?? []).filter((n) => !NO_STACK.has(n.kind));

  useEffect(() => {
    setSelected(null);
    setList(null);
    if (!nodeId || status !== 'running') return;
    let alive = true;
    const poll = async () => {
      const r = await store.getState().tcpConnections(nodeId);
      if (!alive) return;
      if (r.ok) (setList(r.value), setError(null));
      else setError(r.error);
    };
    void poll();
    const t = setInterval(() => void poll(), pollMs.list);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [nodeId, status, store, pollMs.list]);

  return (
    <div className="run-tcp" data-testid="tcp-panel">
      <div className="run-tcp-side">
        <div className="run-tcp-head">
          <label>
            Node{' '}
            <select value={nodeId ?? ''} onChange={(e) => store.getState().openTcp(e.target.value)} data-testid="tcp-node">
              {nodeId ? null : <option value="">choose…</option>}
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>{n.name}</option>
              ))}
            </select>
          </label>
          {list ? <span className="run-muted">{list.connections.length} connection{list.connections.length === 1 ? '' : 's'}{list.listening.length ? ` · listening on ${list.listening.join(', ')}` : ''}</span> : null}
        </div>
        {error ? <div className="run-filter-error">{error}</div> : null}
        <ConnectionList list={list} selected={selected} onSelect={setSelected} />
      </div>
      {nodeId && selected ? (
        <ConnectionGraphs key={`${nodeId}|${selected}`} store={store} nodeId={nodeId} conn={selected} pollMs={pollMs.samples} snapshot={list?.connections.find((c) => c.conn === selected) ?? null} />
      ) : (
        <div className="run-tcp-main run-empty">{nodeId ? 'Select a connection to draw its time–sequence and congestion-window graphs.' : 'Choose a node (or right-click one → TCP connections).'}</div>
      )}
    </div>
  );
}

function ConnectionList({ list, selected, onSelect }: { list: EngineResults['tcp/connections'] | null; selected: string | null; onSelect(conn: string): void }) {
  if (!list) return <div className="run-empty">No node chosen.</div>;
  if (list.connections.length === 0) return <div className="run-empty">No TCP connections. Start one, e.g. iperf3 -s on one node and iperf3 -c on another.</div>;
  return (
    <div className="run-tcp-list">
      {list.connections.map((c) => (
        <div key={c.conn} className={`run-tcp-conn${c.conn === selected ? ' selected' : ''}`} onClick={() => onSelect(c.conn)} data-conn={c.conn} data-testid="tcp-conn" role="button" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && onSelect(c.conn)}>
          <div className="run-tcp-conn-ends">{c.local} → {c.remote}</div>
          <div className="run-tcp-conn-info">{c.state} · {c.cc} · cwnd {c.cwnd} · Send-Q {c.sendQ} · Retr {c.rexmitPack}</div>
        </div>
      ))}
    </div>
  );
}

/** A chart's series names in their colours (uPlot's own legend would take the chart's height). */
function Legend({ items }: { items: [string, string, 'line' | 'dash' | 'beam'][] }) {
  return (
    <span className="run-tcp-legend">
      {items.map(([label, color, kind]) => (
        <span key={label} className={`run-tcp-key ${kind}`}>
          <i className={`key-${kind}`} style={{ borderColor: color }} />
          {label}
        </span>
      ))}
    </span>
  );
}

function ConnectionGraphs({ store, nodeId, conn, pollMs, snapshot }: { store: RunStore; nodeId: string; conn: string; pollMs: number; snapshot: TcpConnSnapshot | null }) {
  const series = useRef(new TcpSeries());
  const beams = useRef<{ segments: Beam[]; rexmits: Beam[]; sacks: Beam[] }>({ segments: [], rexmits: [], sacks: [] });
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState<TcpConnSnapshot | null>(snapshot);
  const [gone, setGone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [dirChoice, setDirChoice] = useState<DataDirection | 'auto'>('auto');

  useEffect(() => {
    let alive = true;
    let busy = false;
    const s = store.getState();
    const poll = async () => {
      if (busy) return;
      busy = true;
      const r = await s.tcpSamples(nodeId, conn, series.current.next);
      busy = false;
      if (!alive) return;
      if (!r.ok) return setProblem(r.error);
      series.current.add(r.value.samples, r.value.next, r.value.lost);
      if (r.value.conn) setLive(r.value.conn);
      setGone(r.value.conn === null);
      if (r.value.samples.length > 0 || r.value.lost > 0) setVersion((v) => v + 1);
    };
    let t: ReturnType<typeof setInterval> | undefined;
    void s.tcpWatch(nodeId, conn, true).then((r) => {
      if (!alive) return;
      if (!r.ok) return setProblem(r.error);
      void poll();
      t = setInterval(() => void poll(), pollMs);
    });
    return () => {
      alive = false;
      clearInterval(t);
      void s.tcpWatch(nodeId, conn, false);
    };
  }, [store, nodeId, conn, pollMs]);

  const dir = dirChoice === 'auto' ? series.current.direction() : dirChoice;
  const seq = useMemo(() => series.current.seqGraph(dir), [version, dir]);
  const cc = useMemo(() => series.current.ccGraph(dir), [version, dir]);
  beams.current = seq;
  const seqOptions = useMemo(() => seqChartOptions(() => beams.current), []);
  const ccOptions = useMemo(() => ccChartOptions(), []);
  const why = useMemo(() => series.current.explanations(), [version]);
  const c = live ?? snapshot;

  return (
    <div className="run-tcp-main">
      <div className="run-tcp-stats" data-testid="tcp-stats">
        {c ? (
          <span className="run-tcp-stats-text">
            <strong>{gone ? 'closed' : c.state}</strong> · {c.cc} · cwnd {c.cwnd} · ssthresh {c.ssthresh ?? '—'} · srtt {(c.srttNs / 1e6).toFixed(1)} ms · rto {Math.round(c.rtoNs / 1e6)} ms · retransmitted {c.rexmitPack}
          </span>
        ) : null}
        <label className="run-tcp-dir">
          Data{' '}
          <select value={dirChoice} onChange={(e) => setDirChoice(e.target.value as DataDirection | 'auto')} data-testid="tcp-dir">
            <option value="auto">auto ({series.current.direction()})</option>
            <option value="sent">sent by this node</option>
            <option value="received">received by this node</option>
          </select>
        </label>
      </div>
      {problem ? <div className="run-filter-error">{problem}</div> : null}
      {series.current.lost > 0 ? <div className="run-muted run-tcp-note">{series.current.lost} older samples are not shown (the log keeps the most recent).</div> : null}
      <div className="run-tcp-body">
        <div className="run-tcp-charts">
          <div className="run-tcp-chart">
            <div className="run-tcp-chart-title">
              Time–sequence ({dir === 'sent' ? 'sent' : 'received'})
              <Legend items={[['segment', COLORS.seg, 'beam'], ['retransmitted', COLORS.rexmit, 'beam'], ['SACK', COLORS.sack, 'beam'], ['ACK', COLORS.ack, 'line'], ['window', COLORS.win, 'dash']]} />
            </div>
            <UPlotChart options={seqOptions} data={seq.data} testId="tcp-seq-chart" />
          </div>
          <div className="run-tcp-chart">
            <div className="run-tcp-chart-title" title={dir === 'sent' ? undefined : "cwnd belongs to the sender: open the TCP tab of the sending node"}>
              {dir === 'sent' ? 'cwnd, goodput' : 'Goodput'}
              <Legend items={[['cwnd KB', COLORS.cwnd, 'line'], ['ssthresh KB', COLORS.ssthresh, 'dash'], ['goodput Mbit/s', COLORS.tput, 'line']]} />
            </div>
            <UPlotChart options={ccOptions} data={cc.data} testId="tcp-cc-chart" />
          </div>
        </div>
        <div className="run-tcp-why" data-testid="tcp-why">
          <div className="run-tcp-chart-title">Losses and retransmissions</div>
          {why.length === 0 ? <div className="run-muted">None yet.</div> : null}
          {why.map((e, k) => (
            <div key={`${e.tNs}-${k}`} className={`run-tcp-why-row ${e.kind}`}>
              <span className="run-event-time">{formatSeconds(e.tNs)}</span> {e.text}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/** Byte counts on an axis: 0, 64K, 1.5M. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}K`;
  return String(+v.toFixed(2));
}

const noLine = () => null;

function seqChartOptions(getBeams: () => { segments: Beam[]; rexmits: Beam[]; sacks: Beam[] }): Omit<uPlot.Options, 'width' | 'height'> {
  const draw = (u: uPlot) => {
    const b = getBeams();
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    const beam = (list: Beam[], color: string, dx: number) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = Math.max(1, devicePixelRatio);
      ctx.beginPath();
      for (const m of list) {
        const x = u.valToPos(m.t, 'x', true) + dx;
        ctx.moveTo(x, u.valToPos(m.lo, 'y', true));
        ctx.lineTo(x, u.valToPos(m.hi, 'y', true));
      }
      ctx.stroke();
    };
    beam(b.segments, COLORS.seg, 0);
    beam(b.rexmits, COLORS.rexmit, 0);
    beam(b.sacks, COLORS.sack, 2 * devicePixelRatio);
    ctx.restore();
  };
  return {
    scales: { x: { time: false } },
    axes: [
      { label: 'time (s)', labelSize: 18, size: 36, stroke: 'currentColor' },
      { label: 'sequence', labelSize: 18, size: 56, stroke: 'currentColor', values: (_u, splits) => splits.map(compact) },
    ],
    series: [
      { label: 't (s)', value: (_u, v) => (v == null ? '—' : v.toFixed(4)) },
      { label: 'segment', stroke: COLORS.seg, paths: noLine, points: { show: true, size: 3, fill: COLORS.seg } },
      { label: 'retransmitted', stroke: COLORS.rexmit, paths: noLine, points: { show: true, size: 5, fill: COLORS.rexmit } },
      { label: 'ACK', stroke: COLORS.ack, width: 1.5, spanGaps: true, points: { show: false } },
      { label: 'window', stroke: COLORS.win, width: 1, spanGaps: true, dash: [4, 3], points: { show: false } },
    ],
    legend: { show: false },
    cursor: { drag: { x: true, y: true, uni: 20 } },
    hooks: { draw: [draw] },
  };
}

function ccChartOptions(): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    scales: { x: { time: false }, mbps: { auto: true } },
    axes: [
      { label: 'time (s)', labelSize: 18, size: 36, stroke: 'currentColor' },
      { label: 'KB', labelSize: 18, size: 52, stroke: 'currentColor', values: (_u, splits) => splits.map(compact) },
      { scale: 'mbps', side: 1, label: 'Mbit/s', labelSize: 18, size: 48, stroke: COLORS.tput, grid: { show: false } },
    ],
    series: [
      { label: 't (s)', value: (_u, v) => (v == null ? '—' : v.toFixed(3)) },
      { label: 'cwnd KB', stroke: COLORS.cwnd, width: 1.5, spanGaps: true, points: { show: false } },
      { label: 'ssthresh KB', stroke: COLORS.ssthresh, width: 1, dash: [5, 4], spanGaps: true, points: { show: false } },
      { label: 'goodput Mbit/s', scale: 'mbps', stroke: COLORS.tput, width: 1.5, spanGaps: true, points: { show: false } },
    ],
    legend: { show: false },
  };
}
