// A scripted network for app unit tests: echoes ICMP requests and answers UDP probes
// after a fixed delay, with per-probe hooks to drop, duplicate or answer with an error.
// Test-only; builds real ICMP bytes so apps parse what the stack would deliver.

import { Scheduler } from '../../sim/scheduler';
import { parseIcmp } from '../../wire/icmp';
import { parseQuoted } from '../../stack/icmp';
import type { AppPort, IcmpMessage, SendResult } from './port';

export interface FakeReply {
  kind: 'echo' | 'drop' | 'dup' | 'error' | 'errno';
  /** ICMP error type/code and the router that sends it. */
  type?: number;
  code?: number;
  from?: number;
  ttl?: number;
  delayNs?: number;
  errno?: 'ENETUNREACH' | 'EHOSTDOWN' | 'EHOSTUNREACH' | 'ENOBUFS';
}

export interface FakeSent {
  dst: number;
  proto: number;
  ttl: number;
  payload: Uint8Array;
  dstPort?: number;
  srcPort?: number;
  timeNs: number;
}

/** A quoted IPv4 header + 8 bytes for an error about a datagram we "sent". */
export function quote(proto: number, src: number, dst: number, ttl: number, l4: Uint8Array): Uint8Array {
  const q = new Uint8Array(28);
  q[0] = 0x45;
  q[3] = 28 + 56;
  q[8] = ttl;
  q[9] = proto;
  new DataView(q.buffer).setUint32(12, src);
  new DataView(q.buffer).setUint32(16, dst);
  q.set(l4.subarray(0, 8), 20);
  return q;
}

export function fakePort(script: (sent: FakeSent, index: number) => FakeReply, opts: { delayNs?: number; self?: number } = {}) {
  const sim = new Scheduler();
  const listeners: ((m: IcmpMessage) => void)[] = [];
  const udp = new Map<number, unknown>();
  const sent: FakeSent[] = [];
  const self = opts.self ?? 0x0a000014;
  const deliver = (m: Omit<IcmpMessage, 'timeNs'>, delayNs: number): void => {
    sim.schedule(delayNs, () => {
      for (const l of [...listeners]) l({ ...m, timeNs: sim.now() });
    });
  };
  const respond = (s: FakeSent): SendResult => {
    const r = script(s, sent.length - 1);
    const delayNs = r.delayNs ?? opts.delayNs ?? 1_000_000;
    if (r.kind === 'errno') return { ok: false, errno: r.errno ?? 'ENETUNREACH' };
    if (r.kind === 'drop') return { ok: true };
    if (r.kind === 'echo' || r.kind === 'dup') {
      const icmp = parseIcmp(s.payload, 0, s.payload.length)!;
      const m = { src: s.dst, dst: self, ttl: r.ttl ?? 64, type: 0, code: 0, ident: icmp.ident, seq: icmp.seq, payload: icmp.data };
      deliver(m, delayNs);
      if (r.kind === 'dup') deliver(m, delayNs + 1000);
      return { ok: true };
    }
    let l4: Uint8Array;
    if (s.proto === 17) {
      l4 = new Uint8Array(8);
      new DataView(l4.buffer).setUint16(0, s.srcPort ?? 0);
      new DataView(l4.buffer).setUint16(2, s.dstPort ?? 0);
    } else l4 = s.payload;
    const q = quote(s.proto, self, s.dst, 1, l4);
    deliver({ src: r.from ?? s.dst, dst: self, ttl: r.ttl ?? 64, type: r.type ?? 3, code: r.code ?? 1, payload: q, quoted: parseQuoted(q) ?? undefined }, delayNs);
    return { ok: true };
  };
  const port: AppPort = {
    sim,
    icmpOpen(listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    ipSend(req) {
      const s = { dst: req.dst, proto: req.proto, ttl: req.ttl ?? 64, payload: req.payload, timeNs: sim.now() };
      sent.push(s);
      return respond(s);
    },
    udpBind(p, listener) {
      const port = p || 49152 + udp.size;
      udp.set(port, listener);
      return { port, close: () => udp.delete(port) };
    },
    udpSend(req) {
      const s = { dst: req.dst, proto: 17, ttl: req.ttl ?? 64, payload: req.payload, dstPort: req.dstPort, srcPort: req.srcPort, timeNs: sim.now() };
      sent.push(s);
      return respond(s);
    },
  };
  return { port, sim, sent, listeners };
}
