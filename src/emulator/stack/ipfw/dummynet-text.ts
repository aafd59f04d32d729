// Text of dummynet pipes and queues: `ipfw pipe N config bw B delay D queue Q plr P` and
// `ipfw queue N config pipe P weight W …` parsed into a DnPipe / DnQueue, and `ipfw pipe show`
// / `ipfw queue show` as FreeBSD's sbin/ipfw/dummynet.c prints them (rate line, flowset line
// with the `sl.plr` run-on, scheduler line, one flow bucket with counters).

import { pipeCreate, pipeQueuedBytes } from './dummynet';
import { EX, IpfwError } from './parse';
import { DN_WEIGHT_MAX, queueCreate } from './dn-queue';
import type { DnPipe, DnQueue, Firewall } from './types';

const fail = (msg: string, code: number = EX.DATAERR): never => {
  throw new IpfwError(msg, code);
};

/** `1Mbit/s`, `100Kbit/s`, `10KByte/s`, `1M`: ipfw units are bit/s and Byte/s with K, M, G prefixes; a bare number is bit/s. */
export function parseBandwidth(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)([KMG]?)(bit\/s|bits\/s|Bit\/s|Byte\/s|B\/s|bps)?$/.exec(text);
  if (m === null) return fail(`bandwidth: unknown unit in \`\`${text}''`);
  const mult = m[2] === 'K' ? 1e3 : m[2] === 'M' ? 1e6 : m[2] === 'G' ? 1e9 : 1;
  const bytes = m[3] === 'Byte/s' || m[3] === 'B/s';
  const bps = Number(m[1]) * mult * (bytes ? 8 : 1);
  if (bps > 1e12) fail('bandwidth too large');
  return Math.round(bps);
}

/** `queue 50` (slots) or `queue 64Kbytes` → [bound, in bytes]. */
function queueSize(v: string): [number, boolean] {
  const m = /^([0-9]+)(K?)(bytes|Bytes|B)?$/.exec(v);
  if (m === null) return fail(`queue: bad size ${v}`);
  const bytes = m[3] !== undefined || m[2] === 'K';
  const size = Number(m[1]) * (m[2] === 'K' ? 1024 : 1);
  if (!bytes && (size < 1 || size > 100)) fail('2 <= queue size <= 100');
  if (bytes && (size < 1 || size > 1024 * 1024)) fail('2 <= queue size <= 1048576 bytes');
  return [size, bytes];
}

function plrPpm(v: string): number {
  const x = Number(v);
  if (!/^[0-9.]+$/.test(v) || !(x >= 0 && x <= 1)) fail('plr must be in the range 0..1');
  return Math.round(x * 1_000_000);
}

/** Applies `config` arguments to pipe `n` (a new pipe when absent); nothing changes on error. */
export function pipeConfig(fw: Pick<Firewall, 'pipes'>, n: number, args: string[]): DnPipe {
  if (n < 1 || n > 65534) fail(`illegal pipe number ${n}`, EX.USAGE);
  const p = { ...(fw.pipes.get(n) ?? pipeCreate(n)) };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = args[i + 1];
    if (v === undefined) fail(`${w}: missing argument`, EX.USAGE);
    i++;
    switch (w) {
      case 'bw': case 'bandwidth':
        p.bandwidthBps = parseBandwidth(v);
        break;
      case 'delay': {
        if (!/^[0-9]+$/.test(v) || Number(v) > 10_000) fail(`delay must be < 10000 ms`);
        p.delayNs = Number(v) * 1_000_000;
        break;
      }
      case 'queue':
        [p.queueMax, p.queueBytes] = queueSize(v);
        break;
      case 'plr':
        p.plrPpm = plrPpm(v);
        break;
      default:
        fail(`unrecognised option \`\`${w}''`);
    }
  }
  return p;
}

