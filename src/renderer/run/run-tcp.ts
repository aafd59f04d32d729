// Run mode's TCP connection panel actions: which node the TCP tab shows, and the three
// engine requests it polls (connections, watch on/off, samples). A refusal comes back as a
// value the panel shows in place; it is not logged (a poll that races a closing
// connection is not an event worth the log).
import type { EngineResults } from '../../emulator/engine/protocol';
import type { Result, RunSession } from './run-session';
import type { RunCtx } from './run-state';

export interface TcpActions {
  /** Shows the TCP tab for a node. */
  openTcp(nodeId: string): void;
  tcpConnections(nodeId: string): Promise<Result<EngineResults['tcp/connections']>>;
  tcpWatch(nodeId: string, conn: string, on: boolean): Promise<Result<null>>;
  tcpSamples(nodeId: string, conn: string, since: number): Promise<Result<EngineResults['tcp/samples']>>;
}

export function tcpActions(ctx: RunCtx): TcpActions {
  const quiet = <T>(fn: (c: RunSession['client']) => Promise<T>): Promise<Result<T>> => {
    const s = ctx.live();
    if (!s) return Promise.resolve({ ok: false, error: 'the network is not running' });
    return s.request(fn);
  };
  return {
    openTcp(nodeId) {
      ctx.set({ tcpNodeId: nodeId, activeTab: 'tcp' });
    },
    tcpConnections: (node) => quiet((c) => c.request({ type: 'tcp/connections', node })),
    tcpWatch: (node, conn, on) => quiet((c) => c.request({ type: 'tcp/watch', node, conn, on })),
    tcpSamples: (node, conn, since) => quiet((c) => c.request({ type: 'tcp/samples', node, conn, since })),
  };
}
