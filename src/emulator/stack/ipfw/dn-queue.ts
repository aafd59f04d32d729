// dummynet queues sharing a pipe by weight (FreeBSD `ipfw queue N config pipe P weight W`,
// scheduled by WF2Q+ as dummynet's dn_sched_wf2q.c: Bennett & Zhang, "WF2Q: Worst-case Fair
// Weighted Fair Queueing", 1996). Each queue is a bounded drop-tail FIFO with its own plr;
// the pipe's transmitter sends one packet at a time at the pipe's rate, picking among the
// queues whose virtual start time has come the one finishing first; then the pipe's delay.
// Work-conserving: an idle queue's share goes to the others. Must not match rules.

import { serializationNs } from '../../link/link';
import type { NetStack } from '../types';
import { DN_RESULT, type DnResult } from './dummynet';
import type { DnPipe, DnQueue, DnWf2q, Firewall } from './types';

export const DN_WEIGHT_MAX = 100;
const DN_DEFAULT_QUEUE = 50;

export function queueCreate(n: number): DnQueue {
  return { n, pipe: 0, weight: 1, queueMax: DN_DEFAULT_QUEUE, queueBytes: false, plrPpm: 0, pkts: [], qBytes: 0, startV: 0, finishV: 0, totPackets: 0, totBytes: 0, drops: 0 };
}

interface TxArg {
  stack: NetStack;
  fw: Firewall;
  pipe: DnPipe;
}

/** The queues of `pipe` with packets waiting, in queue-number order (ties go to the lower number). */
function backlogged(fw: Firewall, pipe: number): DnQueue[] {
  const out: DnQueue[] = [];
  for (const q of fw.queues.values()) if (q.pipe === pipe && q.pkts.length > 0) out.push(q);
  return out.sort((a, b) => a.n - b.n);
}

/** Sends the next packet WF2Q+ picks, if any; runs again when its transmission ends. */
function transmitNext(a: TxArg): void {
  const s = a.pipe.wf2q!;
  const qs = backlogged(a.fw, a.pipe.n);
  if (qs.length === 0 || a.fw.pipes.get(a.pipe.n) !== a.pipe) {
    s.busy = false;
    return;
  }
  // Eligible: started by the system virtual time; when none is, V jumps to the earliest start.
  let minStart = Infinity;
  // The backlogged weight sum, counted afresh (a queue reconfigured while busy cannot skew it).
  s.weightSum = 0;
  for (const q of qs) {
    minStart = Math.min(minStart, q.startV);
    s.weightSum += q.weight;
  }
  if (minStart > s.virtualV) s.virtualV = minStart;
  let pick: DnQueue | null = null;
  for (const q of qs) if (q.startV <= s.virtualV && (pick === null || q.finishV < pick.finishV)) pick = q;
  const q = pick!;
  const pkt = q.pkts.shift()!;
  q.qBytes -= pkt.bytes;
  s.virtualV += pkt.bytes / s.weightSum;
  if (q.pkts.length > 0) {
    q.startV = q.finishV;
    q.finishV = q.startV + q.pkts[0].bytes / q.weight;
  }
  s.busy = true;
  const txNs = serializationNs(pkt.bytes, a.pipe.bandwidthBps);
  a.stack.env.sim.schedule(txNs + a.pipe.delayNs, pkt.resume as (x: unknown) => void, pkt.arg);
  a.stack.env.sim.schedule(txNs, transmitNext, a);
}

/**
 * Offers a packet of `bytes` to queue `n`; when queued, `resume(arg)` runs once the pipe has
 * sent and delayed it. Loss is drawn first (from `node:<name>:queue:<N>:plr`), then the bound.
 */
export function queueEnqueue<T>(stack: NetStack, fw: Firewall, n: number, bytes: number, resume: (arg: T) => void, arg: T): DnResult {
  const q = fw.queues.get(n);
  const pipe = q === undefined ? undefined : fw.pipes.get(q.pipe);
  if (q === undefined || pipe === undefined) return DN_RESULT.NO_PIPE;
  if (q.plrPpm > 0 && stack.env.rng(`node:${stack.name}:queue:${n}:plr`).chancePpm(q.plrPpm)) {
    q.drops++;
    return DN_RESULT.LOSS;
  }
  if (q.queueBytes ? q.qBytes + bytes > q.queueMax : q.pkts.length >= q.queueMax) {
    q.drops++;
    return DN_RESULT.QUEUE_FULL;
  }
  const s: DnWf2q = pipe.wf2q ?? (pipe.wf2q = { virtualV: 0, weightSum: 0, busy: false });
  q.pkts.push({ bytes, resume: resume as (x: never) => void, arg });
  q.qBytes += bytes;
  q.totPackets++;
  q.totBytes += bytes;
  if (q.pkts.length === 1) {
    // A queue turning busy starts where it left off or at the system virtual time, whichever is later.
    q.startV = Math.max(q.finishV, s.virtualV);
    q.finishV = q.startV + bytes / q.weight;
  }
  if (!s.busy) transmitNext({ stack, fw, pipe });
  return DN_RESULT.QUEUED;
}
