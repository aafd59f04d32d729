// ping(8) as a user-space ICMP echo client over an AppPort, driven by virtual-time timers.
// Mirrors FreeBSD's main loop (send every interval, "Request timeout" when a send finds
// an earlier probe unanswered, linger 2×max RTT or -W after the last send) and output.
// Flood (-f) as FreeBSD: a probe every 10 ms and another as each reply comes back, a dot
// per probe and a backspace per reply. Virtual time always advances: no two probes leave
// less than PING_MIN_INTERVAL_NS apart. Must not print anything FreeBSD would not.
// RFC 792 (echo), RFC 1122 §3.2.2.6.

import { formatIpv4 } from '../../wire/addr';
import { buildIcmp, icmpEchoRequest } from '../../wire/icmp';
import type { TimerId } from '../../sim/scheduler';
import { errnoText, type AppPort, type IcmpMessage } from './port';
import { icmpErrorText, quotedHeaderDump } from './icmp-text';

const SEC_NS = 1_000_000_000;
const TIMESTAMP_LEN = 8;
/**
 * The shortest gap between two probes. FreeBSD keeps -i in whole milliseconds and lets
 * root ask for 0 ms (then the host's speed is the limit); virtual time has no such limit,
 * so 0 becomes this one millisecond and a flood's reply-driven probes wait for it too.
 */
export const PING_MIN_INTERVAL_NS = 1_000_000;
/** FreeBSD's flood interval (intvl = 10 ms when F_FLOOD). */
export const PING_FLOOD_INTERVAL_NS = 10_000_000;
/** FreeBSD FLOOD_BACKOFF: a flood that finds the interface queue full waits 20 ms. */
const FLOOD_BACKOFF_NS = 20_000_000;

export interface PingOptions {
  dst: number;
  /** What the user typed (printed in the header and summary). */
  hostText: string;
  /** 0 = until interrupted. */
  count: number;
  intervalNs: number;
  sizeBytes: number;
  ttl?: number;
  /** -t: stop after this long in total (0 = never). */
  timeoutNs: number;
  /** -W: replies later than this are not counted; also the final linger. */
  waitTimeNs: number;
  /** True when -W was given (FreeBSD F_WAITTIME). */
  waitTimeSet: boolean;
  quiet: boolean;
  /** -f: flood (F_FLOOD | F_DOT). */
  flood?: boolean;
  ident: number;
  /** Reverse lookup for ICMP error senders (FreeBSD pr_addr); absent or -n: numeric. */
  nameOf?: (addr: number) => string | null;
}

export const PING_DEFAULTS: Readonly<Pick<PingOptions, 'count' | 'intervalNs' | 'sizeBytes' | 'timeoutNs' | 'waitTimeNs'>> = {
  count: 0,
  intervalNs: SEC_NS,
  sizeBytes: 56,
  timeoutNs: 0,
  waitTimeNs: 10 * SEC_NS,
};

export interface PingStats {
  transmitted: number;
  received: number;
  duplicates: number;
  outOfWaitTime: number;
  /** Round trips timed so far and their running sums (FreeBSD tsum/tsumsq/tmin/tmax): bounded memory. */
  timed: number;
  tsumMs: number;
  tsumSqMs: number;
  tminMs: number;
  tmaxMs: number;
}

export interface PingRun {
  /** Ctrl-C: print the summary and finish. */
  interrupt(): void;
  readonly stats: PingStats;
}

export function startPing(port: AppPort, opts: PingOptions, out: (text: string) => void, done: (exitCode: number) => void): PingRun {
  return new PingClient(port, opts, out, done);
}

/** One ping(8) process: FreeBSD's main loop as timer callbacks. */
class PingClient implements PingRun {
  readonly stats: PingStats = { transmitted: 0, received: 0, duplicates: 0, outOfWaitTime: 0, timed: 0, tsumMs: 0, tsumSqMs: 0, tminMs: Infinity, tmaxMs: 0 };
  private readonly sentAt = new Map<number, number>();
  private readonly seen = new Set<number>();
  private readonly timing: boolean;
  private readonly closeIcmp: () => void;
  private timer: TimerId = 0;
  private alarm: TimerId = 0;
  private missedMax = 0;
  private almostDone = false;
  private finished = false;
  private readonly intervalNs: number;
  /** When the timer last ran (FreeBSD `last`): the next probe is due an interval later. */
  private lastTickNs = 0;

