// The state of one BGP-4 daemon (bgpd) on one stack, in one record (no module state):
// peers with their finite state machine and TCP connections, Adj-RIBs-In/Out, the
// Loc-RIB. Shapes only; sessions are in bgpd.ts, the decision process in bgpd-rib.ts.
// RFC 4271 §8 (FSM states), §3.2 (RIBs).

import type { Proc } from '../procs';
import type { Rng } from '../../sim/rng';
import type { NetStack } from '../../stack/types';
import type { TcpListenHandle, TcpPort, TcpSocketHandle } from '../apps/tcp-port';
import type { BgpSegment } from '../../wire/bgp';
import type { BgpConfig, NeighborPolicy } from './frr-conf-bgp';
import type { PolicyConfig } from './frr-conf-policy';

export const S = 1_000_000_000;
export type BgpState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';
/** FRR's defaults: connect retry 120 s; OpenSent waits 240 s (RFC 4271 §8.2.2 "large value"). */
export const CONNECT_RETRY_S = 120;
export const OPEN_HOLD_S = 240;
/** Bytes waiting in one session's send queue before it is reset (bounded, DESIGN decision 10). */
export const BGP_TXQ_MAX = 1 << 20;
/** Prefixes one peer may send us before the session is reset (FRR's maximum-prefix idea). */
export const BGP_PREFIXES_MAX = 100_000;

/** One TCP connection toward a peer: two may exist at once until collision resolution (§6.8). */
export interface BgpConn {
  peer: BgpPeer;
  sock: TcpSocketHandle | null;
  outbound: boolean;
  state: 'Connect' | 'OpenSent' | 'OpenConfirm' | 'Established';
  rx: Uint8Array;
  rxLen: number;
  txq: Uint8Array[];
  txqBytes: number;
  remoteId: number;
  /** Both sides advertised 4-octet AS (RFC 6793): AS_PATH carries 4-octet numbers. */
  as4: boolean;
  holdS: number;
  keepaliveS: number;
  holdTimer: number;
  keepaliveTimer: number;
  /** Bumped when the connection ends: stale timer events see a different generation. */
  gen: number;
  localAddr: number;
  localPort: number;
  remotePort: number;
}

export interface BgpCounters {
  opens: number;
  updates: number;
  notifications: number;
  keepalives: number;
  other: number;
}

export interface BgpPeer {
  addr: number;
  remoteAs: number;
  ibgp: boolean;
  weight: number;
  nextHopSelf: boolean;
  /** `neighbor X shutdown`: no connection until `no neighbor X shutdown` (vtysh shows Idle (Admin)). */
  shutdown: boolean;
  /** `neighbor X update-source A.B.C.D|IFNAME`: where the session connects from; null: the route's source. */
  updateSource: string | null;
  /** Configured timers (the router's or `neighbor X timers`): what our OPEN offers. */
  cfgKeepaliveS: number;
  cfgHoldS: number;
  state: BgpState;
  conns: BgpConn[];
  established: BgpConn | null;
  retryTimer: number;
  retryGen: number;
  /** The last connect failed for want of a route: try again as soon as one appears (FRR's nexthop tracking). */
  unreachable: boolean;
  /** Adj-RIB-In as received (before policy, as with FRR's soft-reconfiguration inbound). */
  adjIn: Map<number, BgpPath>;
  /** The same after inbound policy (null: denied), recomputed when the path or the policy changes. */
  accepted: Map<number, { raw: BgpPath; gen: number; path: BgpPath | null }>;
  /** `neighbor X route-map|prefix-list|filter-list NAME in|out`. */
  policy: NeighborPolicy;
  /** What the peer was last sent per prefix: the attribute signature. */
  adjOut: Map<number, string>;
  sent: BgpCounters;
  rcvd: BgpCounters;
  upSinceNs: number;
  lastResetNs: number;
  lastReset: string;
  establishedCount: number;
  droppedCount: number;
  lastReadNs: number;
  lastWriteNs: number;
  remoteId: number;
  holdS: number;
  keepaliveS: number;
  localAddr: number;
  localPort: number;
  remotePort: number;
}

export type BgpPathSource = 'network' | 'connected' | 'static' | 'kernel' | 'rip' | 'ospf' | 'peer';

export interface BgpPath {
  dest: number;
  prefixLen: number;
  /** null: originated here (`network` or `redistribute`). */
  from: BgpPeer | null;
  source: BgpPathSource;
  origin: number;
  asPath: BgpSegment[];
  /** 0 for our own routes (shown as 0.0.0.0). */
  nextHop: number;
  med: number | null;
  localPref: number | null;
  /** RFC 1997 communities, sorted (null: none). */
  communities: number[] | null;
  weight: number;
  /** A local route's own next hop in the table (redistributed routes keep it). */
  receivedNs: number;
}

export interface BgpBest {
  path: BgpPath;
  /** What went into the kernel table (0/-1 for none: local or not resolvable). */
  gateway: number;
  ifIndex: number;
  /** Whether the route is in the node's table (an iBGP route yields to an IGP route of the same prefix). */
  installed: boolean;
  /** The table version when this prefix's best path last changed (FRR counts one per prefix change). */
  version: number;
}

export interface BgpDaemon {
  stack: NetStack;
  cfg: BgpConfig;
  /** Prefix lists, as-path lists and route-maps (the node's, shared with the other daemons in FRR). */
  policy: PolicyConfig;
  /** Bumped when the configuration changes: inbound policy is applied again (FRR's route-map update). */
  policyGen: number;
  /** `show route-map`'s Invoked counts, by map name and by `NAME#SEQ`. */
  rmInvoked: Map<string, number>;
  tcp: TcpPort;
  /** bgpd as a program of its node (its sockets are its own); it gets its PID from syncDaemonProcs. */
  readonly proc: Proc;
  routerId: number;
  listener: TcpListenHandle | null;
  peers: Map<number, BgpPeer>;
  /** Our own paths (`network`, `redistribute`) by prefix key. */
  local: Map<number, BgpPath>;
  /** Loc-RIB: the best path per prefix key, with what was installed for it. */
  best: Map<number, BgpBest>;
  tableVersion: number;
  decisionTimer: number;
  rng: Rng;
  running: boolean;
  unwatch: () => void;
}

/** One number per prefix (dest * 64 + length), as ospfd keys its routes. */
export function prefixKey(dest: number, prefixLen: number): number {
  return (dest >>> 0) * 64 + prefixLen;
}

export function newCounters(): BgpCounters {
  return { opens: 0, updates: 0, notifications: 0, keepalives: 0, other: 0 };
}

export function countersTotal(c: BgpCounters): number {
  return c.opens + c.updates + c.notifications + c.keepalives + c.other;
}
