// traceroute(8) as a user-space UDP prober over an AppPort: probes to port 33434+seq
// with TTL 1, 2, … and reads ICMP time-exceeded / unreachable replies, printing hops
// exactly as FreeBSD's traceroute does. Virtual time only; no output FreeBSD lacks.
// RFC 792 (time exceeded, port unreachable), RFC 1393 background.

import { formatIpv4 } from '../../wire/addr';
import type { TimerId } from '../../sim/scheduler';
import { errnoText, type AppPort, type IcmpMessage } from './port';

export interface TracerouteOptions {
  dst: number;
  hostText: string;
  firstTtl: number;
  maxTtl: number;
  nQueries: number;
  waitNs: number;
  basePort: number;
  /** Whole IPv4 datagram length (FreeBSD default 40: 20 IP + 8 UDP + 12 data). */
  packetLen: number;
  numeric: boolean;
  /** Reverse lookup (the /etc/hosts of the lab) used without -n; null = no name. */
  nameOf?: (addr: number) => string | null;
}

export const TRACEROUTE_DEFAULTS: Readonly<Omit<TracerouteOptions, 'dst' | 'hostText' | 'nameOf'>> = {
  firstTtl: 1,
  maxTtl: 64,
  nQueries: 3,
  waitNs: 5_000_000_000,
  basePort: 33434,
  packetLen: 40,
  numeric: false,
};

/** FreeBSD's annotation for a destination-unreachable code, and whether it ends the trace. */
function unreachNote(code: number, ttl: number, mtu: number): { note: string; gotThere: boolean } {
  switch (code) {
    case 3:
      return { note: ttl <= 1 ? ' !' : '', gotThere: true };
    case 2:
      return { note: ' !P', gotThere: true };
    case 0:
      return { note: ' !N', gotThere: false };
    case 1:
      return { note: ' !H', gotThere: false };
    case 4:
      return { note: ` !F-${mtu}`, gotThere: false };
    case 5:
      return { note: ' !S', gotThere: false };
    case 9:
    case 10:
    case 13:
      return { note: ' !X', gotThere: false };
    default:
      return { note: ` !<${code}>`, gotThere: false };
  }
}

export interface HopProbe {
  from: number | null;
  rttMs: number | null;
  note: string;
}

export interface TracerouteRun {
  /** Ctrl-C: end the current line and exit 130. */
  interrupt(): void;
  /** What each probe of each hop got, for tests and the GUI. */
  readonly hops: HopProbe[][];
}

export function startTraceroute(port: AppPort, opts: TracerouteOptions, out: (text: string) => void, done: (exitCode: number) => void): TracerouteRun {
  const sock = port.udpBind(0, () => undefined);
  if ('errno' in sock) {
    out(`traceroute: bind: ${errnoText(sock.errno)}\n`);
    done(1);
    return { interrupt: () => undefined, hops: [] };
  }
  return new TracerouteClient(port, opts, sock, out, done);
}

/** One traceroute(8) process: one probe outstanding at a time, as FreeBSD sends them. */
class TracerouteClient implements TracerouteRun {
  readonly hops: HopProbe[][] = [];
  private ttl: number;
  private probe = 0;
  private seq = 0;
  private sentNs = 0;
  private timer: TimerId = 0;
  private finished = false;
  private lastAddr: number | null = null;
  private gotThere = false;
  private unreachable = 0;
  private line = '';
  private readonly closeIcmp: () => void;

  constructor(
    private readonly port: AppPort,
    private readonly opts: TracerouteOptions,
    private readonly sock: { port: number; close(): void },
    private readonly out: (text: string) => void,
    private readonly done: (exitCode: number) => void,
  ) {
    this.ttl = opts.firstTtl;
    this.closeIcmp = port.icmpOpen((m) => this.onIcmp(m));
    out(`traceroute to ${opts.hostText} (${formatIpv4(opts.dst)}), ${opts.maxTtl} hops max, ${opts.packetLen} byte packets\n`);
    this.sendProbe();
  }

  interrupt(): void {
    if (this.finished) return;
    if (this.line) this.out(`${this.line}\n`);
    this.finish(130);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.port.sim.cancel(this.timer);
    this.closeIcmp();
    this.sock.close();
    this.done(code);
  }

  private sendProbe(): void {
    if (this.probe === 0) {
      this.line = `${String(this.ttl).padStart(2)} `;
      this.hops.push([]);
    }
    this.seq++;
    this.sentNs = this.port.sim.now();
    const payload = new Uint8Array(Math.max(0, this.opts.packetLen - 28));
    if (payload.length >= 2) {
      payload[0] = this.seq & 0xff;
      payload[1] = this.ttl;
    }
    const dstPort = (this.opts.basePort + this.seq) & 0xffff;
    const r = this.port.udpSend({ dst: this.opts.dst, dstPort, srcPort: this.sock.port, payload, ttl: this.ttl });
    if (!r.ok) {
      // FreeBSD keeps probing after a failed sendto; stopping is kinder and says the same.
      this.out(`${this.line}\ntraceroute: sendto: ${errnoText(r.errno)}\n`);
      return this.finish(1);
    }
    this.timer = this.port.sim.schedule(this.opts.waitNs, () => this.onTimeout());
  }

  private endProbe(): void {
    this.probe++;
    if (this.probe < this.opts.nQueries) return this.sendProbe();
    this.out(this.line + '\n');
    this.line = '';
    const unreachableEnough = this.unreachable > 0 && this.unreachable >= this.opts.nQueries - 1;
    if (this.gotThere || unreachableEnough || this.ttl >= this.opts.maxTtl) return this.finish(0);
    this.ttl++;
    this.probe = 0;
    this.lastAddr = null;
    this.unreachable = 0;
    this.sendProbe();
  }

  private onTimeout(): void {
    if (this.finished) return;
    this.line += ' *';
    this.hops[this.hops.length - 1].push({ from: null, rttMs: null, note: '*' });
    this.endProbe();
  }

  private onIcmp(m: IcmpMessage): void {
    if (this.finished || (m.type !== 11 && m.type !== 3)) return;
    const q = m.quoted;
    if (!q || q.proto !== 17 || q.dst !== this.opts.dst) return;
    // Only the answer to the probe in flight counts (late answers to earlier ones are ignored).
    if (q.srcPort !== this.sock.port || q.dstPort !== ((this.opts.basePort + this.seq) & 0xffff)) return;
    this.port.sim.cancel(this.timer);
    if (this.lastAddr !== m.src) {
      if (this.lastAddr !== null) this.line += '\n   ';
      const ip = formatIpv4(m.src);
      // FreeBSD prints `name (address)`, the address twice when the lookup fails.
      this.line += this.opts.numeric ? ` ${ip}` : ` ${this.opts.nameOf?.(m.src) ?? ip} (${ip})`;
      this.lastAddr = m.src;
    }
    const rttMs = (m.timeNs - this.sentNs) / 1e6;
    this.line += `  ${rttMs.toFixed(3)} ms`;
    let note = '';
    if (m.type === 3) {
      const u = unreachNote(m.code, m.ttl, m.nextHopMtu ?? 0);
      note = u.note;
      if (u.gotThere) this.gotThere = true;
      else this.unreachable++;
      this.line += note;
    }
    this.hops[this.hops.length - 1].push({ from: m.src, rttMs, note: note.trim() });
    this.endProbe();
  }
}
