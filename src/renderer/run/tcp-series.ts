// The connection panel's data: a watched connection's samples (engine tcp/samples) kept
// bounded, turned into the columns the two graphs plot — the time–sequence graph (segments,
// retransmissions, ACK line, receive window, SACK blocks) and cwnd/ssthresh/throughput —
// and the sentences that explain losses and retransmissions. Pure; no React, no DOM.
import type { TcpProbeSample, TcpRexmitCause } from '../../emulator/engine/protocol';

/** Samples kept per connection in the panel (the oldest go first; the graphs say so). */
export const SERIES_SAMPLES_MAX = 60_000;
/** Explanations kept (newest first). */
export const EXPLAIN_MAX = 300;

type Loss = Extract<TcpProbeSample, { kind: 'loss' }>;

const SYN = 0x02;
const FIN = 0x01;
const ACK = 0x10;

/** Why a segment went out again, in words (the words the traffic record's retransmission notes use). */
export function rexmitText(cause: TcpRexmitCause): string {
  switch (cause) {
    case 'dupack':
      return 'retransmitted: 3 duplicate ACKs';
    case 'partial-ack':
      return 'retransmitted: partial ACK in fast recovery';
    case 'sack':
      return 'retransmitted: SACK recovery';
    case 'rto':
      return 'retransmitted: RTO expired';
    case 'persist':
      return 'zero-window probe';
    default:
      return cause satisfies never;
  }
}

export interface Explanation {
  tNs: number;
  kind: 'loss' | 'rexmit';
  text: string;
}

/** One I-beam of the time–sequence graph: a segment (or SACK block) from `lo` to `hi` at time `t` (seconds). */
export interface Beam {
  t: number;
  lo: number;
  hi: number;
}

export interface SeqGraph {
  /** Columns for uPlot: time (s), segment top (new data), segment top (retransmitted), ACK, ACK + window. */
  data: [number[], (number | null)[], (number | null)[], (number | null)[], (number | null)[]];
  segments: Beam[];
  rexmits: Beam[];
  sacks: Beam[];
}

export interface CcGraph {
  /** Columns for uPlot: time (s), cwnd (KB), ssthresh (KB, null while unset), throughput (Mbit/s). */
  data: [number[], (number | null)[], (number | null)[], (number | null)[]];
}

/** Which way the data flows on this connection as seen from the watched node. */
export type DataDirection = 'sent' | 'received';

const sec = (ns: number) => ns / 1e9;

export class TcpSeries {
  private samples: TcpProbeSample[] = [];
  /** Samples dropped: overwritten in the engine before read, or trimmed here. */
  lost = 0;
  /** Cursor for the next tcp/samples request. */
  next = 0;
  private explained: Explanation[] = [];

  add(samples: readonly TcpProbeSample[], next: number, lost: number): void {
    this.next = next;
    this.lost += lost;
    for (const s of samples) {
      this.samples.push(s);
      const e = explain(s);
      if (e) this.explained.push(e);
    }
    if (this.samples.length > SERIES_SAMPLES_MAX) {
      const cut = this.samples.length - SERIES_SAMPLES_MAX;
      this.samples.splice(0, cut);
      this.lost += cut;
    }
    if (this.explained.length > EXPLAIN_MAX) this.explained.splice(0, this.explained.length - EXPLAIN_MAX);
  }

  get size(): number {
    return this.samples.length;
  }

  /** Newest first. */
  explanations(): Explanation[] {
    return this.explained.slice().reverse();
  }

  /** The watched node sends the data when it sent more payload than it received. */
  direction(): DataDirection {
    let out = 0;
    let inn = 0;
    for (const s of this.samples) {
      if (s.kind === 'out') out += s.len;
      else if (s.kind === 'in') inn += s.len;
    }
    return inn > out ? 'received' : 'sent';
  }

