// The shapes of one stack's firewall (FreeBSD ipfw): static rules, address tables, dynamic
// states and the per-packet scratch the matcher fills once. No behaviour here; the record
// hangs off NetStack.fw and is created on the first ipfw/iptables command (idle stacks pay nothing).

/** What a rule does when its body matches (ipfw(8) ACTION). */
export type FwAction =
  | { kind: 'allow' }
  | { kind: 'deny' }
  /**
   * `reject` is `unreach host`; `unreach CODE` any ICMP unreachable code (RFC 792);
   * `reset` is code ICMP_REJECT_RST (0x100) as in FreeBSD's ip_fw.h: a TCP RST, nothing for other protocols.
   */
  | { kind: 'unreach'; code: number }
  | { kind: 'count' }
  | { kind: 'skipto'; to: number }
  | { kind: 'check-state' }
  | { kind: 'pipe'; n: number }
  /** A dummynet queue (flowset) of a pipe, shared with the pipe's other queues by weight (WF2Q+). */
  | { kind: 'queue'; n: number }
  | { kind: 'nat'; n: number };

/** An address operand: any, me (our addresses), a network, or a lookup table. */
export type FwAddr =
  | { kind: 'any' }
  | { kind: 'me' }
  | { kind: 'net'; addr: number; mask: number; len: number }
  | { kind: 'table'; n: number };

export interface FwAddrMatch {
  addr: FwAddr;
  not: boolean;
}

/** Inclusive port ranges, [lo0, hi0, lo1, hi1, …]. */
export type FwPorts = number[];

export const FW_DIR = { ANY: 0, IN: 1, OUT: 2 } as const;
export type FwDir = (typeof FW_DIR)[keyof typeof FW_DIR];

/** iptables filter chains mapped onto the hook points: INPUT = in pass to us, FORWARD = out pass of a forwarded datagram, OUTPUT = out pass of our own. */
export const FW_CHAIN = { NONE: 0, INPUT: 1, FORWARD: 2, OUTPUT: 3 } as const;
export type FwChain = (typeof FW_CHAIN)[keyof typeof FW_CHAIN];

/** Connection-tracking states (Linux nf_conntrack), as bits for --ctstate. */
export const CT_STATE = { INVALID: 1, NEW: 2, RELATED: 4, ESTABLISHED: 8 } as const;

/** A tracked connection (conntrack entry): the initiator's end and whether the other side has answered. */
export interface CtEntry {
  src: number;
  srcPort: number;
  replied: boolean;
  expiresNs: number;
}

export const FW_IF_OP = { VIA: 'via', RECV: 'recv', XMIT: 'xmit' } as const;
export type FwIfOp = (typeof FW_IF_OP)[keyof typeof FW_IF_OP];

export interface FwRule {
  num: number;
  action: FwAction;
  /** IP protocol number, -1 for `ip`/`all` (any). */
  proto: number;
  src: FwAddrMatch;
  srcPorts: FwPorts | null;
  dst: FwAddrMatch;
  dstPorts: FwPorts | null;
  dir: FwDir;
  ifaces: { op: FwIfOp; name: string }[];
  keepState: boolean;
  /** TCP: SYN set and ACK clear (ipfw `setup`). */
  setup: boolean;
  /** TCP: ACK or RST set (ipfw `established`). */
  established: boolean;
  /** Bitmask of ICMP types 0…31 (ipfw `icmptypes`), 0 = no test. */
  icmpTypes: number;
  /** `log`: matched packets are noted (iptables -j LOG too). */
  log: boolean;
  /** iptables chain this rule belongs to (FW_CHAIN): where in the path it applies. */
  chain: FwChain;
  /** iptables `-m conntrack --ctstate` bits (CT_STATE), 0 = no test. */
  ctMask: number;
  packets: number;
  bytes: number;
  /** Virtual time of the last match (ns), -1 never. */
  lastNs: number;
}

