// Small helpers for stack scenario tests: echo requests through the public API and
// collectors of ICMP / UDP deliveries. Must not bypass the stack API to fake results.

import { icmpOpen, ipSend, type IcmpDelivery, type NetStack, type SendResult } from '../../src/emulator/stack/index';
import { buildIcmp, icmpEchoRequest } from '../../src/emulator/wire/icmp';
import { IP_PROTO } from '../../src/emulator/wire/ipv4';

export function sendEcho(s: NetStack, dst: number, seq: number, opts: { ttl?: number; size?: number; df?: boolean; ident?: number } = {}): SendResult {
  const data = new Uint8Array(opts.size ?? 56);
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
  const msg = buildIcmp(icmpEchoRequest(opts.ident ?? 0x1234, seq, data));
  return ipSend(s, { dst, proto: IP_PROTO.ICMP, payload: msg, ttl: opts.ttl, dontFragment: opts.df });
}

export function collectIcmp(s: NetStack): IcmpDelivery[] {
  const got: IcmpDelivery[] = [];
  icmpOpen(s, (m) => got.push(m));
  return got;
}
