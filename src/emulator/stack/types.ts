// The NetStack record (FreeBSD VNET idea, DESIGN decision 1): every piece of mutable
// state one cloned stack owns, and the shapes of its parts. No behaviour lives here and
// nothing here is shared between stacks. Idle stacks stay small: maps are created lazily.

import type { TimerId } from '../sim/scheduler';
import type { Reassembler } from '../wire/fragment';
import type { StackEnv, TxNote } from './env';
import type { Inet6State } from './inet6-types';
import type { Firewall } from './ipfw/types';
import type { Explainer } from './explain';
import type { TcpStack } from './tcp/tcp-types';

export interface IfaceCounters {
  rxPackets: number;
  rxBytes: number;
  txPackets: number;
  txBytes: number;
  /** Frames or datagrams discarded on this interface (any DROP reason). */
  drops: number;
  /** Malformed input and failed sends. */
  errors: number;
  /** Unicast frames for another MAC, discarded by the (emulated) hardware filter, not traced. */
  filtered: number;
}

export interface IfaceAddr {
  addr: number;
  prefixLen: number;
  /** Directed broadcast of the subnet (RFC 919), 0 for /31 and /32. */
  broadcast: number;
  alias: boolean;
}

export interface Iface {
  readonly index: number;
  readonly name: string;
  readonly loopback: boolean;
  mac: number;
  /** MAC split for fast compares on the input path: high 16 bits and low 32 bits. */
  macHi: number;
  macLo: number;
  mtu: number;
  /** Administrative state (ifconfig up/down). */
  up: boolean;
  /** Link state reported by the world (cable / peer). */
  carrier: boolean;
  /** Primary first, then aliases. */
  addrs: IfaceAddr[];
  counters: IfaceCounters;
  /**
   * Neighbor cache of this interface (RFC 826). Keys are the IPv4 address as int32 (`ip | 0`):
   * V8 keeps every int32 a small integer, where uint32 ≥ 2^31 would be boxed per lookup.
   */
  arp: Map<number, ArpEntry>;
  /** IEEE 802.1Q VID of a VLAN sub-interface (FreeBSD vlan(4)), -1 for any other interface. */
  vlanId: number;
  /** ifIndex of a VLAN sub-interface's parent (its frames go out there tagged), -1 otherwise. */
  vlanParent: number;
  /** VLAN sub-interfaces stacked on this interface, null when none. */
  vlans: Iface[] | null;
}

export const ARP_STATE = { INCOMPLETE: 'incomplete', COMPLETE: 'complete', STATIC: 'static', DOWN: 'down' } as const;
export type ArpState = (typeof ARP_STATE)[keyof typeof ARP_STATE];

export interface HeldFrame {
  /** Complete Ethernet frame waiting for its destination MAC (bytes 0..5). */
  frame: Uint8Array;
  /** Interface the datagram came in on when forwarded, -1 when locally originated. */
  inIf: number;
}

export interface ArpEntry {
  /** Back-reference so the entry can be a timer argument without a closure. */
  owner: NetStack;
  ip: number;
  ifIndex: number;
  state: ArpState;
  mac: number;
  macHi: number;
  macLo: number;
  /** COMPLETE: expiry time; DOWN: end of the "host is down" window. */
  expiresNs: number;
  /** Requests sent while INCOMPLETE. */
  asked: number;
  timer: TimerId;
  held: HeldFrame[] | null;
}

/**
 * Where a route came from (zebra's route types). `kernel` is a route added by another
 * program through the routing-table API; rip/ospf/bgp are the routing daemons' routes.
 */
export const ROUTE_KIND = {
  CONNECTED: 'connected',
  LOCAL: 'local',
  STATIC: 'static',
  KERNEL: 'kernel',
  RIP: 'rip',
  OSPF: 'ospf',
  BGP: 'bgp',
} as const;
export type RouteKind = (typeof ROUTE_KIND)[keyof typeof ROUTE_KIND];
/** Origins a daemon may install through the routing-table API (stack/rib.ts). */
export type ProtoRouteKind = typeof ROUTE_KIND.KERNEL | typeof ROUTE_KIND.RIP | typeof ROUTE_KIND.OSPF | typeof ROUTE_KIND.BGP;

export interface Route {
  dest: number;
  prefixLen: number;
  /** Next-hop router, 0 when the destination is on the link (RTF_GATEWAY clear). */
  gateway: number;
  ifIndex: number;
  kind: RouteKind;
  /** Directed broadcast of a connected subnet (not forwarded, RFC 2644), else -1. */
  broadcast: number;
}

export interface RouteTable {
  /** byLen[len] maps a masked destination to its route; undefined when no route has that length. */
  byLen: (Map<number, Route> | undefined)[];
  /** Prefix lengths present, longest first. */
  lens: number[];
  /** Lookup cache dst (int32 key, `dst | 0`) → route (null = no route); cleared on every table change. */
  cache: Map<number, Route | null>;
  /** One-entry cache in front of `cache` (most traffic is a few flows) as an int32 key; 0.5 when empty. */
  lastDst: number;
  lastRoute: Route | null;
  /** Explained lookups (explain.ts) by destination, while explanations are on; cleared with the cache. */
  explained: Map<number, unknown> | null;
}

