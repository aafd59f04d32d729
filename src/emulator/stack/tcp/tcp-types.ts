// Shapes of TCP state inside one NetStack: the per-stack table (connections, listeners,
// statistics) and the control block of one connection (FreeBSD's tcpcb). No behaviour
// here. RFC 9293 §3.3.1 (TCB variables), §3.3.2 (states); FreeBSD tcp_var.h, tcp_timer.h.

import type { TxNote } from '../env';
import type { Rng } from '../../sim/rng';
import type { Errno } from '../errno';
import type { NetStack } from '../types';
import type { TcpProbe } from './tcp-probe';

export const TCP_STATE = {
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RCVD',
  ESTABLISHED: 'ESTABLISHED',
  CLOSE_WAIT: 'CLOSE_WAIT',
  FIN_WAIT_1: 'FIN_WAIT_1',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  FIN_WAIT_2: 'FIN_WAIT_2',
  TIME_WAIT: 'TIME_WAIT',
} as const;
export type TcpState = (typeof TCP_STATE)[keyof typeof TCP_STATE];

const MS = 1_000_000;

/** FreeBSD's timer constants (sys/netinet/tcp_timer.h, tcp_var.h), in virtual nanoseconds. */
export const TCPTV = {
  /** TCPTV_MIN = hz/33: the minimum RTO (net.inet.tcp.rexmit_min). */
  MIN_NS: 30 * MS,
  /** TCPTV_CPU_VAR = hz/5: slop added to every computed RTO (net.inet.tcp.rexmit_slop). */
  SLOP_NS: 200 * MS,
  /** TCPTV_RTOBASE: RTO before any RTT sample (RFC 6298 §2.1). */
  RTOBASE_NS: 1000 * MS,
  REXMTMAX_NS: 64_000 * MS,
  /** TCPTV_DELACK = hz/25 (net.inet.tcp.delacktime). */
  DELACK_NS: 40 * MS,
  /** TCPTV_MSL (net.inet.tcp.msl); TIME_WAIT lasts 2×MSL. */
  MSL_NS: 30_000 * MS,
  PERSMIN_NS: 5000 * MS,
  PERSMAX_NS: 60_000 * MS,
  /** TCPTV_KEEP_INIT: a connection not established by then is dropped (ETIMEDOUT). */
  KEEP_INIT_NS: 75_000 * MS,
} as const;

/** TCP_MAXRXTSHIFT and FreeBSD's tcp_backoff[] multipliers. */
export const TCP_MAXRXTSHIFT = 12;
export const TCP_BACKOFF = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512, 512] as const;

/** tcp_mssdflt: MSS assumed when the peer sends no MSS option (RFC 9293 §3.7.1). */
export const TCP_MSS_DEFAULT = 536;
/** net.inet.tcp.sendspace / recvspace defaults. */
export const TCP_SENDSPACE = 32768;
export const TCP_RECVSPACE = 65536;
/** net.inet.tcp.sendbuf_max / recvbuf_max: the ceiling of buffer autosizing. */
export const TCP_AUTOBUF_MAX = 2 * 1024 * 1024;
/** Window shift FreeBSD requests: the smallest with 65535 << shift ≥ kern.ipc.maxsockbuf (2 MB). */
export const TCP_WSCALE_REQUEST = 6;
export const TCP_MAX_WINSHIFT = 14;
/** tcp_initcwnd_segments (RFC 6928). */
export const TCP_INITCWND_SEGMENTS = 10;
/** somaxconn default: the largest backlog listen() accepts. */
export const TCP_SOMAXCONN = 128;

/** What an app hears about its connection; every callback is optional. */
export interface TcpHandlers {
  connected?(): void;
  /** New data to tcpRecv, or the peer's FIN (tcpRecv then returns null). */
  readable?(): void;
  /** Send-buffer space freed. */
  writable?(): void;
  /** The connection is gone: null after an orderly close, else why. */
  closed?(errno: Errno | null): void;
}

/** Congestion-control state the algorithm module owns (cwnd and ssthresh live in the TCB). */
export interface TcpCcVars {
  /** Bytes acknowledged in congestion avoidance since the last cwnd increase (RFC 5681 §3.1 byte counting). */
  bytesAcked: number;
  /**
   * CUBIC as FreeBSD 14's cc_cubic keeps it: W_max (bytes; after fast convergence, and 0.7 of
   * the window at the first congestion event), K (ns), the epoch start (virtual ns, −1 none),
   * CUBIC_FLAG bits, and the RTT the curve uses: the smallest smoothed RTT seen and the mean
   * over the last congestion epoch (sum and count of samples since it began).
   */
  wMaxBytes: number;
  kNs: number;
  epochStartNs: number;
  flags: number;
  minRttNs: number;
  meanRttNs: number;
  sumRttNs: number;
  rttCount: number;
  /** W_max, K and the epoch before the first timeout of a series, put back if it proves spurious. */
  undoWMaxBytes: number;
  undoKNs: number;
  undoEpochStartNs: number;
}

