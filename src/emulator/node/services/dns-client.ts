// One DNS query over UDP and its answer: an ephemeral socket, the query sent to port 53,
// the first matching response (same server, port 53, id and question; RFC 5452 §4.1's
// checks), an ICMP port unreachable for it (a connected socket's ECONNREFUSED, as
// res_send and dig see it) or a timeout in virtual time. Shared by the stub resolver, dig/host/nslookup and
// named's recursion. Uses only the node's socket API.

import { through, type ProcGate } from '../proc-gate';
import type { IcmpDelivery, UdpDelivery } from '../../stack/types';
import { icmpOpen } from '../../stack/icmp';
import { udpBind, udpSend } from '../../stack/udp';
import type { NetStack } from '../../stack/types';
import { buildDns, dnsNameKey, parseDns, type DnsMessage } from '../../wire/dns';
import { DNS_PORT } from '../../wire/dns';

export type ExchangeResult =
  | { ok: true; msg: DnsMessage; bytes: number; from: number; rttNs: number }
  | { ok: false; error: 'timeout' | 'refused' | 'send-failed' | 'no-socket'; message?: string };

export interface Exchange {
  cancel(): void;
}

/** A fresh query id from the node's own random substream (RFC 5452 §9.2). */
export function dnsQueryId(stack: NetStack): number {
  return stack.env.rng('dns:id').nextU32() & 0xffff;
}

function sameQuestion(a: DnsMessage, b: DnsMessage): boolean {
  if (a.questions.length !== b.questions.length) return false;
  return a.questions.every((q, i) => dnsNameKey(q.name) === dnsNameKey(b.questions[i].name) && q.type === b.questions[i].type && q.class === b.questions[i].class);
}

/**
 * Sends `query` to `server`:53; `done` is called exactly once (unless cancelled first).
 * `gate`: the asking program's (node/proc-gate.ts): its answer and its timeout wait while it is stopped.
 */
export function dnsExchange(stack: NetStack, server: number, query: DnsMessage, timeoutNs: number, done: (r: ExchangeResult) => void, gate: ProcGate | null = null): Exchange {
  const sim = gate?.timers ?? stack.env.sim;
  const sentNs = sim.now();
  let finished = false;
  let timer = 0;
  const sock = udpBind(stack, 0, through(gate, (d: UdpDelivery) => {
    if (finished || d.src !== server >>> 0 || d.srcPort !== DNS_PORT) return;
    const m = parseDns(d.payload, 0, d.payload.length);
    if (typeof m === 'string' || !m.qr || m.id !== query.id || !sameQuestion(m, query)) return;
    end({ ok: true, msg: m, bytes: d.payload.length, from: d.src, rttNs: sim.now() - sentNs });
  }));
  const unIcmp = icmpOpen(stack, through(gate, (m: IcmpDelivery) => {
    const q = m.quoted;
    // Destination unreachable / port unreachable quoting our datagram (RFC 1122 §4.1.3.3).
    if (m.type === 3 && m.code === 3 && q && !('errno' in sock) && q.dst === server >>> 0 && q.srcPort === sock.port && q.dstPort === DNS_PORT) end({ ok: false, error: 'refused', message: 'ECONNREFUSED' });
  }));
  const end = (r: ExchangeResult): void => {
    if (finished) return;
    finished = true;
    if (timer !== 0) sim.cancel(timer);
    if (!('errno' in sock)) sock.close();
    unIcmp();
    done(r);
  };
  if ('errno' in sock) {
    // Reported after the caller got its handle, as a socket error arrives later too.
    timer = sim.schedule(0, () => end({ ok: false, error: 'no-socket', message: sock.errno }));
    return { cancel: () => { finished = true; unIcmp(); } };
  }
  const r = udpSend(stack, { dst: server, dstPort: DNS_PORT, srcPort: sock.port, payload: buildDns(query) });
  if (!r.ok) {
    const message = r.errno;
    timer = sim.schedule(0, () => end({ ok: false, error: 'send-failed', message }));
  } else timer = sim.schedule(timeoutNs, () => end({ ok: false, error: 'timeout' }));
  return {
    cancel: () => {
      if (finished) return;
      finished = true;
      if (timer !== 0) sim.cancel(timer);
      sock.close();
      unIcmp();
    },
  };
}

/**
 * Queries in turn: attempt k goes where `plan(k)` says (null: no more attempts, `end` is
 * called); `handle` gets each result and returns true when it has what it needs. The
 * retry loop of res_send and of dig/host/nslookup, each with its own plan.
 */
export function exchangeInTurn(
  stack: NetStack,
  plan: (k: number) => { server: number; timeoutNs: number } | null,
  build: () => DnsMessage,
  handle: (server: number, r: ExchangeResult) => boolean,
  end: () => void,
  gate: ProcGate | null = null,
): Exchange {
  let cur: Exchange | null = null;
  let cancelled = false;
  const attempt = (k: number): void => {
    if (cancelled) return;
    const p = plan(k);
    if (p === null) return end();
    cur = dnsExchange(stack, p.server, build(), p.timeoutNs, (r) => {
      if (!cancelled && !handle(p.server, r)) attempt(k + 1);
    }, gate);
  };
  attempt(0);
  return {
    cancel: () => {
      cancelled = true;
      cur?.cancel();
    },
  };
}
