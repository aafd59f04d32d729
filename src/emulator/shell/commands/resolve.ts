// Name and number parsing shared by the shell's tools: a host is a dotted quad or the
// name of a node in the running world (what IMUNES puts in /etc/hosts). Pure helpers.

import type { World } from '../../engine/world';
import { parseIpv4 } from '../../wire/addr';

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
