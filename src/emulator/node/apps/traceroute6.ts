// traceroute6 (FreeBSD usr.sbin/traceroute6) as a user-space app on a stack: UDP probes
// with rising hop limits, three per hop, each answered by Time Exceeded from a router or
// Port Unreachable from the destination, printed as traceroute6 prints them. Virtual-time
// timers only. RFC 4443 §3.1 (codes → !N !P !S !A), §3.3.

import { through, type ProcGate, type Timers } from '../proc-gate';
import type { TimerId } from '../../sim/scheduler';
import { icmp6Open, in6SelectSource, route6Find, udp6Bind, udp6Send, udp6Unbind, type Icmp6Delivery, type NetStack } from '../../stack';
import { ICMPV6_TYPE, ICMPV6_UNREACH } from '../../wire/icmpv6';
import { formatIpv6, ipv6Equal, type Ipv6Addr } from '../../wire/ipv6-addr';

const SEC_NS = 1_000_000_000;

export interface Traceroute6Options {
  dst: Ipv6Addr;
  hostText: string;
  firstHop: number;
  maxHops: number;
  nQueries: number;
  waitNs: number;
  basePort: number;
  numeric: boolean;
  nameOf: (a: Ipv6Addr) => string | null;
}

export const TRACEROUTE6_DEFAULTS = { firstHop: 1, maxHops: 64, nQueries: 3, waitNs: 5 * SEC_NS, basePort: 33434, numeric: false } as const;
/** 12 byte packets: the UDP header and FreeBSD's 4-byte probe payload. */
const PROBE_DATA = 4;

export interface Traceroute6Run {
  interrupt(): void;
}

/** `gate`: the program's (node/proc-gate.ts): its timer and the replies wait while it is stopped. */
export function startTraceroute6(stack: NetStack, opts: Traceroute6Options, out: (t: string) => void, done: (code: number) => void, gate: ProcGate | null = null): Traceroute6Run {
  return new Tracer6(stack, opts, out, done, gate);
}

class Tracer6 implements Traceroute6Run {
  private hop: number;
  private probe = 0;
  private seq = 0;
  private sentNs = 0;
  private timer: TimerId = 0;
  private line = '';
  private lastFrom: Ipv6Addr | null = null;
  private gotThere = false;
  private unreachable = 0;
  private finished = false;
  private readonly close: () => void;
  private readonly srcPort: number;
  private readonly sim: Timers;

  constructor(
    private readonly stack: NetStack,
    private readonly opts: Traceroute6Options,
    private readonly out: (t: string) => void,
    private readonly done: (code: number) => void,
    gate: ProcGate | null,
  ) {
    this.sim = gate?.timers ?? stack.env.sim;
    this.hop = opts.firstHop;
    this.close = icmp6Open(stack, through(gate, (m: Icmp6Delivery) => this.onIcmp(m)));
    this.srcPort = udp6Bind(stack, 0, () => {});
    const r = route6Find(stack, opts.dst, 0, -1);
    const src = r === null ? null : in6SelectSource(stack, opts.dst, r.ifIndex);
    const d = formatIpv6(opts.dst);
    out(`traceroute6 to ${opts.hostText} (${d}) from ${src === null ? '::' : formatIpv6(src)}, ${opts.maxHops} hops max, ${8 + PROBE_DATA} byte packets\n`);
    this.send();
  }

  interrupt(): void {
    this.finish(130);
  }

  private send(): void {
    if (this.probe === 0) this.line = `${String(this.hop).padStart(2)} `;
    this.lastFrom = this.probe === 0 ? null : this.lastFrom;
    this.seq++;
    this.sentNs = this.sim.now();
    const payload = Uint8Array.of(this.seq & 0xff, this.hop, 0, 0);
    const r = udp6Send(this.stack, { dst: this.opts.dst, srcPort: this.srcPort, dstPort: this.opts.basePort + this.seq, payload, hopLimit: this.hop });
    if (!r.ok) this.line += ' *';
    this.timer = this.sim.schedule(r.ok ? this.opts.waitNs : 0, () => this.timeout());
  }

  private timeout(): void {
    this.timer = 0;
    this.line += ' *';
    this.next();
  }

  private onIcmp(m: Icmp6Delivery): void {
    if (this.finished || this.timer === 0) return;
    const q = m.payload;
    // Only answers about our current probe: quoted UDP from our port to this probe's port.
    if (q.length < 48 || q[6] !== 17 || ((q[40] << 8) | q[41]) !== this.srcPort || ((q[42] << 8) | q[43]) !== this.opts.basePort + this.seq) return;
    const isHop = m.type === ICMPV6_TYPE.TIME_EXCEEDED && m.code === 0;
    if (!isHop && m.type !== ICMPV6_TYPE.DST_UNREACHABLE) return;
    this.sim.cancel(this.timer);
    this.timer = 0;
    if (this.lastFrom === null || !ipv6Equal(this.lastFrom, m.src)) {
      const a = formatIpv6(m.src);
      this.line += this.opts.numeric ? ` ${a}` : ` ${this.opts.nameOf(m.src) ?? a} (${a})`;
      this.lastFrom = m.src;
    }
    this.line += `  ${((m.timeNs - this.sentNs) / 1e6).toFixed(3)} ms`;
    if (m.type === ICMPV6_TYPE.DST_UNREACHABLE) {
      switch (m.code) {
        case ICMPV6_UNREACH.NO_ROUTE:
          this.unreachable++;
          this.line += ' !N';
          break;
        case ICMPV6_UNREACH.ADMIN:
          this.unreachable++;
          this.line += ' !P';
          break;
        case ICMPV6_UNREACH.BEYOND_SCOPE:
          this.unreachable++;
          this.line += ' !S';
          break;
        case ICMPV6_UNREACH.ADDRESS:
          this.unreachable++;
          this.line += ' !A';
          break;
        case ICMPV6_UNREACH.PORT:
          if (m.hopLimit <= 1) this.line += ' !';
          this.gotThere = true;
          break;
        default:
          this.unreachable++;
          this.line += ` !<${m.code}>`;
      }
    }
    this.next();
  }

  private next(): void {
    this.probe++;
    if (this.probe < this.opts.nQueries) return this.send();
    this.out(this.line + '\n');
    this.probe = 0;
    if (this.gotThere || (this.unreachable > 0 && this.unreachable >= this.opts.nQueries - 1) || this.hop >= this.opts.maxHops) return this.finish(0);
    this.hop++;
    this.unreachable = 0;
    this.send();
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== 0) this.sim.cancel(this.timer);
    this.close();
    udp6Unbind(this.stack, this.srcPort);
    this.done(code);
  }
}
