// The state of one OSPFv2 daemon (ospfd) on one stack, in one record (no module state):
// interfaces with their DR/BDR, neighbors with their state machine, the link-state database.
// Shapes only; behaviour is in ospfd.ts (hello, neighbors), ospfd-lsdb.ts (exchange,
// flooding) and ospfd-spf.ts. RFC 2328 §9 (interface), §10 (neighbor), §12 (LSAs).

import type { Rng } from '../../sim/rng';
import type { NetStack } from '../../stack/types';
import type { LsaHeader, RouterLink } from '../../wire/ospf';
import type { OspfConfig, OspfIfaceConf } from './frr-conf';

export type NbrState = 'Down' | 'Init' | '2-Way' | 'ExStart' | 'Exchange' | 'Loading' | 'Full';
export const NBR_ORDER: Readonly<Record<NbrState, number>> = { Down: 0, Init: 1, '2-Way': 2, ExStart: 3, Exchange: 4, Loading: 5, Full: 6 };
export type IfState = 'Down' | 'Waiting' | 'DROther' | 'Backup' | 'DR' | 'Point-To-Point';

export interface Lsa {
  hdr: LsaHeader;
  bytes: Uint8Array;
  /** When it was installed: the age grows from hdr.age by the seconds since. */
  installedNs: number;
  /** The area whose database holds it, AS_SCOPE for AS-external-LSAs (RFC 2328 §12.1: flooding scope). */
  area: number;
  /** A router-LSA's links, parsed once for SPF (the bytes of an installed LSA never change). */
  links?: RouterLink[] | null;
}

/** The `area` of an AS-external-LSA: it belongs to every area's database at once. */
export const AS_SCOPE = -1;

export interface OspfNbr {
  routerId: number;
  addr: number;
  priority: number;
  /** DR and BDR the neighbor's hellos declare. */
  dr: number;
  bdr: number;
  state: NbrState;
  deadNs: number;
  deadGen: number;
  master: boolean;
  ddSeq: number;
  /** LSA headers still to describe (Exchange). */
  summary: LsaHeader[];
  /** LSAs to ask for (key → header). */
  requests: Map<string, LsaHeader>;
  /** LSAs flooded and not yet acknowledged (key → LSA). */
  rxmt: Map<string, Lsa>;
  /** The last DD packet sent (retransmitted by the master, repeated by the slave on a duplicate). */
  lastDd: Uint8Array | null;
  rxmtGen: number;
  rxmtArmed: boolean;
}

export interface OspfIface {
  index: number;
  name: string;
  /** The area the interface belongs to (`network … area A`, `ip ospf area A`). */
  area: number;
  addr: number;
  prefixLen: number;
  cost: number;
  priority: number;
  passive: boolean;
  helloS: number;
  deadS: number;
  /** `ip ospf network point-to-point`: no DR, an adjacency with the one neighbor (§9.3). */
  p2p: boolean;
  /** Its area is a stub area (`area A stub`): Hellos without the E-bit, no AS-external-LSAs (RFC 2328 §3.6). */
  stub: boolean;
  state: IfState;
  dr: number;
  bdr: number;
  /** Neighbors by interface address. */
  nbrs: Map<number, OspfNbr>;
  helloGen: number;
  waitGen: number;
  /** LSAs to flood out of the interface, sent together once the current event is done (FRR's ls_upd_queue), by neighbor key. */
  updQueue: Map<string, Lsa>;
  /** LSAs to acknowledge in one delayed Link State Acknowledgment within a second (§13.5, FRR's v_ls_ack). */
  ackQueue: LsaHeader[];
}

export interface OspfCounters {
  packetsSent: number;
  packetsReceived: number;
  badPackets: number;
  spfRuns: number;
  lsasFlooded: number;
  /** LSAs sent again to a neighbor that had not acknowledged them within RxmtInterval. */
  lsasRetransmitted: number;
}

