// `virtnet run --trace OUT.jsonl`: the traffic record with its decisions (simulation
// mode's explanations) as JSON lines, one per record: time, node, in/out interface,
// protocol, summary, drop reason, the decision steps and the sentence a student reads.
// Streamed to a temporary file beside OUT and renamed over it at the end (atomic: a
// failed run leaves no half file); at most `maxRecords` lines, the rest counted in a
// final `{"truncated": N}` line. Node-only; the engine never writes files.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { TrafficEvent } from '../emulator/engine/protocol';
import { explainSentence } from '../emulator/engine/explain-text';
import { resolveLinkTarget, tempPathFor } from '../shared/node/atomic-write';

/** Lines written by default (about 300 bytes each: a few hundred megabytes at most). */
export const TRACE_RECORDS_DEFAULT = 1_000_000;
/** The most `--trace-max` accepts. */
export const TRACE_RECORDS_MAX = 50_000_000;
const FLUSH_BYTES = 1 << 16;

/** One line of the file (the shape teachers' scripts read). */
export interface TraceLine {
  timeNs: number;
  node: string;
  action: TrafficEvent['action'];
  in?: string;
  out?: string;
  link?: string;
  frame: number;
  proto: string;
  summary: string;
  lengthBytes: number;
  reason?: string;
  rule?: number;
  decision?: NonNullable<TrafficEvent['decision']>['steps'];
  explanation?: string;
}

/** `opener`: the event the decision began with (the received frame), which the sentence names. */
export function traceLine(e: TrafficEvent, nodeName: string, opener: TrafficEvent = e): TraceLine {
  const l: TraceLine = { timeNs: e.timeNs, node: nodeName, action: e.action, frame: e.frame, proto: e.proto, summary: e.summary, lengthBytes: e.lengthBytes };
  switch (e.action) {
    case 'rx':
    case 'drop':
    case 'deliver':
      if (e.iface !== undefined) l.in = e.iface;
      break;
    case 'tx':
      if (e.iface !== undefined) l.out = e.iface;
      break;
    case 'fwd':
      if (e.fromIface !== undefined) l.in = e.fromIface;
      if (e.iface !== undefined) l.out = e.iface;
      break;
    default:
      e.action satisfies never;
  }
  if (e.link !== undefined) l.link = e.link;
  if (e.reason !== undefined) l.reason = e.reason;
  if (e.rule !== undefined) l.rule = e.rule;
  if (e.decision !== undefined) {
    l.decision = e.decision.steps;
    const s = explainSentence({ node: nodeName, proto: opener.proto, summary: opener.summary }, e.decision);
    if (s !== '') l.explanation = s;
  }
  return l;
}

/** What the writer needs of the World (the CLI's in-process world; see .dependency-cruiser.cjs debt). */
export interface TracedWorld {
  readonly nodes: readonly { id: string; name: string }[];
  readonly sim: { epoch(): number };
  setExplaining(on: boolean): void;
  onTraffic(listener: (e: TrafficEvent) => void): () => void;
}

/** Streams the world's traffic (explanations on) into `target` until `finish`. */
export class TraceWriter {
  private readonly tmp: string;
  private readonly final: string;
  private fd: number;
  private buf: string[] = [];
  private bufBytes = 0;
  written = 0;
  notWritten = 0;
  private readonly stop: () => void;
  private pending: TrafficEvent[] = [];
  private pendingEvent = -1;
  private readonly emitPending: () => void;

  constructor(world: TracedWorld, target: string, private readonly maxRecords: number) {
    this.final = resolveLinkTarget(target);
    this.tmp = tempPathFor(this.final);
    this.fd = openSync(this.tmp, 'wx', 0o644);
    const names = new Map(world.nodes.map((n) => [n.id, n.name]));
    // The first event of each decision (a received frame, or the node's own send) names the packet.
    const openers = new WeakMap<object, TrafficEvent>();
    world.setExplaining(true);
    // A decision grows until its scheduler event ends (a received frame's record comes
    // first): lines are written once the event that made them is over.
    this.emitPending = () => {
      for (const e of this.pending) {
        let opener = e;
        if (e.decision !== undefined) {
          const first = openers.get(e.decision);
          if (first === undefined) openers.set(e.decision, e);
          else opener = first;
        }
        this.push(JSON.stringify(traceLine(e, names.get(e.node) ?? e.node, opener)) + '\n');
      }
      this.pending = [];
    };
    this.stop = world.onTraffic((e) => {
      if (this.written >= this.maxRecords) {
        this.notWritten++;
        return;
      }
      this.written++;
      const ev = world.sim.epoch();
      if (ev !== this.pendingEvent) this.emitPending();
      this.pendingEvent = ev;
      this.pending.push(e);
    });
  }

  private push(line: string): void {
    this.buf.push(line);
    this.bufBytes += line.length;
    if (this.bufBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bufBytes = 0;
  }

  /** Write the rest, then rename the file into place. */
  finish(): void {
    this.stop();
    this.emitPending();
    if (this.notWritten > 0) this.push(JSON.stringify({ truncated: this.notWritten }) + '\n');
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.final);
  }

  /** The run failed: remove the temporary file, leave any old OUT as it was. */
  abandon(): void {
    this.stop();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}
