// An in-memory port pair for tests and single-process hosts: messages are structured-
// cloned (as a real worker port would) and delivered asynchronously in order, so code that
// works here works across a worker boundary. No Node or DOM imports.

import type { PortLike } from './port';

export function createMemoryPortPair(): [PortLike, PortLike] {
  const a: PortLike = { postMessage: (m) => send(b, m), onmessage: null };
  const b: PortLike = { postMessage: (m) => send(a, m), onmessage: null };
  return [a, b];
}

function send(to: PortLike, message: unknown): void {
  const data = structuredClone(message);
  queueMicrotask(() => to.onmessage?.({ data }));
}
