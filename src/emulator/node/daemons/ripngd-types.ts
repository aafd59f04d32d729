// ripngd's records: the daemon, its routes and its neighbors. No behaviour here.

import type { RipClockState } from './rip-clock';
import type { Rng } from '../../sim/rng';
import type { TimerId } from '../../sim/scheduler';
import type { NetStack } from '../../stack/types';
import { formatIpv6, ipv6Network, type Ipv6Addr } from '../../wire/ipv6-addr';
import type { RipngConfig } from './frr-conf-ripng';

/** Where a route in ripngd's table comes from (FRR's codes: R(n), C(i), C(r), S(r)). */
export type RipngRouteType = 'ripng' | 'connected' | 'static' | 'ospf6';

export interface RipngRoute {
  prefix: Ipv6Addr;
  prefixLen: number;
  type: RipngRouteType;
  /** A connected prefix of a RIPng interface (C(i)) rather than a redistributed one. */
  ofInterface: boolean;
  /** The neighbor's link-local address; null for our own routes. */
  nextHop: Ipv6Addr | null;
  ifIndex: number;
  metric: number;
  tag: number;
  /** Changed since the last update went out (triggered updates carry only these). */
  changed: boolean;
  inGc: boolean;
  /** Due time of the timeout (learned) or garbage-collection timer; 0 when none runs. */
  timerNs: number;
  timer: TimerId;
}

export interface RipngPeer {
  addr: Ipv6Addr;
  ifIndex: number;
  lastNs: number;
  badPackets: number;
  badRoutes: number;
}

export interface RipngDaemon extends RipClockState {
  stack: NetStack;
  cfg: RipngConfig;
  /** By `prefix/len` text. */
  routes: Map<string, RipngRoute>;
  peers: Map<string, RipngPeer>;
  enabled: Set<number>;
  rng: Rng;
  syncTimer: TimerId;
  counters: { updatesSent: number; triggeredSent: number; responsesReceived: number; requestsReceived: number; badPackets: number; badRoutes: number; routesRefused: number };
  maxRoutes: number;
  unwatch: () => void;
}

/** Routes one ripngd keeps at most (a flood of bogus announcements is refused past it). */
export const RIPNG_MAX_ROUTES = 10_000;

/** A route's key in ripngd's table: the prefix's canonical text, `fc00:1::/64`. */
export function ripngKey(prefix: Ipv6Addr, prefixLen: number): string {
  return `${formatIpv6(ipv6Network(prefix, prefixLen))}/${prefixLen}`;
}