export interface OspfRoute {
  dest: number;
  prefixLen: number;
  cost: number;
  nextHop: number;
  ifIndex: number;
  /** Intra-area, inter-area (from a summary-LSA) or E2 (AS-external type 2): preferred in that order (§16). */
  kind: 'intra' | 'inter' | 'E2';
  /** The area the route was found in (the backbone for inter-area routes at an ABR). */
  area: number;
}

export interface OspfHop {
  nextHop: number;
  ifIndex: number;
}

/** What SPF found in one area (§16.1): its routers (with their router-LSA's B/E bits) and networks. */
export interface AreaSpf {
  routers: Map<number, { dist: number; hops: OspfHop[]; flags: number }>;
  /** Key dest*64+len; our own attached networks have hops with next hop 0. */
  nets: Map<number, OspfTableEntry>;
}

/** One destination of ospfd's own routing table (§11): its best path. */
export interface OspfTableEntry {
  dest: number;
  prefixLen: number;
  /** The path's cost; for E2, the external metric. */
  cost: number;
  hops: OspfHop[];
  kind: OspfRoute['kind'];
  area: number;
  /** E2 only: the distance to the ASBR (FRR's [cost/type-2 cost] shows both). */
  asbrCost: number;
}

export interface OspfDaemon {
  readonly stack: NetStack;
  cfg: OspfConfig;
  ifCfg: Map<string, OspfIfaceConf>;
  routerId: number;
  readonly rng: Rng;
  /** By ifIndex, in index order. */
  readonly ifaces: Map<number, OspfIface>;
  /** Every area's LSAs and the AS-external-LSAs, key `dbKey(area, type, id, adv)`, in insertion order. */
  readonly lsdb: Map<string, Lsa>;
  /** Attached to the backbone and another area (FRR's default "cisco" ABR type, RFC 3509). */
  abr: boolean;
  /** Our next sequence number per own LSA key. */
  readonly ownSeq: Map<string, number>;
  /** Routes installed by the last SPF, key dest*64+len. */
  routes: Map<number, OspfRoute>;
  /** The last SPF's whole table (`show ip ospf route`), attached networks included, key dest*64+len. */
  table: Map<number, OspfTableEntry>;
  /** The last SPF's result per attached area (an ABR summarizes each into the others, §12.4.3). */
  areaSpf: Map<number, AreaSpf>;
  /** AS boundary routers reached through ASBR-summary-LSAs (inter-area, §16.2), by router id. */
  interAsbrs: Map<number, { cost: number; hops: OspfHop[] }>;
  spfPending: boolean;
  /** When SPF last ran, and FRR's hold-time multiplier (`timers throttle spf`). */
  spfLastNs: number;
  spfHoldMult: number;
  originatePending: boolean;
  readonly counters: OspfCounters;
  unwatch: () => void;
  closeRaw: () => void;
  running: boolean;
}

/** A neighbor's key for an LSA (requests, retransmissions): the neighbor's area is implied. */
export function lsaKey(type: number, id: number, adv: number): string {
  // Five 16-bit code units: built and hashed far faster than decimal text (every received LSA is looked up).
  return String.fromCharCode(type & 0xffff, id >>> 16, id & 0xffff, adv >>> 16, adv & 0xffff);
}

/** The area an LSA of `type` received or originated in `area` is stored under. */
export function scopeOf(type: number, area: number): number {
  return type === 5 ? AS_SCOPE : area;
}

/** The database key: AS-external-LSAs once for the AS, the others once per area. */
export function dbKey(area: number, type: number, id: number, adv: number): string {
  const a = scopeOf(type, area);
  return String.fromCharCode(a >>> 16, a & 0xffff, type & 0xffff, id >>> 16, id & 0xffff, adv >>> 16, adv & 0xffff);
}

export const S = 1_000_000_000;
/** The delayed acknowledgment interval: under RxmtInterval (§13.5); FRR's 1 s. */
export const ACK_DELAY_S = 1;
/** RxmtInterval (RFC 2328 C.3 default 5 s). */
export const RXMT_S = 5;
/** MaxAge (RFC 2328 B): an LSA this old is being flushed. */
export const MAX_AGE_S = 3600;
