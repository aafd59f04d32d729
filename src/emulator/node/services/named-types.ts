// The state of one running named (BIND 9) on a node: its configuration, loaded zones, root
// hints, cache, socket, recursions in flight and counters. Shapes only; behaviour lives in
// named.ts (queries, zones) and named-resolve.ts (recursion).

import type { NetStack } from '../../stack/types';
import type { DnsRecord } from '../../wire/dns';
import type { DnsCache } from './dns-cache';
import type { Exchange } from './dns-client';
import type { Zone } from './dns-zone';
import type { NamedConfig, ZoneConf } from './named-conf';
import type { NamedTcp } from './named-tcp';
import type { Transfer } from './named-xfer';

/** Recursions in flight at once (BIND's recursive-clients is 1000; labs are small). */
export const RECURSIVE_CLIENTS_MAX = 100;
/** Queries one recursion may send before it gives up with SERVFAIL (BIND: max-recursion-queries). */
export const RECURSION_QUERIES_MAX = 50;
/** Nested lookups of name-server addresses (BIND: max-recursion-depth is 7). */
export const RECURSION_DEPTH_MAX = 7;
/** CNAMEs followed for one answer (BIND stops at 16; 8 is plenty in a lab). */
export const CNAME_HOPS_MAX = 8;
/** Wait for one upstream server before trying the next. */
export const UPSTREAM_TIMEOUT_NS = 1_500_000_000;
/** The whole recursion's limit (BIND: resolver-query-timeout 10 s). */
export const RECURSION_TIMEOUT_NS = 10_000_000_000;

export interface NamedCounters {
  queries: number;
  badQueries: number;
  answered: number;
  nxdomain: number;
  servfail: number;
  refused: number;
  recursions: number;
  upstreamQueries: number;
  dropped: number;
}

export interface NamedServer {
  readonly stack: NetStack;
  readonly confPath: string;
  config: NamedConfig;
  zones: { conf: ZoneConf; zone: Zone }[];
  /** Root hints: the NS records of `.` and their addresses (empty: no hint zone). */
  hints: DnsRecord[];
  readonly cache: DnsCache;
  socket: { port: number; close(): void } | null;
  running: boolean;
  /** TCP 53 (queries and zone transfers out); null when the port was taken. */
  tcp: NamedTcp | null;
  /** Secondary zones being transferred in (or waiting to retry). */
  readonly transfers: Transfer[];
  /** Upstream exchanges in flight, cancelled when named stops. */
  readonly inFlight: Set<Exchange>;
  recursions: number;
  readonly counters: NamedCounters;
}
