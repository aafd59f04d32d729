// The smallest port shape every transport offers (Web Worker `self`, a browser Worker, a
// DOM/Node MessagePort, the in-memory pair): postMessage plus an onmessage handler that
// receives `{ data }`. Types only; no Node or DOM imports so the renderer can use it.

export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** Adapts a Node EventEmitter-style port (worker_threads Worker / parentPort) to PortLike. */
export function emitterPort(emitter: { postMessage(m: unknown): void; on(ev: 'message', fn: (m: unknown) => void): unknown }): PortLike {
  const port: PortLike = {
    postMessage: (m) => emitter.postMessage(m),
    onmessage: null,
  };
  emitter.on('message', (data) => port.onmessage?.({ data }));
  return port;
}