export interface TcpListener {
  readonly stack: NetStack;
  readonly port: number;
  backlog: number;
  /** Embryonic connections (SYN_RECEIVED) owned by this listener. */
  synCount: number;
  /** Established connections waiting for tcpAccept. */
  readonly queue: TcpConn[];
  onAcceptable: (() => void) | null;
  owner: SocketOwner | null;
}

/** One out-of-order run of bytes held for reassembly (RFC 9293 §3.10.7.4, "segment text"). */
export interface TcpReassSeg {
  seq: number;
  data: Uint8Array;
}

/**
 * The program holding a socket open and the descriptor it holds it by (sockstat's USER,
 * COMMAND, PID and FD columns). The stack only keeps it for listing: nothing it does depends
 * on it. The program's PID may be 0 while it starts.
 */
export interface SocketOwner {
  readonly proc: { readonly pid: number; readonly name: string };
  readonly fd: number;
}

/** The control block of one connection (tcpcb). Sequence numbers are uint32. */
export interface TcpConn {
  readonly stack: NetStack;
  state: TcpState;
  readonly key: string;
  /** IPv4 endpoints (0 on an IPv6 connection). */
  localAddr: number;
  localPort: number;
  remoteAddr: number;
  remotePort: number;
  /** IPv6 endpoints of an IPv6 connection (RFC 8200 §8.1 pseudo-header), null on IPv4. */
  local6: Uint8Array | null;
  remote6: Uint8Array | null;
  listener: TcpListener | null;
  handlers: TcpHandlers;
  /** Who holds it open; null once closed (close(2): the pcb lingers with no descriptor) or before accept. */
  owner: SocketOwner | null;
  /** Why the connection failed, reported once to `closed`. */
  error: Errno | null;
  /** tcp_notify's t_softerror: the last ICMP net/host unreachable, reported if the connection then times out. */
  softError: Errno | null;

  // Send sequence space (RFC 9293 §3.3.1).
  iss: number;
  sndUna: number;
  sndNxt: number;
  /** Highest sequence sent (FreeBSD snd_max). */
  sndMax: number;
  sndWnd: number;
  sndWl1: number;
  sndWl2: number;
  /** Shift applied to the peer's window field (0 without window scaling). */
  sndScale: number;
  /** Effective send MSS: data bytes per full segment (less the timestamp option when used, as t_maxseg). */
  maxSeg: number;
  /** The MSS we advertise in our SYN (interface MTU − 40). */
  readonly ourMss: number;
  /** Start of the last out-of-order segment received: its SACK block goes first (RFC 2018 §4). */
  lastOooSeq: number;
  /** Send buffer: a ring of `sndBuf.length` bytes; the byte with sequence `sndBufSeq` is at `sndBufHead`. */
  sndBuf: Uint8Array;
  sndBufHead: number;
  sndBufLen: number;
  sndBufSeq: number;
  /** The app will send nothing more: a FIN follows the buffered data. */
  finQueued: boolean;

  // Receive sequence space.
  irs: number;
  rcvNxt: number;
  /** Right edge of the window last advertised (never shrunk, RFC 9293 §3.8.6.2.2). */
  rcvAdv: number;
  rcvScale: number;
  /** Readable bytes: a ring like the send buffer, allocated on first data. */
  rcvBuf: Uint8Array | null;
  rcvBufHead: number;
  rcvBufLen: number;
  /** Receive buffer size: grows with the bandwidth-delay product (tcp-autosize.ts). */
  rcvBufMax: number;
  /** Autosizing measurement: start of the current half-RTT interval (−1 none yet) and bytes received in it. */
  rcvAutoStartNs: number;
  rcvAutoBytes: number;
  /** The peer's FIN arrived: after the buffered bytes, reads return end of file. */
  rcvFin: boolean;
  /** The app closed: arriving data is answered with RST. */
  appClosed: boolean;
  reass: TcpReassSeg[];
  lastAckSent: number;

  // Options negotiated on the handshake.
  tsOn: boolean;
  tsRecent: number;
  /** Per-connection offset of our timestamp clock (RFC 7323 §5.4). */
  tsOffset: number;
  sackOn: boolean;
  wsOn: boolean;
  /** The peer's SYN carried these (used when we answer with SYN-ACK). */
  peerMss: number;

  // RTT estimation (RFC 6298), nanoseconds; srtt 0 = no sample yet.
  srttNs: number;
  rttvarNs: number;
  /** RTT samples taken (t_rttupdated). */
  rttUpdated: number;
  rtoNs: number;
  rxtShift: number;
  /** Sequence being timed and when it was sent (rtStartNs −1 when none; Karn's algorithm). */
  rtSeq: number;
  rtStartNs: number;

