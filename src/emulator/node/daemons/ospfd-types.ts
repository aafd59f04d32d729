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
  /** A router-LSA's links, parsed once for SPF (the bytes of an installed LSA never change). */
  links?: RouterLink[] | null;
}

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
  addr: number;
  prefixLen: number;
  cost: number;
  priority: number;
  passive: boolean;
  helloS: number;
  deadS: number;
  /** `ip ospf network point-to-point`: no DR, an adjacency with the one neighbor (§9.3). */
  p2p: boolean;
  state: IfState;
  dr: number;
  bdr: number;
  /** Neighbors by interface address. */
  nbrs: Map<number, OspfNbr>;
  helloGen: number;
  waitGen: number;
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
  /** 'intra' or 'E2' (AS-external type 2). */
  kind: 'intra' | 'E2';
}

export interface OspfDaemon {
  readonly stack: NetStack;
  cfg: OspfConfig;
  ifCfg: Map<string, OspfIfaceConf>;
  routerId: number;
  readonly rng: Rng;
  /** By ifIndex, in index order. */
  readonly ifaces: Map<number, OspfIface>;
  /** Key `type:id:adv`, in insertion order. */
  readonly lsdb: Map<string, Lsa>;
  /** Our next sequence number per own LSA key. */
  readonly ownSeq: Map<string, number>;
  /** Routes installed by the last SPF, key dest*64+len. */
  routes: Map<number, OspfRoute>;
  spfPending: boolean;
  originatePending: boolean;
  readonly counters: OspfCounters;
  unwatch: () => void;
  closeRaw: () => void;
  running: boolean;
}

export function lsaKey(type: number, id: number, adv: number): string {
  return `${type}:${id >>> 0}:${adv >>> 0}`;
}

export const S = 1_000_000_000;
/** RxmtInterval (RFC 2328 C.3 default 5 s). */
export const RXMT_S = 5;
/** MaxAge (RFC 2328 B): an LSA this old is being flushed. */
export const MAX_AGE_S = 3600;
