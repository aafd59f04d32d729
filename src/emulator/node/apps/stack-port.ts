// Binds the AppPort that ping and traceroute use to a real NetStack through the stack
// API (ipSend, icmpOpen, udpBind, udpSend, and their IPv6 UDP twins). Adapter only: no
// protocol logic here.

import type { Scheduler } from '../../sim/scheduler';
import { icmpOpen, ipSend, udp6Bind, udp6Send, udp6Unbind, udpBind, udpSend } from '../../stack';
import type { NetStack } from '../../stack/types';
import type { AppPort } from './port';

export function stackPort(stack: NetStack): AppPort {
  return {
    sim: stack.env.sim as Scheduler,
    icmpOpen: (listener) => icmpOpen(stack, listener),
    ipSend: (req) => ipSend(stack, req),
    udpBind: (port, listener) => udpBind(stack, port, listener),
    udpSend: (req) => udpSend(stack, req),
    udp6Bind: (port, listener) => {
      const p = udp6Bind(stack, port, listener);
      if (p < 0) return { errno: 'EADDRINUSE' };
      return { port: p, close: () => udp6Unbind(stack, p) };
    },
    udp6Send: (req) => udp6Send(stack, req),
  };
}