export interface IcmpQuoted {
  src: number;
  dst: number;
  proto: number;
  id: number;
  ttl: number;
  srcPort?: number;
  dstPort?: number;
  /** ICMP type of a quoted ICMP message (8 for an echo request). */
  icmpType?: number;
  ident?: number;
  seq?: number;
}

/** One ICMP message delivered to local listeners (ping, traceroute). */
export interface IcmpDelivery {
  src: number;
  dst: number;
  ttl: number;
  type: number;
  code: number;
  ident?: number;
  seq?: number;
  /** Next-hop MTU of a fragmentation-needed error (RFC 1191). */
  nextHopMtu?: number;
  /** Bytes after the 8-byte ICMP header (echo data, or the quoted datagram of an error). */
  payload: Uint8Array;
  quoted?: IcmpQuoted;
  timeNs: number;
  ifIndex: number;
}
export type IcmpListener = (m: IcmpDelivery) => void;

export interface UdpDelivery {
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  ttl: number;
  payload: Uint8Array;
  timeNs: number;
  ifIndex: number;
}
export type UdpListener = (d: UdpDelivery) => void;

export interface IcmpRateLimit {
  /** Tokens available (errors that may be sent now), refilled at `perSecond`. */
  tokens: number;
  lastNs: number;
  perSecond: number;
}

export interface NetStack {
  readonly env: StackEnv;
  readonly name: string;
  readonly nodeIndex: number;
  forwarding: boolean;
  readonly ifaces: Iface[];
  readonly loIndex: number;
  readonly routes: RouteTable;
  /** Our unicast addresses → interface index, for the local-delivery test. */
  readonly local: Map<number, number>;
  /** Directed broadcast addresses of our subnets → interface index. */
  readonly broadcasts: Map<number, number>;
  /** Union of `local` (value 1) and `broadcasts` (value 2), int32 keys: one lookup on the input path. */
  readonly ours: Map<number, number>;
  /** 256-bit filter on the low byte of `ours` keys: a clear bit proves "not ours" without a Map lookup. */
  readonly oursFilter: Uint32Array;
  /** Next IPv4 identification value (RFC 791, RFC 6864). */
  ipId: number;
  readonly icmpListeners: IcmpListener[];
  readonly icmpLimit: IcmpRateLimit;
  udp: Map<number, UdpListener> | null;
  nextEphemeral: number;
  /** TCP control blocks and listeners, created on first use (stack/tcp). */
  tcp: TcpStack | null;
  /** Set by TCP around the send of a retransmitted segment: the next IP frame out carries this note into the traffic record. */
  txNote: TxNote | null;
  /** Created on the first fragment addressed to us (idle stacks stay small). */
  reassembly: Reassembler | null;
  /** Pending expiry timer of the reassembler, 0 when none. */
  reassemblyTimer: TimerId;
  /** Protocol statistics for netstat -s. */
  readonly stats: StackStats;
  /**
   * The IPv6 half (netinet6): addresses, neighbor caches, routes; see inet6-types.ts.
   * Null until the stack's first IPv6 configuration (in6.ts `inet6Of`): IPv4-only stacks stay small.
   */
  inet6: Inet6State | null;
  /** The ipfw ruleset, states and tables (stack/ipfw), null until the first ipfw command. */
  fw: Firewall | null;
  /** What programs (daemons) set up on the stack; null until the first one does (idle stacks stay small). */
  programs: StackPrograms | null;
  /** Where decisions are explained (explain.ts) while the world explains; null (the default) costs one check. */
  explain: Explainer | null;
}

export interface StackPrograms {
  /** Told of interface state and address changes (the routing socket's RTM_IFINFO, RTM_NEWADDR). */
  ifWatchers: ((iface: Iface) => void)[];
  /** Told when a program or the user (route(8)) adds or deletes a static or kernel route (RTM_ADD, RTM_DELETE). */
  rtWatchers: (() => void)[];
  /** IPv4 multicast groups joined per ifIndex (IP_ADD_MEMBERSHIP). */
  groups: Map<number, number[]>;
  /** When each route entered the table (its age in Inspect and vtysh); absent = at boot. */
  /** When each daemon-installed route (IPv4 Route or IPv6 Route6) entered its table. */
  installedNs: WeakMap<object, number>;
  /** Raw IP sockets by protocol number (stack/raw.ts), created on first bind. */
  raw?: Map<number, (d: import('./raw').RawDelivery) => void>;
  /** bpf(4) UDP readers by `ifIndex * 65536 + port` (stack/bpf.ts): datagrams to an address not (yet) ours. */
  bpf?: Map<number, UdpListener>;
  /** Raw IPv6 sockets by next header (stack/raw6.ts), created on first bind. */
  raw6?: Map<number, import('./raw6').Raw6Socket>;
}

export interface StackStats {
  ipReceived: number;
  ipDelivered: number;
  ipForwarded: number;
  ipSent: number;
  ipDropped: number;
  ipFragmentsCreated: number;
  ipReassembled: number;
  icmpReceived: number;
  icmpSent: number;
  icmpRateLimited: number;
  /** ICMP messages not sent for want of a route back to the source (FreeBSD icps_noroute). */
  icmpNoRoute: number;
  udpReceived: number;
  udpSent: number;
  arpRequestsSent: number;
  arpRepliesSent: number;
}
