// Applies a node's IPv6 configuration from the topology document at start: interface
// addresses (IMUNES `ipv6_addrs`, 2.x `ipv6 address`) and static routes (`croutes6`,
// `ipv6 route`). Bad entries become warnings naming the node; nothing throws.
// Addresses are "boot" addresses: optimistic while DAD runs (stack/in6.ts).

import { in6AddAddress, route6Add, type NetStack } from '../stack';
import type { NodeDoc } from '../topology/document';
import { isIpv6Loopback, parseIpv6Cidr, parseIpv6Scoped } from '../wire/ipv6-addr';

export function configureInet6(n: NodeDoc, stack: NetStack, warnings: string[]): void {
  for (const i of n.interfaces) {
    for (const cidr of i.ipv6) {
      const p = parseIpv6Cidr(cidr);
      if (p === null) {
        warnings.push(`node ${n.name}: bad IPv6 address ${cidr} on ${i.name}`);
        continue;
      }
      if (i.type === 'lo' && isIpv6Loopback(p.addr)) continue;
      const r = in6AddAddress(stack, i.name, p.addr, p.prefixLen, { boot: true });
      if (!r.ok) warnings.push(`node ${n.name}: ${i.name} ${cidr}: ${r.message}`);
    }
  }
  for (const route of n.routes6) {
    const d = parseIpv6Cidr(route.dest === 'default' ? '::/0' : route.dest);
    const gw = parseIpv6Scoped(route.gateway);
    if (d === null || gw === null) {
      warnings.push(`node ${n.name}: bad IPv6 route ${route.dest} ${route.gateway}`);
      continue;
    }
    const r = route6Add(stack, { dest: d.addr, prefixLen: d.prefixLen, gateway: gw.addr, iface: gw.zone ?? undefined });
    if (!r.ok) warnings.push(`node ${n.name}: IPv6 route ${route.dest} ${route.gateway}: ${r.message}`);
  }
}
