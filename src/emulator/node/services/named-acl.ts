// BIND address match lists (`allow-query`, `allow-recursion`, `allow-transfer`,
// `listen-on`): the first element that matches decides, `!` negates; any, none, localhost
// and localnets read the node's own addresses. Pure over the stack's interface list.

import { maskOf } from '../../stack/route';
import type { NetStack } from '../../stack/types';
import type { AddressMatch } from './named-conf';

/** Whether `addr` is allowed by `list`; `dflt` when there is no list. */
export function matches(stack: NetStack, list: AddressMatch[] | null, addr: number, dflt: boolean): boolean {
  if (list === null) return dflt;
  for (const m of list) {
    let hit: boolean;
    switch (m.kind) {
      case 'any':
        hit = true;
        break;
      case 'none':
        hit = false;
        break;
      case 'localhost':
        hit = stack.local.has(addr >>> 0) || addr >>> 24 === 127;
        break;
      case 'localnets':
        hit = stack.ifaces.some((i) => i.addrs.some((a) => ((a.addr ^ addr) & maskOf(a.prefixLen)) >>> 0 === 0));
        break;
      case 'prefix':
        hit = ((m.addr ^ addr) & maskOf(m.prefixLen)) >>> 0 === 0;
        break;
      default:
        hit = m satisfies never;
    }
    if (hit) return !m.negated;
  }
  return false;
}
