// ping6 (FreeBSD sbin/ping/ping6.c) as a user-space ICMPv6 echo client on a stack,
// driven by virtual-time timers: a probe every interval, replies printed as ping6 prints
// them (`16 bytes from ADDR, icmp_seq=N hlim=H time=T ms`), ICMPv6 errors only with -v,
// and the statistics summary. Must not print anything FreeBSD's ping6 would not.
// RFC 4443 §4.1-4.2 (echo).

import { through, type ProcGate, type Timers } from '../proc-gate';
import type { TimerId } from '../../sim/scheduler';
import { icmp6Open, in6SelectSource, ip6Send, route6Find, type Icmp6Delivery, type NetStack } from '../../stack';
import { errnoText } from '../../stack/errno';
import { buildIcmpv6, ICMPV6_TYPE } from '../../wire/icmpv6';
import { IPV6_NEXT } from '../../wire/ipv6';
import { formatIpv6, ipv6Equal, isIpv6LinkScope, isIpv6Multicast, type Ipv6Addr } from '../../wire/ipv6-addr';
import { icmp6ErrorLines } from './icmp6-text';

const SEC_NS = 1_000_000_000;
/** FreeBSD ping6 MAXWAIT: how long to linger for replies after the last probe when none came. */
const MAXWAIT_NS = 10 * SEC_NS;
const TIMESTAMP_LEN = 8;

export interface Ping6Options {
  dst: Ipv6Addr;
  /** Outgoing interface of a link-scope destination, -1 when none. */
  zone: number;
  hostText: string;
  count: number;
  intervalNs: number;
  /** ICMPv6 data bytes (ping6's default is 8: just the timestamp). */
  sizeBytes: number;
  hopLimit?: number;
  src?: Ipv6Addr;
  verbose: boolean;
  quiet: boolean;
  /** IPV6_USE_MIN_MTU (FreeBSD's default; -u clears it): fragment above 1280 bytes. */
  minMtu: boolean;
  ident: number;
  /** Scope suffix of link-local addresses in the output (`%eth0`). */
  zoneName: (ifIndex: number) => string;
}

export const PING6_DEFAULTS = { count: 0, intervalNs: SEC_NS, sizeBytes: 8 } as const;

export interface Ping6Run {
  interrupt(): void;
}

/** `gate`: the program's (node/proc-gate.ts): its timer and replies wait while it is stopped. */
export function startPing6(stack: NetStack, opts: Ping6Options, out: (text: string) => void, done: (exitCode: number) => void, gate: ProcGate | null = null): Ping6Run {
  return new Ping6Client(stack, opts, out, done, gate);
}

class Ping6Client implements Ping6Run {
  private transmitted = 0;
  private received = 0;
  private repeats = 0;
  private readonly seen = new Set<number>();
  private tsum = 0;
  private tsumsq = 0;
  private tmin = Infinity;
  private tmax = 0;
  private timer: TimerId = 0;
  private finished = false;
  private readonly close: () => void;
  private readonly timing: boolean;
  private readonly sim: Timers;

  constructor(
    private readonly stack: NetStack,
    private readonly opts: Ping6Options,
    private readonly out: (text: string) => void,
    private readonly done: (exitCode: number) => void,
    gate: ProcGate | null,
  ) {
    this.sim = gate?.timers ?? stack.env.sim;
    this.timing = opts.sizeBytes >= TIMESTAMP_LEN;
    this.close = icmp6Open(stack, through(gate, (m: Icmp6Delivery) => this.onIcmp(m)));
    const src = opts.src ?? this.source();
    const len = 8 + opts.sizeBytes;
    out(`PING6(${40 + len}=40+8+${opts.sizeBytes} bytes) ${src === null ? '::' : this.addr(src, opts.zone)} --> ${this.addr(opts.dst, opts.zone)}\n`);
    this.tick();
  }

  private source(): Ipv6Addr | null {
    if (isIpv6Multicast(this.opts.dst)) return this.opts.zone < 0 ? null : in6SelectSource(this.stack, this.opts.dst, this.opts.zone);
    const r = route6Find(this.stack, this.opts.dst, 0, this.opts.zone);
    return r === null ? null : in6SelectSource(this.stack, this.opts.dst, r.ifIndex);
  }

  private addr(a: Ipv6Addr, ifIndex: number): string {
    return isIpv6LinkScope(a) && ifIndex >= 0 ? `${formatIpv6(a)}%${this.opts.zoneName(ifIndex)}` : formatIpv6(a);
  }

  interrupt(): void {
    this.finish();
  }

