// The state of one RIP daemon (ripd) on one stack: its routing database, timers and
// counters, in one record (no module state). Shapes only; behaviour is in rip.ts and
// rip-output.ts. RFC 2453 §3.5 (what each route entry holds).

import type { RipClockState } from './rip-clock';
import type { TimerId } from '../../sim/scheduler';
import type { Rng } from '../../sim/rng';
import type { UdpSocket } from '../../stack/udp';
import type { NetStack } from '../../stack/types';
import type { RipConfig, SplitHorizon } from './frr-conf';

/** Where a RIP database entry came from: learned from a neighbor, or one of ours (FRR's R(n), C(i), C(r), S(r)…). */
export type RipRouteType = 'rip' | 'connected' | 'static' | 'kernel' | 'ospf' | 'bgp';

export interface RipRoute {
  dest: number;
  prefixLen: number;
  type: RipRouteType;
  /** True for a connected route of a RIP interface (FRR's C(i)), false when redistributed (C(r)). */
  ofInterface: boolean;
  /** Next-hop router, 0 for our own routes. */
  nextHop: number;
  /** The neighbor that advertised it (RFC 2453 §3.9.2 "the router from which the datagram came"), 0 for ours. */
  from: number;
  ifIndex: number;
  metric: number;
  tag: number;
  /** The route changed since the last update that carried it (RFC 2453 §3.10.1 route change flag). */
  changed: boolean;
  /**
   * The scheduled event of the route's timer, 0 when none. Refreshing a route (every 30 s
   * per route) only moves `timerNs`: the pending event re-arms itself when it fires early,
   * so no event is cancelled (cancelling scans the scheduler's heap).
   */
  timer: TimerId;
  /** When the timer is due (the Time column of `show ip rip`). */
  timerNs: number;
  /** What the timer does when due: `timeout` (180 s, §3.8) or `gc` (120 s). */
  timerKind: 'timeout' | 'gc';
  /** When the pending event fires (≤ timerNs). */
  timerEventNs: number;
  /** Bumped to disown a pending event (instead of cancelling it). */
  timerGen: number;
  /** Deleted (metric 16), waiting for garbage collection (RFC 2453 §3.8). */
  inGc: boolean;
}

export interface RipPeer {
  addr: number;
  lastNs: number;
  badPackets: number;
  badRoutes: number;
}

export interface RipCounters {
  updatesSent: number;
  triggeredSent: number;
  responsesReceived: number;
  requestsReceived: number;
  badPackets: number;
  badRoutes: number;
  /** New destinations refused because the database was full (DESIGN decision 10). */
  routesRefused: number;
}

/** Database bound: far above any lab, low enough that a flood of bogus routes cannot exhaust memory. */
export const RIP_MAX_ROUTES = 10_000;

export interface RipDaemon extends RipClockState {
  readonly stack: NetStack;
  readonly cfg: RipConfig;
  readonly splitHorizon: Map<string, SplitHorizon>;
  /** Key: dest * 64 + prefixLen, in insertion order (deterministic). */
  readonly routes: Map<number, RipRoute>;
  socket: UdpSocket | null;
  readonly rng: Rng;
  /** Pending redistribution after a static route change, 0 when none. */
  syncTimer: TimerId;
  /** ifIndexes of interfaces RIP runs on (a `network` statement covers them). */
  enabled: Set<number>;
  readonly peers: Map<number, RipPeer>;
  readonly counters: RipCounters;
  /** Most routes the database holds (RIP_MAX_ROUTES unless a test lowers it). */
  maxRoutes: number;
  unwatch: () => void;
}

export function ripKey(dest: number, prefixLen: number): number {
  return dest * 64 + prefixLen;
}