function rateText(bps: number): string {
  if (bps === 0) return 'unlimited';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(3).padStart(7)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(3).padStart(7)} Kbit/s`;
  return `${bps.toFixed(3).padStart(7)} bit/s `;
}

type Flowset = Pick<DnQueue, 'queueMax' | 'queueBytes' | 'plrPpm' | 'totPackets' | 'totBytes' | 'drops'>;

/** The flowset line (`q131073  50 sl. 1 flows …`), as dummynet.c list_flowset prints it. */
function flowsetLine(name: string, f: Flowset, sched: number, weight: number): string {
  const qs = f.queueBytes ? (f.queueMax >= 8192 ? `${f.queueMax >> 10} KB` : `${f.queueMax} B`) : `${String(f.queueMax).padStart(3)} sl.`;
  const plr = f.plrPpm > 0 ? `plr ${(f.plrPpm / 1e6).toFixed(6)} ` : '';
  const flows = f.totPackets + f.drops > 0 ? 1 : 0;
  return `${name} ${qs}${plr === '' ? ' ' : plr}${flows} flows (1 buckets) sched ${sched} weight ${weight} lmax 0 pri 0 droptail`;
}

/** The flow table of one bucket (no masks: every packet is one flow). */
function bucketLines(f: Flowset, queued: number, queuedBytes: number): string[] {
  if (f.totPackets + f.drops === 0) return [];
  return [
    'BKT Prot ___Source IP/port____ ____Dest. IP/port____ Tot_pkt/bytes Pkt/Byte Drp',
    `  0 ip   ${'0.0.0.0/0'.padStart(21)} ${'0.0.0.0/0'.padStart(21)} ${String(f.totPackets).padStart(4)} ${String(f.totBytes).padStart(8)} ` +
      `${String(queued).padStart(2)} ${String(queuedBytes).padStart(4)} ${String(f.drops).padStart(3)}`,
  ];
}

/** `ipfw pipe show [N]`. */
export function formatPipes(fw: Firewall, nowNs: number, only?: number): string[] {
  const out: string[] = [];
  for (const p of [...fw.pipes.values()].sort((a, b) => a.n - b.n)) {
    if (only !== undefined && p.n !== only) continue;
    while (p.pendingEndNs.length > 0 && p.pendingEndNs[0] <= nowNs) {
      p.pendingEndNs.shift();
      p.pendingBytes.shift();
    }
    const flows = p.totPackets + p.drops > 0 ? 1 : 0;
    out.push(`${String(p.n).padStart(5, '0')}: ${rateText(p.bandwidthBps)} ${String(p.delayNs / 1e6).padStart(4)} ms burst 0`);
    out.push(flowsetLine(`q${131072 + p.n}`, p, 65536 + p.n, 0));
    out.push(` sched ${65536 + p.n} type FIFO flags 0x0 ${flows === 0 ? 0 : 16} buckets ${flows} active`);
    out.push(...bucketLines(p, p.pendingEndNs.length, pipeQueuedBytes(p)));
  }
  return out;
}

/**
 * `ipfw queue N config pipe P [weight W] [queue Q] [plr R]`: a new queue, or changes to an
 * existing one (its waiting packets stay); nothing changes on error.
 */
export function queueConfig(fw: Firewall, n: number, args: string[]): DnQueue {
  if (n < 1 || n > 65534) fail(`illegal queue number ${n}`, EX.USAGE);
  const old = fw.queues.get(n);
  const q: DnQueue = { ...(old ?? queueCreate(n)) };
  for (let i = 0; i < args.length; i += 2) {
    const w = args[i];
    const v = args[i + 1];
    if (v === undefined) fail(`${w}: missing argument`, EX.USAGE);
    switch (w) {
      case 'pipe':
      case 'sched':
        if (!/^[0-9]+$/.test(v) || Number(v) < 1 || Number(v) > 65534) fail(`illegal pipe number ${v}`);
        q.pipe = Number(v);
        break;
      case 'weight':
        if (!/^[0-9]+$/.test(v) || Number(v) < 1 || Number(v) > DN_WEIGHT_MAX) fail(`weight must be <= ${DN_WEIGHT_MAX}`);
        q.weight = Number(v);
        break;
      case 'queue':
        [q.queueMax, q.queueBytes] = queueSize(v);
        break;
      case 'plr':
        q.plrPpm = plrPpm(v);
        break;
      default:
        fail(`unrecognised option \`\`${w}''`);
    }
  }
  if (q.pipe === 0) fail('queue needs a pipe: ipfw queue N config pipe P weight W', EX.USAGE);
  return q;
}

/** `ipfw queue show [N]`: each queue's flowset line (sched = its pipe) and flow counters. */
export function formatQueues(fw: Firewall, only?: number): string[] {
  const out: string[] = [];
  for (const q of [...fw.queues.values()].sort((a, b) => a.n - b.n)) {
    if (only !== undefined && q.n !== only) continue;
    out.push(flowsetLine(`q${String(q.n).padStart(5, '0')}`, q, q.pipe, q.weight));
    out.push(...bucketLines(q, q.pkts.length, q.qBytes));
  }
  return out;
}