/** A dynamic rule (ipfw keep-state / conntrack entry), keyed by the flow in either direction. */
export interface FwState {
  rule: FwRule;
  proto: number;
  /** The flow as first seen (initiator → responder). */
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  expiresNs: number;
  packets: number;
  bytes: number;
  /**
   * TCP (ip_fw_dynamic.c q->state): FIN/SYN/RST seen from the initiator in the low byte,
   * from the responder in the next (<< 8), and ACK_FWD/ACK_REV (0x10000/0x20000) while one
   * side's advancing ACK waits for the other's.
   */
  tcpState: number;
  /** TCP: the highest acknowledgment number seen each way (0 none yet). */
  ackFwd: number;
  ackRev: number;
}

/** Dynamic-rule lifetimes, seconds (sysctl net.inet.ip.fw.dyn_*_lifetime, FreeBSD defaults). */
export interface FwLifetimes {
  udp: number;
  short: number;
  syn: number;
  ack: number;
  fin: number;
  rst: number;
}

/** The packet as the matcher sees it, parsed once per hook run (reused: no allocation). */
export interface FwPacket {
  proto: number;
  src: number;
  dst: number;
  /** -1 when absent (not TCP/UDP, or a non-first fragment). */
  srcPort: number;
  dstPort: number;
  /** ICMP type, -1 when not ICMP or a non-first fragment. */
  icmpType: number;
  /** ICMP echo identifier (the "port" of an ICMP state), -1 when none. */
  icmpId: number;
  /** TCP flags byte, -1 when not TCP. */
  tcpFlags: number;
  /** TCP acknowledgment number (uint32), 0 when not TCP. */
  tcpAck: number;
  len: number;
  dir: FwDir;
  /** Interface received on, -1 for locally originated datagrams. */
  recvIf: number;
  /** Interface to transmit on (out pass only), -1 on the in pass. */
  xmitIf: number;
  /** Conntrack state bit of this packet, 0 until a --ctstate rule asks. */
  ct: number;
}

/** An ipfw lookup table: prefixes by length (int32 masked address → value), longest first. */
export interface FwTable {
  byLen: Map<number, Map<number, number>>;
  lens: number[];
}

import type { FwGroup } from './groups';

export interface Firewall {
  /** Sorted by rule number; equal numbers keep insertion order; rule 65535 last, always present. */
  rules: FwRule[];
  /** net.inet.ip.fw.enable */
  enabled: boolean;
  /** net.inet.ip.fw.one_pass (dummynet re-injection skips the rest of the rules). */
  onePass: boolean;
  /** Address tables (ipfw table N), by number. */
  tables: Map<number, FwTable>;
  states: Map<string, FwState>;
  stateMax: number;
  /** A keep-state or check-state rule exists (else no state lookups at all). */
  stateful: boolean;
  lifetimes: FwLifetimes;
  /** Scratch packet, refilled per hook run. */
  pkt: FwPacket;
  /** Step for automatic rule numbers (net.inet.ip.fw.autoinc_step). */
  autoincStep: number;
  /** The rule that decided the last check (its action is the verdict), null when it passed unruled. */
  hit: FwRule | null;
  /** Hashed runs of similar rules (groups.ts), rebuilt lazily after any change to `rules`; null when stale. */
  groups: (FwGroup | null)[] | null;
  /** iptables POSTROUTING: where an iptables ACCEPT jumps to (Linux accepts, then NATs on the way out), 0 none. */
  postrouting: number;
  /** Index in `rules` of a nat verdict's rule (an iptables nat that changed nothing continues after it). */
  hitIndex: number;
  /** dummynet pipes (ipfw pipe N config), by number. */
  pipes: Map<number, DnPipe>;
  /** dummynet queues (ipfw queue N config pipe P weight W), by number. */
  queues: Map<number, DnQueue>;
  /** A datagram re-injected by dummynet: its next hook run passes it (net.inet.ip.fw.one_pass=1). */
  reinject: Uint8Array | null;
  /** In-kernel NAT instances (ipfw nat N config), by number. */
  nats: Map<number, NatInstance>;
  /** Connection tracking for iptables --ctstate, null until an iptables rule needs it. */
  conntrack: Map<string, CtEntry> | null;
  /** The iptables view of the ruleset (Linux front end), null when never used. */
  ipt: IptTables | null;
}

/** One iptables filter chain: its rules (compiled FwRules, in order) and policy with counters. */
export interface IptChain {
  rules: FwRule[];
  policy: FwRule;
}