  // Congestion control (RFC 5681, RFC 6582).
  cwnd: number;
  /** Data segments this connection retransmitted (tcp_info tcpi_snd_rexmitpack; iperf3's Retr). */
  rexmitPack: number;
  /** What made the latest retransmissions happen; a segment below snd_max goes out with it in the traffic record. */
  rexmtCause: TxNote;
  ssthresh: number;
  dupAcks: number;
  inRecovery: boolean;
  recover: number;
  /**
   * The state before the first retransmission timeout of a series (snd_cwnd_prev,
   * snd_ssthresh_prev, snd_recover_prev, TF_WASFRECOVERY), valid while `prevValid`
   * (TF_PREVVALID), and `badRxtWin` (t_badrxtwin): an ACK echoing a timestamp older than this
   * (with timestamps; else arriving before this virtual time) acknowledges what was sent
   * before the timeout, which was then spurious.
   */
  cwndPrev: number;
  ssthreshPrev: number;
  recoverPrev: number;
  wasInRecovery: boolean;
  prevValid: boolean;
  badRxtWin: number;
  cc: TcpCcVars;
  /** SACK scoreboard: blocks the peer holds above snd_una, sorted and disjoint (tcp-sack.ts). */
  sackBlocks: { left: number; right: number }[];
  /** Next byte a SACK recovery may retransmit (RFC 6675 HighRxt + 1). */
  sackRexmitNxt: number;
  /** Bytes the latest ACK newly SACKed, and whether it opened a new hole above the old highest SACKed byte (FreeBSD SACK_NEWLOSS). */
  sackDelta: number;
  sackNewLoss: boolean;
  /** RFC 6937 PRR during recovery (FreeBSD sackhint): bytes delivered and sent since it began, FlightSize when it began. */
  prrDelivered: number;
  prrOut: number;
  recoverFs: number;
  /** The rescue retransmission of this recovery went out (RFC 6675 §4 NextSeg rule 4). */
  rescueSent: boolean;
  /** RFC 3042 limited transmit: segments sent beyond cwnd on the first two duplicate ACKs (snd_limited). */
  sndLimited: number;
  /** The algorithm chosen when the connection was created (net.inet.tcp.cc.algorithm then). */
  readonly ccName: string;

  // Flags.
  ackNow: boolean;
  noDelay: boolean;
  /** Send one byte past a zero window (persist probe). */
  forceOne: boolean;

  // Timers: absolute virtual deadlines, 0 when off; `armedNs` is the earliest pending wakeup.
  rexmtAt: number;
  delackAt: number;
  persistAt: number;
  persistShift: number;
  timeWaitAt: number;
  keepInitAt: number;
  armedNs: number;
  /** TCP_EVENT bits to report to the handlers once the current segment is processed. */
  events: number;
  /** Sample log while the connection panel watches this connection (tcp-probe.ts), else null. */
  probe: TcpProbe | null;
  /** The option bytes of a segment carrying only a timestamp, rewritten per segment (IP output copies them into the frame at once); made on first use. */
  tsOptBytes: Uint8Array | null;
}

export const TCP_EVENT = { CONNECTED: 1, READABLE: 2, WRITABLE: 4 } as const;

export interface TcpStats {
  connAttempts: number;
  accepts: number;
  connects: number;
  drops: number;
  sndTotal: number;
  sndBytes: number;
  sndRexmitPack: number;
  sndRexmitBytes: number;
  sndAcks: number;
  rcvTotal: number;
  rcvBytes: number;
  rcvDupPack: number;
  rcvOooPack: number;
  rcvAfterWin: number;
  rcvBadSum: number;
  rexmtTimeouts: number;
  /** Timeouts undone as spurious (tcps_sndrexmitbad). */
  sndRexmitBad: number;
  fastRetransmits: number;
  listenOverflows: number;
  rstsSent: number;
}

/** All TCP state of one stack. */
export interface TcpStack {
  /** Connections by `local addr:port-remote addr:port`. */
  readonly conns: Map<string, TcpConn>;
  readonly listeners: Map<number, TcpListener>;
  readonly issRng: Rng;
  /** net.inet.tcp.cc.algorithm */
  ccAlgorithm: string;
  /** net.inet.tcp.sack.enable: offer and accept SACK on new connections. */
  sackEnabled: boolean;
  /** net.inet.tcp.recvspace: the receive buffer a new connection starts with (autosizing grows it up to TCP_AUTOBUF_MAX). */
  recvSpace: number;
  readonly stats: TcpStats;
  /**
   * The IPv4 connection the last segment was for (FreeBSD's inpcb lookup, with a one-entry
   * cache in front): a bulk transfer's segments skip building the table's string key. Cleared
   * when that connection leaves the table.
   */
  lastConn: TcpConn | null;
}
