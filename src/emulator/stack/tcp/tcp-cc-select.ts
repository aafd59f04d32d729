// Choosing a node's congestion-control algorithm (sysctl net.inet.tcp.cc.algorithm): the
// names offered and the per-stack setting new connections pick up, with the other per-node
// settings new connections take (SACK, the initial receive buffer). No algorithm logic.

import type { NetStack } from '../types';
import { CC_ALGORITHMS, ccFind } from './tcp-cc';
import { cubic } from './tcp-cc-cubic';
import { tcpStackOf } from './tcp-subr';
import { TCP_AUTOBUF_MAX } from './tcp-types';

export const TCP_CC_NAMES: readonly string[] = CC_ALGORITHMS.map((a) => a.name);

export function tcpCcAlgorithm(stack: NetStack): string {
  return stack.tcp?.ccAlgorithm ?? cubic.name;
}

/** sysctl net.inet.tcp.sack.enable (new connections only). */
export function tcpSackEnabled(stack: NetStack): boolean {
  return stack.tcp?.sackEnabled ?? true;
}
export function tcpSetSackEnabled(stack: NetStack, on: boolean): void {
  tcpStackOf(stack).sackEnabled = on;
}

/** False when no such algorithm exists (FreeBSD: ENOENT). */
export function tcpSetCcAlgorithm(stack: NetStack, name: string): boolean {
  if (ccFind(name) === undefined) return false;
  tcpStackOf(stack).ccAlgorithm = name;
  return true;
}

/** sysctl net.inet.tcp.recvspace (new connections only). */
export function tcpRecvSpace(stack: NetStack): number {
  return tcpStackOf(stack).recvSpace;
}
/** False when `bytes` is not a buffer size a socket could reserve (1 … the 2 MB buffer limit; FreeBSD: EINVAL / ENOBUFS). */
export function tcpSetRecvSpace(stack: NetStack, bytes: number): boolean {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > TCP_AUTOBUF_MAX) return false;
  tcpStackOf(stack).recvSpace = bytes;
  return true;
}
