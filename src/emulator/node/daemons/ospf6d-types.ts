// The state of one OSPFv3 daemon (ospf6d) on one stack, in one record (no module state):
// interfaces with their DR/BDR and link-scope LSAs, neighbors (identified by router id,
// addressed by link-local address) with their state machine, the area's link-state
// database. Shapes only; behaviour is in ospf6d.ts (hello, neighbors, election),
// ospf6d-lsdb.ts (exchange, flooding, origination) and ospf6d-spf.ts.
// RFC 5340 §4.1.2 (interface), §4.1.3 (neighbor), §4.4 (LSAs), §4.8 (SPF).

import type { Rng } from '../../sim/rng';
import type { NetStack } from '../../stack/types';
import type { Ipv6Addr } from '../../wire/ipv6-addr';
import type { Lsa6Header } from '../../wire/ospf6';
import type { OspfIfaceConf } from './frr-conf';
import type { Ospf6Config } from './frr-conf-ospf6';
import { lsaKey, type IfState, type NbrState, type OspfCounters } from './ospfd-types';

export { NBR_ORDER, RXMT_S, S, type IfState, type NbrState } from './ospfd-types';

export interface Lsa6 {
  hdr: Lsa6Header;
  bytes: Uint8Array;
  /** When it was installed: the age grows from hdr.age by the seconds since. */
  installedNs: number;
}

export interface Ospf6Nbr {
  routerId: number;
  /** The neighbor's link-local address (the source of its packets): our next hop through it. */
  addr: Ipv6Addr;
  /** The Interface ID its hellos carry (what its router-LSA links name). */
  ifId: number;
  priority: number;
  /** DR and BDR (router ids) its hellos declare. */
  dr: number;
  bdr: number;
  state: NbrState;
  /** When the state last changed (vtysh's Duration). */
  sinceNs: number;
  deadNs: number;
  deadGen: number;
  master: boolean;
  ddSeq: number;
  summary: Lsa6Header[];
  requests: Map<string, Lsa6Header>;
  rxmt: Map<string, Lsa6>;
  lastDd: Uint8Array | null;
  /** Whether the last DD sent had the M bit. */
  lastMore: boolean;
  rxmtGen: number;
  rxmtArmed: boolean;
}

export interface Ospf6Iface {
  index: number;
  name: string;
  /** Our Interface ID on this link (the ifindex, as FRR uses it). */
  ifId: number;
  linkLocal: Ipv6Addr;
  cost: number;
  priority: number;
  helloS: number;
  deadS: number;
  p2p: boolean;
  state: IfState;
  /** DR and BDR as router ids (RFC 5340 §4.2.1.1: the Router ID identifies them). */
  dr: number;
  bdr: number;
  /** Neighbors by router id. */
  nbrs: Map<number, Ospf6Nbr>;
  /** Link-scope LSAs (Link-LSAs) of this link, key `type:id:adv`. */
  linkLsdb: Map<string, Lsa6>;
  helloGen: number;
  waitGen: number;
}

export type Ospf6Counters = OspfCounters;

export interface Ospf6Route {
  dest: Ipv6Addr;
  prefixLen: number;
  cost: number;
  gateway: Ipv6Addr;
  ifIndex: number;
  kind: 'intra' | 'E2';
}

export interface Ospf6Daemon {
  readonly stack: NetStack;
  cfg: Ospf6Config;
  ifCfg: Map<string, OspfIfaceConf>;
  routerId: number;
  readonly rng: Rng;
  /** By ifIndex, in index order. */
  readonly ifaces: Map<number, Ospf6Iface>;
  /** Area- and AS-scope LSAs, key `type:id:adv`, in insertion order. */
  readonly lsdb: Map<string, Lsa6>;
  /** Our next sequence number per own LSA key. */
  readonly ownSeq: Map<string, number>;
  /** The Link State ID of each redistributed prefix (`prefix/len`), kept while the daemon runs. */
  readonly extIds: Map<string, number>;
  /** Routes installed by the last SPF, by `prefix/len`. */
  routes: Map<string, Ospf6Route>;
  spfPending: boolean;
  originatePending: boolean;
  pollPending: boolean;
  readonly counters: Ospf6Counters;
  unwatch: () => void;
  closeRaw: () => void;
  running: boolean;
}

/** Key `type:id:adv`, as OSPFv2's (the LS type a 16-bit number here). */
export const lsa6Key = lsaKey;

/** Whether LS type `type` has link-local flooding scope (S2 S1 = 00, RFC 5340 A.4.2.1). */
export function linkScope(type: number): boolean {
  return (type & 0x6000) === 0;
}

/** The LS types ospf6d understands (single area): others are acknowledged and not stored. */
export const KNOWN_TYPES: ReadonlySet<number> = new Set([0x2001, 0x2002, 0x0008, 0x2009, 0x4005]);
