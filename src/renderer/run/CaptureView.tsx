// One capture tab: display filter, packet list (windowed), detail tree (decodeFrame) and
// hex dump with the selected field's bytes highlighted; export to pcap/pcapng. Selecting
// a packet flashes where it was on the canvas; a TCP packet's conversation can be followed
// (payload of both sides, filter `tcp.stream eq N`). Must not keep frames itself (the store does).
// The tree and hex components are shared with the explain view (a packet before and after).
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { compileFilter } from './capture-filter';
import type { CaptureRow } from './capture-store';
import { decodeFrame } from '../../emulator/wire/decode';
import { annotateTcpTree } from '../../emulator/filter/tcp-conversations';
import { fieldChanged } from './explain-frames';
import { FollowStream } from './FollowStream';
import { asciiByte, fieldAtPath, fieldPathAt, hexByte, hexRows, highlightRange, type FieldNode, type FieldPath } from './hex-map';
import { PROTO_COLORS } from './packet-animator';
import type { RunStore } from './run-store';
import { formatSeconds } from './time-map';

const ROW_PX = 20;

export function CaptureView({ store, capture }: { store: RunStore; capture: number }) {
  useStore(store, (s) => s.captureVersion);
  const info = store.captureMap.get(capture);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [fieldPath, setFieldPath] = useState<FieldPath | null>(null);
  const compiled = useMemo(() => compileFilter(filter), [filter]);
  const rows = info?.rows ?? [];
  const visible = compiled.ok ? rows.filter(compiled.match) : rows;
  const sel = selected === null ? null : (rows.find((r) => r.no === selected) ?? null);
  const tree = useMemo(() => (sel ? (sel.tcp ? annotateTcpTree(decodeFrame(sel.bytes), sel.tcp) : decodeFrame(sel.bytes)) : []), [sel]);
  const [following, setFollowing] = useState<number | null>(null);
  const follow = () => {
    if (!sel?.tcp) return;
    setFilter(`tcp.stream eq ${sel.tcp.stream}`);
    setFollowing(sel.tcp.stream);
  };

  const choose = (r: CaptureRow) => {
    setSelected(r.no);
    setFieldPath(null);
    const [nodeName] = r.where.split(':');
    const doc = store.getState().doc;
    const node = doc?.nodes.find((n) => n.name === nodeName || n.id === nodeName);
    const link = info?.target.kind === 'link' ? info.target.link : undefined;
    store.getState().flash({ node: node?.id, link });
  };

  const exportAs = (format: 'pcap' | 'pcapng') => store.getState().saveCapture(capture, format);

  if (!info) return <div className="run-empty">Capture closed.</div>;
  return (
    <div className="run-capture" data-testid={`capture-${capture}`}>
      <div className="run-capture-bar">
        <input
          className={`run-filter${compiled.ok ? '' : ' bad'}`}
          placeholder="Display filter: icmp.type==8, ip.addr==10.0.0.20, udp.port==53, eth.addr==…, not arp, text…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          title={compiled.ok ? "Protocols (arp icmp udp tcp ip); Wireshark fields: ip.addr ip.src ip.dst ip.ttl ip.proto icmp.type icmp.code udp.port udp.srcport udp.dstport tcp.port tcp.srcport tcp.dstport tcp.stream tcp.seq tcp.ack tcp.len tcp.flags.syn/ack/fin/reset tcp.analysis.retransmission eth.addr eth.src eth.dst arp.opcode frame.len; == != > < >= <= contains; and/or/not; \"text\"" : compiled.error}
          data-testid="capture-filter"
        />
        <span className="run-capture-count">{visible.length} / {rows.length}{info.running ? ' · capturing' : ' · stopped'}</span>
        {info.running ? <button onClick={() => void store.getState().stopCapture(capture)}>Stop</button> : null}
        <button onClick={follow} disabled={!sel?.tcp} title={sel?.tcp ? `Show the payload of TCP stream ${sel.tcp.stream} and filter on it` : 'Select a TCP packet to follow its stream'} data-testid="follow-tcp">Follow TCP Stream</button>
        <button onClick={() => void exportAs('pcap')} data-testid="export-pcap">Export pcap</button>
        <button onClick={() => void exportAs('pcapng')} data-testid="export-pcapng">Export pcapng</button>
      </div>
      {!compiled.ok ? <div className="run-filter-error">{compiled.error}</div> : null}
      <div className="run-capture-body">
        <PacketList rows={visible} selected={selected} onSelect={choose} />
        <div className="run-capture-detail">
          {sel?.translated ? (
            <div className="run-nat-note" data-testid="nat-note">
              Translated by NAT: {sel.translated.text}. The same packet is No. {sel.translated.peer.no} on {sel.translated.peer.where}.
            </div>
          ) : null}
          <FieldTree tree={tree} path={fieldPath} onSelect={setFieldPath} />
          {sel ? <HexDump bytes={sel.bytes} tree={tree} path={fieldPath} onSelect={setFieldPath} /> : <div className="run-empty">Select a packet.</div>}
        </div>
      </div>
      {following !== null ? <FollowStream tcp={info.tcp} stream={following} onClose={() => setFollowing(null)} /> : null}
    </div>
  );
}

