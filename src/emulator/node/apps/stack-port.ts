// Binds the AppPort that ping and traceroute use to a real NetStack through the stack
// API (ipSend, icmpOpen, udpBind, udpSend). Adapter only: no protocol logic here.

import type { Scheduler } from '../../sim/scheduler';
import { icmpOpen, ipSend, udpBind, udpSend } from '../../stack';
import type { NetStack } from '../../stack/types';
import type { AppPort } from './port';

export function stackPort(stack: NetStack): AppPort {
  return {
    sim: stack.env.sim as Scheduler,
    icmpOpen: (listener) => icmpOpen(stack, listener),
    ipSend: (req) => ipSend(stack, req),
    udpBind: (port, listener) => udpBind(stack, port, listener),
    udpSend: (req) => udpSend(stack, req),
  };
}