  private tick(): void {
    this.timer = 0;
    if (this.finished) return;
    const { opts, stack } = this;
    if (opts.count > 0 && this.transmitted >= opts.count) {
      // FreeBSD: after the last probe, wait 2 × the longest round trip (at least 1 s) or MAXWAIT.
      const linger = this.received > 0 ? Math.max(SEC_NS, 2 * this.tmax * 1e6) : MAXWAIT_NS;
      this.timer = this.sim.schedule(linger, () => this.finish());
      return;
    }
    const now = this.sim.now();
    const data = new Uint8Array(opts.sizeBytes);
    if (this.timing) {
      // struct tv32 as ping6 writes it: seconds and microseconds of the send time.
      const us = Math.floor(now / 1000);
      const sec = Math.floor(us / 1e6);
      const usec = us % 1e6;
      data.set([sec >>> 24, (sec >>> 16) & 0xff, (sec >>> 8) & 0xff, sec & 0xff, usec >>> 24, (usec >>> 16) & 0xff, (usec >>> 8) & 0xff, usec & 0xff]);
    }
    for (let i = TIMESTAMP_LEN; i < data.length; i++) data[i] = i & 0xff;
    const seq = this.transmitted & 0xffff;
    this.seen.delete(seq);
    this.transmitted++;
    const payload = buildIcmpv6({ type: ICMPV6_TYPE.ECHO_REQUEST, code: 0, ident: opts.ident, seq, data }, new Uint8Array(16), new Uint8Array(16));
    const r = ip6Send(stack, { dst: opts.dst, src: opts.src, next: IPV6_NEXT.ICMPV6, payload, checksumAt: 2, hopLimit: opts.hopLimit, zone: opts.zone, minMtu: opts.minMtu });
    if (!r.ok) this.out(`ping6: sendmsg: ${errnoText(r.errno)}\nping6: wrote ${opts.hostText} ${payload.length} chars, ret=-1\n`);
    this.timer = this.sim.schedule(opts.intervalNs, () => this.tick());
  }

  private onIcmp(m: Icmp6Delivery): void {
    if (this.finished) return;
    const { opts } = this;
    if (m.type === ICMPV6_TYPE.ECHO_REPLY) {
      if (m.ident !== opts.ident) return;
      if (!isIpv6Multicast(opts.dst) && !ipv6Equal(m.src, opts.dst)) return;
      const seq = m.seq ?? 0;
      let triptime = 0;
      if (this.timing && m.payload.length >= TIMESTAMP_LEN) {
        const p = m.payload;
        const sec = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
        const usec = ((p[4] << 24) | (p[5] << 16) | (p[6] << 8) | p[7]) >>> 0;
        triptime = (Math.floor(m.timeNs / 1000) - (sec * 1e6 + usec)) / 1000;
        this.tsum += triptime;
        this.tsumsq += triptime * triptime;
        this.tmin = Math.min(this.tmin, triptime);
        this.tmax = Math.max(this.tmax, triptime);
      }
      const dup = this.seen.has(seq);
      if (dup) this.repeats++;
      else {
        this.seen.add(seq);
        this.received++;
      }
      if (!opts.quiet) {
        const time = this.timing ? ` time=${triptime.toFixed(3)} ms` : '';
        this.out(`${m.length} bytes from ${this.addr(m.src, m.ifIndex)}, icmp_seq=${seq} hlim=${m.hopLimit}${time}${dup ? '(DUP!)' : ''}\n`);
      }
      if (opts.count > 0 && this.received >= opts.count && this.transmitted >= opts.count) this.finish();
      return;
    }
    // Anything else is printed only with -v (FreeBSD pr_pack), errors with the quoted header.
    if (!opts.verbose || m.type >= 128) return;
    this.out(`${m.length} bytes from ${this.addr(m.src, m.ifIndex)}: ${icmp6ErrorLines(m).join('\n')}\n\n`);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== 0) this.sim.cancel(this.timer);
    this.close();
    const lines = [`\n--- ${this.opts.hostText} ping6 statistics ---`];
    let s = `${this.transmitted} packets transmitted, ${this.received} packets received, `;
    if (this.repeats) s += `+${this.repeats} duplicates, `;
    if (this.transmitted) s += this.received > this.transmitted ? "-- somebody's duplicating packets!" : `${(((this.transmitted - this.received) * 100) / this.transmitted).toFixed(1)}% packet loss`;
    lines.push(s);
    if (this.received && this.timing) {
      const num = this.received + this.repeats;
      const avg = this.tsum / num;
      const dev = Math.sqrt(Math.max(0, this.tsumsq / num - avg * avg));
      lines.push(`round-trip min/avg/max/std-dev = ${this.tmin.toFixed(3)}/${avg.toFixed(3)}/${this.tmax.toFixed(3)}/${dev.toFixed(3)} ms`);
    }
    this.out(lines.join('\n') + '\n');
    this.done(this.received > 0 ? 0 : 2);
  }
}