function PacketList({ rows, selected, onSelect }: { rows: CaptureRow[]; selected: number | null; onSelect(r: CaptureRow): void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // Follow new packets while the list is scrolled to its end (as Wireshark's auto-scroll).
  const following = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [rows.length]);
  const height = ref.current?.clientHeight ?? 400;
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - 5);
  const last = Math.min(rows.length, first + Math.ceil(height / ROW_PX) + 10);
  return (
    <div className="run-packets" ref={ref} onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX * 2;
        setScrollTop(el.scrollTop);
      }} data-testid="packet-list">
      <div className="run-packet-head">
        <span>No.</span><span>Time</span><span>Source</span><span>Destination</span><span>Protocol</span><span>Length</span><span>Info</span>
      </div>
      <div style={{ height: rows.length * ROW_PX, position: 'relative' }}>
        {rows.slice(first, last).map((r, i) => (
          <div
            key={r.no}
            className={`run-packet-row${r.no === selected ? ' selected' : ''}`}
            style={{ top: (first + i) * ROW_PX, borderLeftColor: PROTO_COLORS[r.proto as keyof typeof PROTO_COLORS] ?? PROTO_COLORS.other }}
            onClick={() => onSelect(r)}
            data-no={r.no}
          >
            <span>{r.no}</span>
            <span>{formatSeconds(r.timeNs)}</span>
            <span>{r.src}</span>
            <span>{r.dst}</span>
            <span>{r.proto.toUpperCase()}</span>
            <span>{r.lengthBytes}</span>
            <span title={r.translated ? `${r.info}\nNAT: ${r.translated.text} (No. ${r.translated.peer.no} on ${r.translated.peer.where})` : r.info}>
              {r.translated ? <span className="run-nat-badge" data-testid="nat-badge">NAT</span> : null}
              {r.info}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** A decoded frame's fields; with `changed` (explain view), the leaves whose bytes differ from the other frame are marked. */
export function FieldTree({ tree, path, onSelect, changed = null, initiallyCollapsed = [] }: { tree: FieldNode[]; path: FieldPath | null; onSelect(p: FieldPath): void; changed?: Uint8Array | null; initiallyCollapsed?: string[] }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set(initiallyCollapsed));
  // A new packet shows its highest layer first (TCP, ICMP …): the layers below stay a scroll away.
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    const top = el?.querySelector<HTMLElement>(`[data-layer="${tree.length - 1}"]`);
    if (el && top) el.scrollTop += top.getBoundingClientRect().top - el.getBoundingClientRect().top;
  }, [tree]);
  const render = (list: FieldNode[], prefix: FieldPath, depth: number): React.ReactNode[] =>
    list.flatMap((f, i) => {
      const p = [...prefix, i];
      const key = p.join('.');
      const isSel = path !== null && path.join('.') === key;
      const open = !collapsed.has(key);
      const diff = changed !== null && !f.children?.length && f.length > 0 && fieldChanged(f, changed);
      const row = (
        <div
          key={key}
          className={`run-field${isSel ? ' selected' : ''}${diff ? ' changed' : ''}`}
          data-changed={diff ? 'true' : undefined}
          style={{ paddingLeft: 6 + depth * 14 }}
          onClick={() => onSelect(p)}
          data-field={f.name}
          data-layer={depth === 0 ? i : undefined}
        >
          {f.children?.length ? (
            <span
              className="run-twisty"
              onClick={(e) => {
                e.stopPropagation();
                const next = new Set(collapsed);
                if (open) next.add(key);
                else next.delete(key);
                setCollapsed(next);
              }}
            >
              {open ? '▾' : '▸'}
            </span>
          ) : (
            <span className="run-twisty" />
          )}
          {f.value !== '' ? `${f.name}: ${f.value}` : f.name}
        </div>
      );
      return open && f.children ? [row, ...render(f.children, p, depth + 1)] : [row];
    });
  return <div className="run-fields" ref={box} data-testid="field-tree">{render(tree, [], 0)}</div>;
}

/** Hex and ASCII of a frame; the selected field's bytes highlighted, and with `changed` the bytes that differ marked. */
export function HexDump({ bytes, tree, path, onSelect, changed = null }: { bytes: Uint8Array; tree: FieldNode[]; path: FieldPath | null; onSelect(p: FieldPath): void; changed?: Uint8Array | null }) {
  const range = highlightRange(path ? fieldAtPath(tree, path) : null, bytes.length);
  const inRange = (off: number) => range !== null && off >= range[0] && off < range[1];
  const mark = (off: number) => (inRange(off) ? 'hl' : changed !== null && changed[off] === 1 ? 'diff' : undefined);
  const pick = (off: number) => {
    const p = fieldPathAt(tree, off);
    if (p) onSelect(p);
  };
  return (
    <div className="run-hex" data-testid="hex-dump">
      {hexRows(bytes).map((r) => (
        <div key={r.offset} className="run-hex-row">
          <span className="run-hex-off">{r.label}</span>
          <span className="run-hex-bytes">
            {r.bytes.map((b, i) => (
              <span key={i} className={mark(r.offset + i)} onClick={() => pick(r.offset + i)}>
                {hexByte(b)}
              </span>
            ))}
          </span>
          <span className="run-hex-ascii">
            {r.bytes.map((b, i) => (
              <span key={i} className={mark(r.offset + i)}>{asciiByte(b)}</span>
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}