export interface IptTables {
  chains: Record<'INPUT' | 'FORWARD' | 'OUTPUT', IptChain>;
  /** -t nat rules as the user gave them (for -L), in POSTROUTING / PREROUTING order. */
  nat: { chain: 'PREROUTING' | 'POSTROUTING'; text: string; packets: number; bytes: number }[];
}

/** One libalias translation: local endpoint ↔ alias endpoint, toward one remote endpoint. */
export interface NatLink {
  proto: number;
  localAddr: number;
  localPort: number;
  aliasAddr: number;
  aliasPort: number;
  /** 0 with port 0 for a partial (redirect) link that accepts any remote. */
  remoteAddr: number;
  remotePort: number;
  expiresNs: number;
  /** Redirects never expire. */
  permanent: boolean;
  /** TCP (libalias TcpMonitorIn/Out): each side's state, NAT_TCP.NOT_CONNECTED / CONNECTED / DISCONNECTED. */
  tcpIn?: number;
  tcpOut?: number;
  /** How long after its last packet the link expires (libalias expire_time), ns. */
  lifetimeNs?: number;
}

/** An ipfw nat instance (libalias): its alias address source, modes, links and redirects. */
export interface NatInstance {
  n: number;
  /** `if IFACE`: the alias address is that interface's primary address (read per packet). */
  ifName: string | null;
  /** `ip ADDR` (uint32), used when ifName is null. */
  ip: number;
  samePorts: boolean;
  /** The interface iptables -t nat bound this instance to (its rules' via), null for ipfw's own. */
  via: string | null;
  denyIn: boolean;
  unregOnly: boolean;
  /** Outgoing lookup: `proto localAddr localPort remoteAddr remotePort`. */
  out: Map<string, NatLink>;
  /** Incoming lookup: `proto aliasAddr aliasPort remoteAddr remotePort` (remote `0 0` for redirects). */
  in: Map<string, NatLink>;
  /** redirect_addr: local ↔ public, all protocols (uint32 keys). */
  addrOut: Map<number, number>;
  addrIn: Map<number, number>;
  /** The config text as given, printed by `ipfw nat show config`. */
  configText: string;
}

/** A dummynet pipe (FreeBSD dummynet(4)): a FIFO queue in front of a fixed-rate transmitter and a delay line. */
export interface DnPipe {
  n: number;
  /** 0 = unlimited. */
  bandwidthBps: number;
  delayNs: number;
  /** Queue bound in packets (`queue N`), or in bytes when `queueBytes` (`queue NKbytes`). */
  queueMax: number;
  queueBytes: boolean;
  /** Packet loss rate in parts per million (`plr 0.01` = 10,000). */
  plrPpm: number;
  /** When the transmitter is free again (virtual ns). */
  busyUntilNs: number;
  /** Transmission-end times and sizes of packets still queued or being sent (FIFO). */
  pendingEndNs: number[];
  pendingBytes: number[];
  totPackets: number;
  totBytes: number;
  drops: number;
  /** The WF2Q+ scheduler its queues share (dn-queue.ts), null until a queue sends through it. */
  wf2q: DnWf2q | null;
}

/** One packet waiting in a dummynet queue, and how to resume it once it has left the pipe. */
export interface DnPkt {
  bytes: number;
  resume: (arg: never) => void;
  arg: unknown;
}

/** A dummynet queue (FreeBSD `ipfw queue N config pipe P weight W queue Q plr P`). */
export interface DnQueue {
  n: number;
  pipe: number;
  /** 1…100 (dummynet's range). */
  weight: number;
  queueMax: number;
  queueBytes: boolean;
  plrPpm: number;
  pkts: DnPkt[];
  qBytes: number;
  /** WF2Q+ virtual start and finish times of the head packet (bytes / weight units). */
  startV: number;
  finishV: number;
  totPackets: number;
  totBytes: number;
  drops: number;
}

/** WF2Q+ (Bennett & Zhang 1996, dummynet's dn_sched_wf2q.c): system virtual time, the backlogged weight sum at the last pick, and whether it is sending. */
export interface DnWf2q {
  virtualV: number;
  weightSum: number;
  busy: boolean;
}

export const FW_DEFAULT_RULE = 65535;
export const FW_STATE_MAX = 16384;
