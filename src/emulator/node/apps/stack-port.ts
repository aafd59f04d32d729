// Binds the AppPort that ping and traceroute use to a real NetStack through the stack
// API (ipSend, icmpOpen, udpBind, udpSend, and their IPv6 UDP twins). Adapter only: no
// protocol logic here.

import type { Scheduler } from '../../sim/scheduler';
import { icmpOpen, ipSend, udp6Bind, udp6Send, udp6Unbind, udpBind, udpSend } from '../../stack';
import type { NetStack } from '../../stack/types';
import type { AppPort } from './port';
import { ownUdp, type Proc } from '../procs';
import { through, type ProcGate } from '../proc-gate';

/**
 * The app port of `stack`. With `holder` (a program of `holder.node`), the UDP sockets it
 * binds are that program's (sockstat lists it) while they stay bound. With `gate`, the
 * program's timers and deliveries pass through it, so it can be stopped (node/proc-gate.ts).
 */
export function stackPort(stack: NetStack, holder: { node: Parameters<typeof ownUdp>[0]; proc: Proc } | null = null, gate: ProcGate | null = null): AppPort {
  return {
    sim: gate?.timers ?? (stack.env.sim as Scheduler),
    icmpOpen: (listener) => icmpOpen(stack, through(gate, listener)),
    ipSend: (req) => ipSend(stack, req),
    udpBind: (port, listener) => {
      const s = udpBind(stack, port, through(gate, listener));
      if (holder !== null && !('errno' in s)) ownUdp(holder.node, 4, s.port, holder.proc);
      return s;
    },
    udpSend: (req) => udpSend(stack, req),
    udp6Bind: (port, listener) => {
      const p = udp6Bind(stack, port, through(gate, listener));
      if (p < 0) return { errno: 'EADDRINUSE' };
      if (holder !== null) ownUdp(holder.node, 6, p, holder.proc);
      return { port: p, close: () => udp6Unbind(stack, p) };
    },
    udp6Send: (req) => udp6Send(stack, req),
  };
}
