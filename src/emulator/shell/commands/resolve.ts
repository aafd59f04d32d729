// Name and number parsing shared by the shell's tools: a host is a dotted quad or the
// name of a node in the running world (what IMUNES puts in /etc/hosts). Pure helpers.

import type { World } from '../../engine/world';
import { parseIpv4 } from '../../wire/addr';
import { isIpv6LinkLocal, parseIpv6 } from '../../wire/ipv6-addr';

/** IPv4 address of `text`: dotted quad, or the first address of the node so named. */
export function resolveHost(world: World, text: string): number | null {
  const ip = parseIpv4(text);
  if (ip !== null) return ip;
  const node = world.nodeByName(text);
  if (!node || !node.stack) return null;
  for (const iface of node.stack.ifaces) {
    if (iface.loopback) continue;
    if (iface.addrs.length > 0) return iface.addrs[0].addr;
  }
  return null;
}

/**
 * A TCP destination as the tools take it: an IPv6 literal (16 bytes), a dotted quad, or a
 * node's name: its first IPv4 address, or with `six` (-6) its first global IPv6 address.
 */
export function resolveHost46(world: World, text: string, six: boolean): number | Uint8Array | null {
  const a6 = text.includes(':') ? parseIpv6(text) : null;
  if (a6 !== null) return a6;
  if (!six) return resolveHost(world, text);
  if (parseIpv4(text) !== null) return null;
  const stack = world.nodeByName(text)?.stack;
  if (!stack || stack.inet6 === null) return null;
  for (const iface of stack.ifaces) {
    if (iface.loopback) continue;
    for (const a of stack.inet6.ifs[iface.index]?.addrs ?? []) if (!a.linkLocal && !isIpv6LinkLocal(a.addr)) return a.addr;
  }
  return null;
}

/** A strict decimal integer (no sign, no junk), or null. */
export function parseUint(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** A non-negative decimal number such as `0.5`, or null. */
export function parseDecimal(text: string | undefined): number | null {
  if (text === undefined || !/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text)) return null;
  return Number(text);
}

/** Name of the node that owns `addr` (reverse of resolveHost), or null. */
export function nodeNameOf(world: World, addr: number): string | null {
  for (const node of world.nodes) {
    if (node.stack?.local.has(addr >>> 0)) return node.name;
  }
  return null;
}
