// State that programs on a stack create through its APIs (interface watchers, multicast
// memberships) and route install times, in one record made on first use so an idle stack
// pays a single null field for all of it. No behaviour beyond creating the record.

import type { NetStack, Route, StackPrograms } from './types';

export function stackPrograms(stack: NetStack): StackPrograms {
  return (stack.programs ??= { ifWatchers: [], rtWatchers: [], groups: new Map(), installedNs: new WeakMap() });
}

/** Records when `r` entered the table; routes made at time 0 (boot) are not recorded. */
export function noteInstalled(stack: NetStack, r: Route | object): void {
  const now = stack.env.sim.now();
  if (now > 0 || stack.programs !== null) stackPrograms(stack).installedNs.set(r, now);
}

/** Tells route watchers that route(8) changed the table. */
export function notifyRouteChange(stack: NetStack): void {
  if (stack.programs !== null) for (const w of stack.programs.rtWatchers.slice()) w();
}

/** Be told of static route changes (RTM_ADD / RTM_DELETE on a routing socket); returns the unsubscribe. */
export function routeWatch(stack: NetStack, watcher: () => void): () => void {
  const list = stackPrograms(stack).rtWatchers;
  list.push(watcher);
  return () => {
    const k = list.indexOf(watcher);
    if (k >= 0) list.splice(k, 1);
  };
}

/** When `r` entered the table (0 for routes made when the node booted). */
export function installedNs(stack: NetStack, r: Route | object): number {
  return stack.programs?.installedNs.get(r) ?? 0;
}