  /**
   * Stevens' time–sequence graph of the data flowing `dir`: each data segment as a beam from
   * its first to its last sequence number, retransmissions apart, the cumulative ACK and
   * the right edge of the offered window as step lines, SACK blocks as beams.
   */
  seqGraph(dir: DataDirection): SeqGraph {
    const g: SeqGraph = { data: [[], [], [], [], []], segments: [], rexmits: [], sacks: [] };
    const [x, seg, rex, ack, win] = g.data;
    const row = (t: number, s: number | null, r: number | null, a: number | null, w: number | null) => {
      x.push(t);
      seg.push(s);
      rex.push(r);
      ack.push(a);
      win.push(w);
    };
    for (const s of this.samples) {
      if (s.kind === 'loss') continue;
      const t = sec(s.tNs);
      const dataHere = dir === 'sent' ? s.kind === 'out' : s.kind === 'in';
      const adv = s.len + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
      if (dataHere && adv > 0) {
        const beam = { t, lo: s.seq, hi: s.seq + adv };
        const again = s.kind === 'out' && s.rexmit !== null;
        (again ? g.rexmits : g.segments).push(beam);
        row(t, again ? null : beam.hi, again ? beam.hi : null, null, null);
      } else if (!dataHere && s.flags & ACK) {
        row(t, null, null, s.ack, s.ack + s.win);
        if (s.kind === 'in') for (const [lo, hi] of s.sack) g.sacks.push({ t, lo, hi });
      }
    }
    return g;
  }

  /** The sender's cwnd and ssthresh (this node's), and goodput from the ACK line, per interval. */
  ccGraph(dir: DataDirection): CcGraph {
    const g: CcGraph = { data: [[], [], [], []] };
    const [x, cwnd, ssth, tput] = g.data;
    const acks: { t: number; ack: number }[] = [];
    for (const s of this.samples) {
      if (s.kind === 'in' && s.flags & ACK) {
        x.push(sec(s.tNs));
        cwnd.push(s.cwnd / 1024);
        ssth.push(s.ssthresh >= 0x3fffffff ? null : s.ssthresh / 1024);
        tput.push(null);
      }
      const ackOfData = dir === 'sent' ? s.kind === 'in' : s.kind === 'out';
      if (ackOfData && s.kind !== 'loss' && s.flags & ACK) acks.push({ t: sec(s.tNs), ack: s.ack });
    }
    // Goodput: new bytes acknowledged per interval (about 100 intervals over the run, at least 50 ms).
    if (acks.length > 1) {
      const t0 = acks[0]!.t;
      const span = acks[acks.length - 1]!.t - t0;
      const step = Math.max(0.05, span / 100);
      const buckets = Math.max(1, Math.ceil(span / step));
      const top = new Array<number>(buckets).fill(-1);
      for (const a of acks) {
        const i = Math.min(buckets - 1, Math.floor((a.t - t0) / step));
        top[i] = Math.max(top[i]!, a.ack);
      }
      let lastAck = acks[0]!.ack;
      const points: [number, number][] = [];
      top.forEach((hi, i) => {
        const v = Math.max(hi, lastAck);
        points.push([t0 + (i + 1) * step, ((v - lastAck) * 8) / step / 1e6]);
        lastAck = v;
      });
      mergeColumn(g.data, points);
    }
    return g;
  }
}

/** Adds (t, value) points as the last column, keeping the time column sorted. */
function mergeColumn(data: CcGraph['data'], points: [number, number][]): void {
  const [x, a, b, c] = data;
  const rows = x.map((t, i) => [t, a[i]!, b[i]!, c[i]!] as [number, number | null, number | null, number | null]);
  for (const [t, v] of points) rows.push([t, null, null, v]);
  rows.sort((p, q) => p[0] - q[0]);
  data[0] = rows.map((r) => r[0]);
  data[1] = rows.map((r) => r[1]);
  data[2] = rows.map((r) => r[2]);
  data[3] = rows.map((r) => r[3]);
}

function explain(s: TcpProbeSample): Explanation | null {
  if (s.kind === 'loss') return { tNs: s.tNs, kind: 'loss', text: lossText(s) };
  if (s.kind === 'out' && s.rexmit !== null) return { tNs: s.tNs, kind: 'rexmit', text: `${rexmitText(s.rexmit)} (seq ${s.seq}${s.len > 0 ? `, ${s.len} bytes` : ''})` };
  return null;
}

function lossText(s: Loss): string {
  const after = `cwnd ${s.cwnd} bytes${s.ssthresh < 0x3fffffff ? `, ssthresh ${s.ssthresh}` : ''}`;
  if (s.cause === 'dupack') return `3 duplicate ACKs for seq ${s.seq}: fast retransmit and recovery; ${after}`;
  if (s.cause === 'spurious') return `the timeout was spurious (an ACK echoed a timestamp from before it): undone, sending on from where it stopped; ${after} again`;
  const n = Math.max(1, s.rxtShift);
  return `RTO expired (timeout ${n}, RTO ${Math.round(s.rtoNs / 1e6)} ms × ${2 ** (n - 1)}): resend from seq ${s.seq}, next timer ×${2 ** n}; ${after}`;
}
