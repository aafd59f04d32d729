// What a cloned stack needs from the world around it, injected (gVisor style): the
// scheduler, named random streams, a way to put a frame on an interface's link, and the
// traffic record. The stack owns no globals and never reaches past this interface.

import type { FrameAlloc } from './frame-alloc';
import type { Scheduler } from '../sim/scheduler';
import type { Rng } from '../sim/rng';

/** Why a frame or datagram was discarded (DESIGN decision 4). Stable strings shown to users. */
export const DROP = {
  NO_ROUTE: 'no-route',
  TTL_EXCEEDED: 'ttl-exceeded',
  ARP_TIMEOUT: 'arp-timeout',
  /** IPv6 neighbor discovery gave up (RFC 4861 §7.2.2). */
  ND_TIMEOUT: 'nd-timeout',
  ARP_QUEUE_FULL: 'arp-queue-full',
  QUEUE_FULL: 'queue-full',
  LINK_LOSS: 'link-loss',
  LINK_BER: 'link-ber',
  LINK_DOWN: 'link-down',
  IFACE_DOWN: 'iface-down',
  MALFORMED: 'malformed',
  BAD_CHECKSUM: 'bad-checksum',
  NOT_FOR_US: 'not-for-us',
  NOT_FORWARDING: 'not-forwarding',
  NO_LISTENER: 'port-unreachable',
  PROTO_UNREACHABLE: 'proto-unreachable',
  FRAG_NEEDED: 'frag-needed',
  REASSEMBLY_TIMEOUT: 'reassembly-timeout',
  UNSUPPORTED: 'unsupported',
  FIREWALL: 'firewall',
  /** A switch port muted by ng_bridge loop detection (a MAC moved between ports too fast). */
  LOOP_DETECTED: 'loop-detected',
  /** A frame received on a spanning-tree port that is discarding or only learning (802.1D §8.4). */
  STP_DISCARDING: 'stp-discarding',
  /** A filter node (IMUNES ng_patmat) dropped the frame: a drop rule, or no rule took it. */
  FILTER: 'filter-drop',
  /** Random loss in a dummynet pipe (ipfw pipe N config plr P). */
  PIPE_LOSS: 'pipe-loss',
  /** TCP (stack/tcp): a SYN beyond a listener's backlog, a segment outside the window, one not acceptable in its state. */
  TCP_LISTEN_OVERFLOW: 'listen-queue-full',
  TCP_OUT_OF_WINDOW: 'tcp-out-of-window',
  TCP_INVALID: 'tcp-invalid',
} as const;
export type DropReason = (typeof DROP)[keyof typeof DROP];

/**
 * What became of a datagram that reached this node and was answered instead of handed to
 * an application, when that is what its sender expects (not a drop). Stable strings
 * shown to users.
 */
export const ANSWERED = {
  /** A traceroute probe (UDP to a closed port in traceroute's range) met its port unreachable. */
  TRACEROUTE_PROBE: 'port unreachable (as traceroute expects)',
} as const;
export type AnswerNote = (typeof ANSWERED)[keyof typeof ANSWERED];

/**
 * Why a node sent a frame again (a TCP retransmission and what triggered it), carried on
 * the frame's tx record so the app can say it. Stable strings shown to users.
 */
export const TX_NOTE = {
  /** Fast retransmit (RFC 5681 §3.2). */
  REXMT_DUPACK: 'retransmitted: 3 duplicate ACKs',
  /** NewReno recovery after a partial ACK (RFC 6582 §3.2 step 5). */
  REXMT_PARTIAL_ACK: 'retransmitted: partial ACK in fast recovery',
  /** Retransmission timer (RFC 6298 §5.4). */
  REXMT_RTO: 'retransmitted: RTO expired',
  /** SACK loss recovery fills a hole (RFC 6675 §5). */
  REXMT_SACK: 'retransmitted: SACK recovery',
} as const;
export type TxNote = (typeof TX_NOTE)[keyof typeof TX_NOTE];

/**
 * The traffic record the stack writes to. Implementations must be cheap when called on
 * every packet (record compactly, summarize lazily). Frames passed here are never
 * mutated afterwards, but for the REWRITABLE bytes a forwarding router may rewrite in
 * place (frame-alloc.ts): a recorder keeping the reference keeps those bytes aside.
 */
export interface TraceSink {
  /** A datagram routed from interface `inIf` to `outIf`; `frame` is the frame sent on `outIf`. */
  forwarded(nodeIndex: number, inIf: number, outIf: number, frame: Uint8Array): void;
  /** A frame (or the datagram inside it, starting at `offset`) discarded by the node; `rule`: the ipfw rule of a `firewall` drop. */
  dropped(nodeIndex: number, ifIndex: number, frame: Uint8Array, reason: DropReason, rule?: number): void;
  /** A datagram delivered to the node on `ifIndex` and answered as its sender expects (see ANSWERED). */
  answered(nodeIndex: number, ifIndex: number, frame: Uint8Array, note: AnswerNote): void;
  /** `frame`, about to be transmitted, is sent again for the reason `note` (called only for such frames). */
  transmitNote?(nodeIndex: number, frame: Uint8Array, note: TxNote): void;
}

export interface StackEnv {
  readonly sim: Scheduler;
  /** Named substream of the world seed, e.g. `node:pc1:ipid`. */
  rng(name: string): Rng;
  /**
   * Put a complete Ethernet frame on the link of interface `ifIndex` (the world records
   * the `tx` event and counts link drops). Ownership passes: the caller never mutates
   * `frame` again.
   */
  transmit(ifIndex: number, frame: Uint8Array): void;
  readonly trace: TraceSink;
  /** Where hot paths get frame memory (one per world; frame-alloc.ts). */
  readonly frames: FrameAlloc;
  /**
   * Asks to forward `frame` by rewriting its REWRITABLE bytes in place (frame-alloc.ts)
   * instead of forwarding a copy. Granted (true) when it is held by nothing but this stack
   * and the traffic record: it came off a link as the frame being handled now, that link
   * did not also deliver it elsewhere (no flooding bridge, no duplicate), and nothing is
   * explaining. Once granted the stack must rewrite it, and the world records it from then
   * on as it would the copy (a new frame). Absent: never (always copy).
   */
  claimForRewrite?(frame: Uint8Array): boolean;
  /**
   * A routing event worth the Events list, as FRR logs it (`bgpd: %ADJCHANGE: neighbor
   * 10.0.12.2 Up`, `zebra: route 10.0.8.0/24 via 10.0.5.2 added (rip)`). Absent: not reported.
   * The text is built only when it will be kept (a batch run with nobody reading costs nothing).
   */
  log?(message: () => string): void;
}
