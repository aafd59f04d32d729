// Text of dummynet pipes: `ipfw pipe N config bw B delay D queue Q plr P` parsed into a
// DnPipe, and `ipfw pipe show` as FreeBSD's sbin/ipfw/dummynet.c prints it (rate line,
// flowset line with the `sl.plr` run-on, scheduler line, one flow bucket with counters).

import { pipeCreate, pipeQueuedBytes } from './dummynet';
import { EX, IpfwError } from './parse';
import type { DnPipe, Firewall } from './types';

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
      case 'queue': {
        const m = /^([0-9]+)(K?)(bytes|Bytes|B)?$/.exec(v);
        if (m === null) return fail(`queue: bad size ${v}`);
        const bytes = m[3] !== undefined || m[2] === 'K';
        const size = Number(m[1]) * (m[2] === 'K' ? 1024 : 1);
        if (!bytes && (size < 1 || size > 100)) fail('2 <= queue size <= 100');
        if (bytes && (size < 1 || size > 1024 * 1024)) fail('2 <= queue size <= 1048576 bytes');
        p.queueMax = size;
        p.queueBytes = bytes;
        break;
      }
      case 'plr': {
        const x = Number(v);
        if (!/^[0-9.]+$/.test(v) || !(x >= 0 && x <= 1)) fail('plr must be in the range 0..1');
        p.plrPpm = Math.round(x * 1_000_000);
        break;
      }
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

/** `ipfw pipe show [N]`. */
export function formatPipes(fw: Firewall, nowNs: number, only?: number): string[] {
  const out: string[] = [];
  for (const p of [...fw.pipes.values()].sort((a, b) => a.n - b.n)) {
    if (only !== undefined && p.n !== only) continue;
    while (p.pendingEndNs.length > 0 && p.pendingEndNs[0] <= nowNs) {
      p.pendingEndNs.shift();
      p.pendingBytes.shift();
    }
    const qs = p.queueBytes ? (p.queueMax >= 8192 ? `${p.queueMax >> 10} KB` : `${p.queueMax} B`) : `${String(p.queueMax).padStart(3)} sl.`;
    const plr = p.plrPpm > 0 ? `plr ${(p.plrPpm / 1e6).toFixed(6)} ` : '';
    const flows = p.totPackets + p.drops > 0 ? 1 : 0;
    out.push(`${String(p.n).padStart(5, '0')}: ${rateText(p.bandwidthBps)} ${String(p.delayNs / 1e6).padStart(4)} ms burst 0`);
    out.push(`q${131072 + p.n} ${qs}${plr === '' ? ' ' : plr}${flows} flows (1 buckets) sched ${65536 + p.n} weight 0 lmax 0 pri 0 droptail`);
    out.push(` sched ${65536 + p.n} type FIFO flags 0x0 ${flows === 0 ? 0 : 16} buckets ${flows} active`);
    if (flows === 0) continue;
    out.push('BKT Prot ___Source IP/port____ ____Dest. IP/port____ Tot_pkt/bytes Pkt/Byte Drp');
    const qp = p.pendingEndNs.length;
    out.push(
      `  0 ip   ${'0.0.0.0/0'.padStart(21)} ${'0.0.0.0/0'.padStart(21)} ${String(p.totPackets).padStart(4)} ${String(p.totBytes).padStart(8)} ` +
        `${String(qp).padStart(2)} ${String(pipeQueuedBytes(p)).padStart(4)} ${String(p.drops).padStart(3)}`,
    );
  }
  return out;
}