  constructor(
    private readonly port: AppPort,
    private readonly opts: PingOptions,
    private readonly out: (text: string) => void,
    private readonly done: (exitCode: number) => void,
  ) {
    this.timing = opts.sizeBytes >= TIMESTAMP_LEN;
    this.intervalNs = Math.max(PING_MIN_INTERVAL_NS, opts.flood ? PING_FLOOD_INTERVAL_NS : opts.intervalNs);
    this.closeIcmp = port.icmpOpen((m) => this.onIcmp(m));
    out(`PING ${opts.hostText} (${formatIpv4(opts.dst)}): ${opts.sizeBytes} data bytes\n`);
    if (opts.timeoutNs > 0) this.alarm = port.sim.schedule(opts.timeoutNs, () => this.finish());
    // The first probe goes out at once; the timer drives the rest.
    this.lastTickNs = port.sim.now();
    const sentNow = this.send();
    this.timer = port.sim.schedule(sentNow ? this.intervalNs : FLOOD_BACKOFF_NS, () => this.tick());
  }

  interrupt(): void {
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.port.sim.cancel(this.timer);
    if (this.alarm) this.port.sim.cancel(this.alarm);
    this.closeIcmp();
    this.out(pingSummary(this.opts.hostText, this.stats, this.timing));
    this.done(this.stats.received > 0 ? 0 : 2);
  }

  /** One probe (FreeBSD pinger); false when a flood found no buffer space and backs off. */
  private send(): boolean {
    const now = this.port.sim.now();
    const seq = this.stats.transmitted & 0xffff;
    this.sentAt.set(seq, now);
    this.seen.delete(seq);
    this.stats.transmitted++;
    const icmp = buildIcmp(icmpEchoRequest(this.opts.ident, seq, echoData(this.opts.sizeBytes, now)));
    const r = this.port.ipSend({ dst: this.opts.dst, proto: 1, payload: icmp, ttl: this.opts.ttl });
    if (!r.ok && this.opts.flood && r.errno === 'ENOBUFS') {
      // FreeBSD: the probe is not counted; wait FLOOD_BACKOFF and try again.
      this.stats.transmitted--;
      return false;
    }
    if (!r.ok) this.out(`ping: sendto: ${errnoText(r.errno)}\n`);
    if (this.opts.flood && !this.opts.quiet) this.out('.');
    return true;
  }

  private tick(): void {
    if (this.finished) return;
    const { stats, opts } = this;
    this.lastTickNs = this.port.sim.now();
    let nextNs = this.intervalNs;
    if (opts.count === 0 || stats.transmitted < opts.count) {
      if (!this.send()) nextNs = FLOOD_BACKOFF_NS;
    } else {
      if (this.almostDone) return this.finish();
      this.almostDone = true;
    }
    if (this.almostDone) {
      // FreeBSD: linger two round trips (whole seconds, at least one) if anything came back, else -W.
      nextNs = stats.received > 0 ? Math.max(1, Math.floor((2 * stats.tmaxMs) / 1000)) * SEC_NS : opts.waitTimeNs;
    }
    const missed = stats.transmitted - stats.received - 1;
    if (missed > this.missedMax) {
      this.missedMax = missed;
      // A flood shows loss as the dots left standing, not as lines.
      if (!opts.quiet && !opts.flood) this.out(`Request timeout for icmp_seq ${stats.transmitted - 2}\n`);
    }
    this.timer = this.port.sim.schedule(nextNs, () => this.tick());
  }

