// httpd as a program of its node: started with a PID (ps, kill, killall) and with its
// sockets its own (sockstat), and ended as one. The server itself is httpd.ts; this file
// only ties it to the node's record (node.httpd) and process table.

import type { Scheduler } from '../../sim/scheduler';
import type { NetStack } from '../../stack/types';
import { stackTcpPort } from '../apps/tcp-port';
import type { NodeFiles } from '../files';
import { endProc, newProc, procList, runProc, type NodeProcs } from '../procs';
import { startHttpd, type Httpd } from './httpd';

export interface HttpdNode {
  readonly name: string;
  files?: NodeFiles;
  httpd?: Httpd;
  procs?: NodeProcs;
}

/** Starts the node's web server on port 80 (node.httpd); EAGAIN when the node runs too many programs. */
export function startNodeHttpd(node: HttpdNode, stack: NetStack, sim: Pick<Scheduler, 'schedule' | 'cancel' | 'now'>): Httpd | { errno: 'EADDRINUSE' | 'EINVAL' | 'EAGAIN' } {
  const proc = newProc('httpd', 'httpd', null);
  const h = startHttpd(stackTcpPort(stack, proc), { hostName: node.name, files: () => node.files, sim });
  if ('errno' in h) return h;
  if (!runProc(node, proc, sim.now(), () => stopNodeHttpd(node))) {
    h.stop();
    return { errno: 'EAGAIN' };
  }
  node.httpd = h;
  return h;
}

/** Ends the node's web server, if it runs; false when it did not. */
export function stopNodeHttpd(node: HttpdNode): boolean {
  const h = node.httpd;
  if (h === undefined) return false;
  node.httpd = undefined;
  h.stop();
  endProc(node, procList(node).find((p) => p.name === 'httpd'));
  return true;
}
