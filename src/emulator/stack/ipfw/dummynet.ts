// dummynet pipes (FreeBSD dummynet(4), `ipfw pipe N config bw B delay D queue Q plr P`):
// a drop-tail queue, a transmitter at the configured rate (serialization as link/link.ts
// computes it), a delay line, and random loss from the named substream
// `node:<name>:pipe:<N>:plr`. A packet leaving the pipe resumes where the filter took it
// (one_pass). Must not match rules; pfil.ts hands packets here.

import { serializationNs } from '../../link/link';
import type { NetStack } from '../types';
import type { DnPipe, Firewall } from './types';

export const DN_DEFAULT_QUEUE = 50;

export function pipeCreate(n: number): DnPipe {
  return {
    n,
    bandwidthBps: 0,
    delayNs: 0,
    queueMax: DN_DEFAULT_QUEUE,
    queueBytes: false,
    plrPpm: 0,
    busyUntilNs: 0,
    pendingEndNs: [],
    pendingBytes: [],
    totPackets: 0,
    totBytes: 0,
    drops: 0,
    wf2q: null,
  };
}

/** What a pipe did with a packet: queued (resume later) or dropped and why. */
export const DN_RESULT = { QUEUED: 0, QUEUE_FULL: 1, LOSS: 2, NO_PIPE: 3 } as const;
export type DnResult = (typeof DN_RESULT)[keyof typeof DN_RESULT];

/** Forgets packets whose transmission has ended by `nowNs` (they are in the delay line). */
function drain(p: DnPipe, nowNs: number): void {
  let k = 0;
  while (k < p.pendingEndNs.length && p.pendingEndNs[k] <= nowNs) k++;
  if (k > 0) {
    p.pendingEndNs.splice(0, k);
    p.pendingBytes.splice(0, k);
  }
}

export function pipeQueuedBytes(p: DnPipe): number {
  let b = 0;
  for (const x of p.pendingBytes) b += x;
  return b;
}

/**
 * Offers a packet of `bytes` to pipe `n`; when queued, `resume(arg)` runs once it has been
 * sent and delayed. Loss is drawn first (dummynet drops before queueing), then the bound.
 */
export function pipeEnqueue<T>(stack: NetStack, fw: Firewall, n: number, bytes: number, resume: (arg: T) => void, arg: T): DnResult {
  const p = fw.pipes.get(n);
  if (p === undefined) return DN_RESULT.NO_PIPE;
  const now = stack.env.sim.now();
  drain(p, now);
  if (p.plrPpm > 0 && stack.env.rng(`node:${stack.name}:pipe:${n}:plr`).chancePpm(p.plrPpm)) {
    p.drops++;
    return DN_RESULT.LOSS;
  }
  const full = p.queueBytes ? pipeQueuedBytes(p) + bytes > p.queueMax : p.pendingEndNs.length >= p.queueMax;
  if (full) {
    p.drops++;
    return DN_RESULT.QUEUE_FULL;
  }
  const start = p.busyUntilNs > now ? p.busyUntilNs : now;
  const end = start + serializationNs(bytes, p.bandwidthBps);
  p.busyUntilNs = end;
  p.pendingEndNs.push(end);
  p.pendingBytes.push(bytes);
  p.totPackets++;
  p.totBytes += bytes;
  stack.env.sim.schedule(end + p.delayNs - now, resume, arg);
  return DN_RESULT.QUEUED;
}
