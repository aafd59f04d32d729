// The IPv6 half of a NetStack record (FreeBSD netinet6 state of one VNET): per-interface
// addresses, neighbor caches and joined groups, the IPv6 routing table, ICMPv6 listeners
// and counters. Shapes only: no behaviour. Idle stacks stay small: maps are created lazily.

import type { TimerId } from '../sim/scheduler';
import type { Ipv6Addr, Ipv6Words } from '../wire/ipv6-addr';
import type { Frag6Packet } from './frag6';
import type { NetStack } from './types';

/** RFC 4862 §5.4 address states (FreeBSD IN6_IFF_TENTATIVE / IN6_IFF_DUPLICATED). */
export const IN6_STATE = { TENTATIVE: 'tentative', PREFERRED: 'preferred', DUPLICATED: 'duplicated' } as const;
export type In6State = (typeof IN6_STATE)[keyof typeof IN6_STATE];

export interface In6Addr {
  /** Back-reference so the address can be a DAD timer argument without a closure. */
  owner: NetStack;
  ifIndex: number;
  addr: Ipv6Addr;
  /** `ipv6Key(addr)`. */
  key: string;
  prefixLen: number;
  state: In6State;
  /** The fe80:: address the stack derived from the MAC (not removed by `ifconfig -alias` of others). */
  linkLocal: boolean;
  /**
   * Usable while still tentative (RFC 4429 optimistic DAD). Set for the addresses a
   * topology gives at start: the emulated boot is over when the user gets a shell, but
   * DAD still runs and still finds duplicates.
   */
  optimistic: boolean;
  /** DAD probes still to send, and the pending DAD timer (0 when none). */
  dadLeft: number;
  dadTimer: TimerId;
}

/** RFC 4861 §7.3.2 neighbor states. */
export const ND_STATE = { INCOMPLETE: 'INCOMPLETE', REACHABLE: 'REACHABLE', STALE: 'STALE', DELAY: 'DELAY', PROBE: 'PROBE' } as const;
export type NdState = (typeof ND_STATE)[keyof typeof ND_STATE];

export interface NdHeld {
  /** Complete Ethernet frame waiting for its destination MAC (bytes 0..5). */
  frame: Uint8Array;
  /** Interface the packet came in on when forwarded, -1 when locally originated. */
  inIf: number;
}

export interface NdEntry {
  owner: NetStack;
  ifIndex: number;
  addr: Ipv6Addr;
  key: string;
  state: NdState;
  mac: number;
  /** `mac` as its high 16 and low 32 bits (written into frames). */
  macHi: number;
  macLo: number;
  isRouter: boolean;
  /**
   * When the current state ends (ndp's Expire column). REACHABLE turns STALE at this time,
   * evaluated lazily on use (FreeBSD runs a timer for it).
   */
  expiresNs: number;
  /** Solicitations sent in INCOMPLETE or PROBE. */
  asked: number;
  timer: TimerId;
  held: NdHeld[] | null;
}

export interface In6Iface {
  /** Link-local first, then the configured addresses in the order given. */
  addrs: In6Addr[];
  /** Neighbor cache of this interface, by `ipv6Key`; created on first use. */
  nd: Map<string, NdEntry> | null;
  /** The entry last used for output (one flow's next hop): found again without a key string. */
  ndLast: NdEntry | null;
  /**
   * Joined multicast groups as `ipv6Key`s, one entry per join (a group joined twice is listed
   * twice): all-nodes, solicited-node, all-routers. An array: a Map costs more for a few keys.
   */
  groups: string[];
  /**
   * FreeBSD ND6_IFF_IFDISABLED: set until the interface gets its first IPv6 address (rc.conf's
   * ipv6_activate_all_interfaces=NO), and again when its link-local failed DAD (RFC 4862 §5.4.5).
   */
  disabled: boolean;
  /** The interface has its link-local address and joined ff02::1 (in6_ifattach ran). */
  attached: boolean;
}

export const ROUTE6_KIND = { CONNECTED: 'connected', LOCAL: 'local', STATIC: 'static', RA: 'ra', RIPNG: 'ripng', OSPF6: 'ospf6' } as const;
export type Route6Kind = (typeof ROUTE6_KIND)[keyof typeof ROUTE6_KIND];

export interface Route6 {
  dest: Ipv6Addr;
  prefixLen: number;
  /** Next-hop router, null when the destination is on the link. */
  gateway: Ipv6Addr | null;
  ifIndex: number;
  kind: Route6Kind;
}

export interface Icmp6Delivery {
  src: Ipv6Addr;
  dst: Ipv6Addr;
  hopLimit: number;
  type: number;
  code: number;
  ident?: number;
  seq?: number;
  /** Packet Too Big MTU or Parameter Problem pointer. */
  word?: number;
  /** Bytes after the 8-byte ICMPv6 header (echo data, or the quoted packet of an error). */
  payload: Uint8Array;
  /** Whole ICMPv6 message length (ping6 prints it as "N bytes from"). */
  length: number;
  timeNs: number;
  ifIndex: number;
}
export type Icmp6Listener = (m: Icmp6Delivery) => void;

export interface Udp6Delivery {
  src: Ipv6Addr;
  dst: Ipv6Addr;
  srcPort: number;
  dstPort: number;
  hopLimit: number;
  payload: Uint8Array;
  timeNs: number;
  ifIndex: number;
}
export type Udp6Listener = (d: Udp6Delivery) => void;

