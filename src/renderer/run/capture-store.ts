// Captured frames of the running network: rows for the packet list (summarised once, on
// arrival), kept in plain arrays outside React state with a version counter to re-render.
// Must not decode the tree eagerly (only the selected frame is decoded). TCP segments are
// analysed on arrival across the capture (stream index, relative numbers, retransmissions).
import type { CaptureTarget, CapturedFrameEvent } from '../../emulator/engine/protocol';
import { tcpConversationFields, TcpConversations, tcpInfoText, type TcpSegmentInfo } from '../../emulator/filter/tcp-conversations';
import type { FilterRow } from './capture-filter';
import { pairTranslations, type Translation } from './nat-pairing';

export interface CaptureRow extends FilterRow {
  /** 1-based number, as Wireshark's No. column. */
  no: number;
  capture: number;
  timeNs: number;
  direction: 'in' | 'out';
  frame: number;
  bytes: Uint8Array;
  /** For a TCP segment: what the capture-wide analysis knows of it. */
  tcp?: TcpSegmentInfo;
  /** Set when this packet is seen translated (NAT) in another capture on the same node. */
  translated?: Translation;
}

export interface CaptureInfo {
  id: number;
  name: string;
  target: CaptureTarget;
  running: boolean;
  rows: CaptureRow[];
  /** Frames captured so far (rows may keep fewer). */
  frames: number;
  /** Frames captured when it was last saved to a file (Stop asks before losing the rest). */
  savedFrames: number;
  /** TCP conversations seen so far (kept for the whole capture, so stream numbers stay stable when old rows go). */
  tcp: TcpConversations;
}

export function newCaptureInfo(id: number, name: string, target: CaptureTarget): CaptureInfo {
  return { id, name, target, running: true, rows: [], frames: 0, savedFrames: 0, tcp: new TcpConversations() };
}

export type Summarize = (bytes: Uint8Array) => { proto: string; src: string; dst: string; info: string };

/** Frames kept per capture; older frames are dropped from the list (export still has them). */
export const CAPTURE_ROWS_MAX = 50_000;

export function toRow(e: CapturedFrameEvent, summarize: Summarize, tcp?: TcpConversations): CaptureRow {
  let s: ReturnType<Summarize>;
  try {
    s = summarize(e.bytes);
  } catch {
    s = { proto: 'other', src: '', dst: '', info: 'undecodable frame' };
  }
  const seg = s.proto === 'tcp' && tcp ? tcp.add(e.bytes) : null;
  const row: CaptureRow = {
    no: e.index + 1,
    capture: e.capture,
    timeNs: e.timeNs,
    direction: e.direction,
    frame: e.frame,
    bytes: e.bytes,
    where: e.where,
    proto: s.proto,
    src: s.src,
    dst: s.dst,
    info: seg ? tcpInfoText(seg) : s.info,
    lengthBytes: e.bytes.length,
  };
  if (seg) {
    row.tcp = seg;
    row.conv = tcpConversationFields(seg);
  }
  return row;
}

/** Appends captured frames to their captures; returns true when anything changed. */
export function appendFrames(captures: Map<number, CaptureInfo>, frames: CapturedFrameEvent[], summarize: Summarize): boolean {
  const touched = new Set<CaptureInfo>();
  const fresh: CaptureRow[] = [];
  for (const f of frames) {
    const c = captures.get(f.capture);
    if (!c) continue;
    const row = toRow(f, summarize, c.tcp);
    c.rows.push(row);
    fresh.push(row);
    c.frames = Math.max(c.frames, f.index + 1);
    touched.add(c);
  }
  // Only when two captures run on one node can a packet be seen on both sides of a NAT.
  if (captures.size > 1) pairTranslations(captures, fresh);
  // Trim once per batch, not per frame (a full capture would shift 50,000 rows each time).
  for (const c of touched) if (c.rows.length > CAPTURE_ROWS_MAX) c.rows.splice(0, c.rows.length - CAPTURE_ROWS_MAX);
  return touched.size > 0;
}

export function describeTarget(t: CaptureTarget, nodeName: (id: string) => string, linkName: (id: string) => string): string {
  return t.kind === 'iface' ? `${nodeName(t.node)}:${t.iface}` : linkName(t.link);
}