  private onIcmp(m: IcmpMessage): void {
    if (this.finished) return;
    if (m.type === 0) {
      if (m.ident === this.opts.ident) this.onEchoReply(m);
      return;
    }
    const q = m.quoted;
    // Only errors about our own echo requests (FreeBSD checks proto, type and id).
    if (!q || q.proto !== 1 || q.icmpType !== 8 || q.ident !== this.opts.ident) return;
    const extra = m.type === 3 && m.code === 4 ? (m.nextHopMtu ?? 0) : 0;
    const ip = formatIpv4(m.src);
    const name = this.opts.nameOf?.(m.src);
    const from = name ? `${name} (${ip})` : ip;
    const lines = [`${8 + m.payload.length} bytes from ${from}: ${icmpErrorText(m.type, m.code, extra)}`, ...quotedHeaderDump(m.payload), ''];
    this.out(lines.join('\n') + '\n');
  }

  private onEchoReply(m: IcmpMessage): void {
    const { stats, opts } = this;
    const seq = m.seq ?? 0;
    const sent = this.sentAt.get(seq);
    if (sent === undefined) return;
    const rttNs = m.timeNs - sent;
    if (opts.waitTimeSet && rttNs > opts.waitTimeNs) {
      stats.outOfWaitTime++;
      return;
    }
    const dup = this.seen.has(seq);
    if (dup) stats.duplicates++;
    else {
      this.seen.add(seq);
      stats.received++;
    }
    const ms = rttNs / 1e6;
    if (this.timing) {
      stats.timed++;
      stats.tsumMs += ms;
      stats.tsumSqMs += ms * ms;
      if (ms < stats.tminMs) stats.tminMs = ms;
      if (ms > stats.tmaxMs) stats.tmaxMs = ms;
    }
    if (opts.flood) {
      if (!opts.quiet) this.out('\b');
    } else if (!opts.quiet) {
      const time = this.timing ? ` time=${ms.toFixed(3)} ms` : '';
      this.out(`${8 + m.payload.length} bytes from ${formatIpv4(m.src)}: icmp_seq=${seq} ttl=${m.ttl}${time}${dup ? ' (DUP!)' : ''}\n`);
    }
    if (opts.count > 0 && stats.received >= opts.count) return this.finish();
    // FreeBSD's flood loop sends again as soon as a reply is read, but never sooner than
    // the minimum gap here, so a zero-delay path cannot stop virtual time.
    if (opts.flood && !this.almostDone) {
      this.port.sim.cancel(this.timer);
      const dueNs = Math.max(0, this.lastTickNs + PING_MIN_INTERVAL_NS - m.timeNs);
      this.timer = this.port.sim.schedule(dueNs, () => this.tick());
    }
  }
}

/** Echo data as FreeBSD fills it: an 8-byte timestamp, then bytes i = offset. */
function echoData(size: number, nowNs: number): Uint8Array {
  const data = new Uint8Array(size);
  if (size >= TIMESTAMP_LEN) {
    const sec = Math.floor(nowNs / SEC_NS);
    const nsec = nowNs % SEC_NS;
    const view = new DataView(data.buffer);
    view.setUint32(0, sec >>> 0);
    view.setUint32(4, nsec >>> 0);
  }
  for (let i = TIMESTAMP_LEN; i < size; i++) data[i] = i & 0xff;
  return data;
}

/** The statistics block FreeBSD prints when ping finishes (with its leading blank line). */
export function pingSummary(host: string, s: PingStats, timing: boolean): string {
  let text = `\n--- ${host} ping statistics ---\n`;
  text += `${s.transmitted} packets transmitted, ${s.received} packets received`;
  if (s.duplicates) text += `, +${s.duplicates} duplicates`;
  if (s.transmitted) {
    if (s.received > s.transmitted) text += ' -- somebody\'s printing up packets!';
    else text += `, ${(((s.transmitted - s.received) * 100) / s.transmitted).toFixed(1)}% packet loss`;
  }
  if (s.outOfWaitTime) text += `, ${s.outOfWaitTime} packets out of wait time`;
  text += '\n';
  if (s.received && timing && s.timed) {
    const n = s.timed;
    const avg = s.tsumMs / n;
    const stddev = Math.sqrt(Math.max(0, s.tsumSqMs / n - avg * avg));
    text += `round-trip min/avg/max/stddev = ${s.tminMs.toFixed(3)}/${avg.toFixed(3)}/${s.tmaxMs.toFixed(3)}/${stddev.toFixed(3)} ms\n`;
  }
  return text;
}