export interface Inet6Stats {
  received: number;
  delivered: number;
  forwarded: number;
  sent: number;
  icmpReceived: number;
  icmpSent: number;
  icmpRateLimited: number;
  nsSent: number;
  naSent: number;
  dadDuplicates: number;
}

/** Slots of the route cache (a power of two): direct-mapped by a hash of destination and zone. */
export const ROUTE6_CACHE_SLOTS = 32;

/**
 * The destinations last looked up and their routes (FreeBSD keeps a route per flow in its
 * route cache): slot k holds the destination as four big-endian 32-bit words at 4k…4k+3,
 * its zone, and its route (null: empty slot; "no route" is never cached). No string or
 * BigInt key is built per packet.
 */
export interface Route6Cache {
  readonly dst: Int32Array;
  readonly zone: Int32Array;
  readonly route: (Route6 | null)[];
}

/**
 * The flow a router forwarded last from one incoming interface (ip6-forward.ts): its
 * destination as four big-endian 32-bit words, the interface it came in on, the one it
 * leaves by and the neighbor entry it went to. The next packet of the flow is forwarded
 * without the local-address check, the route lookup or the neighbor lookup, once its
 * interfaces and neighbor are checked still usable; any change of the routing table (which
 * adding or removing an address also makes) forgets it. One per incoming interface, so the
 * two directions of a connection (data one way, ACKs the other) both keep theirs.
 */
export interface Fwd6Flow extends Ipv6Words {
  inIf: number;
  outIf: number;
  nd: NdEntry;
}

/**
 * The unicast destination this stack last sent to without a given source (ip6-output.ts):
 * its four big-endian words, known not to be one of our addresses, and the source RFC 6724
 * chose for it leaving by `ifIndex`. Forgotten (set to null) whenever an address is added,
 * removed, changes DAD state or an interface's IPv6 is enabled or disabled (in6AddrsChanged).
 */
export interface Src6Cache extends Ipv6Words {
  ifIndex: number;
  src: Ipv6Addr;
}

export interface Inet6State {
  /** net.inet6.ip6.forwarding */
  forwarding: boolean;
  /** net.inet6.ip6.hlim: default hop limit of locally sent packets. */
  hopLimit: number;
  /** By ifIndex, parallel to `NetStack.ifaces`. */
  readonly ifs: In6Iface[];
  /** Longest prefix first (kept sorted on change); lookups go through `cache`. */
  routes: Route6[];
  /** Per-destination lookup cache (route6.ts), created on the first lookup, emptied on every table change. */
  cache: Route6Cache | null;
  /** By incoming ifIndex, the flow forwarded last from it; null until a packet is forwarded and after every table change. */
  flows: (Fwd6Flow | null)[] | null;
  /** The source chosen for the last destination sent to, null until then and after every address change. */
  srcCache: Src6Cache | null;
  /** FreeBSD net.inet6.icmp6.errppslimit as a token bucket in virtual time. */
  readonly icmpLimit: { tokens: number; lastNs: number; perSecond: number };
  readonly listeners: Icmp6Listener[];
  udp: Map<number, Udp6Listener> | null;
  readonly stats: Inet6Stats;
  /** Path MTUs learnt from Packet Too Big, by destination key (RFC 8201); null until the first. */
  pmtu: Map<string, number> | null;
  /** Packets in reassembly (frag6.ts), null when none; and their expiry timer (0 when none). */
  reass: Map<string, Frag6Packet> | null;
  reassTimer: TimerId;
  /** Identification of the last fragmented packet sent. */
  fragId: number;
  /**
   * Router-advertisement state of a host (nd6_rtr.c): interfaces with ACCEPT_RTADV, SLAAC
   * addresses, default routers. Absent (not null) until `ifconfig IF inet6 accept_rtadv`,
   * so a dual-stack stack keeps its size.
   */
  rtr?: Nd6RtrState;
}

/** An address formed by SLAAC (RFC 4862 §5.5.3) with its lifetimes in virtual time. */
export interface Nd6Autoconf {
  ifIndex: number;
  addr: Ipv6Addr;
  key: string;
  validUntilNs: number;
  preferredUntilNs: number;
}

/** A default router learnt from an RA (RFC 4861 §6.3.4), until `untilNs`. */
export interface Nd6DefRouter {
  ifIndex: number;
  addr: Ipv6Addr;
  key: string;
  untilNs: number;
}

export interface Nd6RtrState {
  /** ifIndexes with ND6_IFF_ACCEPT_RTADV. */
  accept: number[];
  /** sysctl net.inet6.ip6.accept_rtadv: interfaces attached from now on get ACCEPT_RTADV. */
  defaultAccept: boolean;
  autoconf: Nd6Autoconf[];
  routers: Nd6DefRouter[];
  /** Next expiry check, 0 when none pending. */
  timer: TimerId;
  /** Router solicitations still to send per pending rtsol run (ifIndex → left), and its timer. */
  rsLeft: Map<number, number>;
  rsTimer: TimerId;
  stats: { raReceived: number; rsSent: number };
  /** LinkMTU learnt from RAs' MTU option per ifIndex (RFC 4861 §6.3.4), used instead of the interface MTU. */
  linkMtu: Map<number, number>;
}
