// Spanning-tree BPDUs as bridges send them: an IEEE 802.3 frame (length, not EtherType) to
// 01:80:C2:00:00:00 with an LLC header (DSAP 0x42, SSAP 0x42, UI) and a Configuration,
// RST or TCN BPDU. View, repr, parse, emit, format; behaviour lives in node/stp.ts.
// IEEE 802.1D-2004 §9.3.1 (Configuration BPDU), §9.3.2 (TCN), §9.3.3 (RST BPDU: flags with
// port role, proposal, agreement, learning, forwarding), §9.2.5 (bridge identifier).

import { formatMac, readMac, readU16, readU32, writeMac, writeU16, writeU32 } from './addr';

/** The Bridge Group Address every BPDU goes to (802.1D Table 7-10). */
export const STP_GROUP_MAC = 0x0180c2000000;
export const LLC_STP = 0x42;
export const LLC_UI = 0x03;
export const BPDU_TYPE = { CONFIG: 0x00, RST: 0x02, TCN: 0x80 } as const;
export const BPDU_FLAG = { TC: 0x01, PROPOSAL: 0x02, LEARNING: 0x10, FORWARDING: 0x20, AGREEMENT: 0x40, TCA: 0x80 } as const;
/** The Port Role field of an RST BPDU's flags (bits 3-4, §9.3.3). */
export const BPDU_ROLE = { UNKNOWN: 0, ALTERNATE_BACKUP: 1, ROOT: 2, DESIGNATED: 3 } as const;
export const BPDU_CONFIG_LEN = 35;
export const BPDU_RST_LEN = 36;
export const BPDU_TCN_LEN = 4;
const ETH_LEN = 14;
const LLC_LEN = 3;

/** Offsets from the start of the BPDU (after the LLC header). */
const F = { PROTO: 0, VERSION: 2, TYPE: 3, FLAGS: 4, ROOT: 5, COST: 13, BRIDGE: 17, PORT: 25, MSG_AGE: 27, MAX_AGE: 29, HELLO: 31, FWD_DELAY: 33, V1_LEN: 35 } as const;

/** A bridge identifier: 16-bit priority (with the 802.1t system id extension) and a MAC. */
export interface BridgeId {
  prio: number;
  mac: number;
}

export interface BpduRepr {
  version: number;
  type: number;
  flags: number;
  root: BridgeId;
  rootCost: number;
  bridge: BridgeId;
  portId: number;
  /** Times in 1/256 s, as on the wire. */
  msgAge: number;
  maxAge: number;
  hello: number;
  fwdDelay: number;
}

export type BpduParseError = 'truncated' | 'not-llc-stp' | 'bad-protocol' | 'bad-length';

/** The BPDU inside a frame: one length check up front, then no getter can fail. */
export class BpduView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  /** At least a TCN's four bytes after Ethernet + LLC at `off` (the frame start). */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= ETH_LEN + LLC_LEN + BPDU_TCN_LEN && off + len <= buf.length;
  }
  get lengthField(): number {
    return readU16(this.buf, this.off + 12);
  }
  get dsap(): number {
    return this.buf[this.off + ETH_LEN];
  }
  get ssap(): number {
    return this.buf[this.off + ETH_LEN + 1];
  }
  get protocol(): number {
    return readU16(this.buf, this.off + ETH_LEN + LLC_LEN + F.PROTO);
  }
  get version(): number {
    return this.buf[this.off + ETH_LEN + LLC_LEN + F.VERSION];
  }
  get type(): number {
    return this.buf[this.off + ETH_LEN + LLC_LEN + F.TYPE];
  }
}

/** Whether `frame` is addressed as a BPDU (group MAC and an 802.3 length field). */
export function isBpduFrame(frame: Uint8Array): boolean {
  return frame.length >= ETH_LEN && readMac(frame, 0) === STP_GROUP_MAC && readU16(frame, 12) <= 1500;
}

function readId(b: Uint8Array, o: number): BridgeId {
  return { prio: readU16(b, o), mac: readMac(b, o + 2) };
}

/** Never throws; the BPDU in an Ethernet frame at `off` of `len` bytes, or why it is not one. */
export function parseBpdu(buf: Uint8Array, off: number, len: number): BpduRepr | BpduParseError {
  if (!BpduView.check(buf, off, len)) return 'truncated';
  const v = new BpduView(buf, off);
  if (v.lengthField > 1500 || v.dsap !== LLC_STP || v.ssap !== LLC_STP) return 'not-llc-stp';
  if (v.protocol !== 0) return 'bad-protocol';
  const body = len - ETH_LEN - LLC_LEN;
  const b = off + ETH_LEN + LLC_LEN;
  const zero: BridgeId = { prio: 0, mac: 0 };
  if (v.type === BPDU_TYPE.TCN) return { version: v.version, type: v.type, flags: 0, root: zero, rootCost: 0, bridge: zero, portId: 0, msgAge: 0, maxAge: 0, hello: 0, fwdDelay: 0 };
  const need = v.type === BPDU_TYPE.RST ? BPDU_RST_LEN : BPDU_CONFIG_LEN;
  if (body < need || (v.type !== BPDU_TYPE.RST && v.type !== BPDU_TYPE.CONFIG)) return 'bad-length';
  return {
    version: v.version,
    type: v.type,
    flags: buf[b + F.FLAGS],
    root: readId(buf, b + F.ROOT),
    rootCost: readU32(buf, b + F.COST),
    bridge: readId(buf, b + F.BRIDGE),
    portId: readU16(buf, b + F.PORT),
    msgAge: readU16(buf, b + F.MSG_AGE),
    maxAge: readU16(buf, b + F.MAX_AGE),
    hello: readU16(buf, b + F.HELLO),
    fwdDelay: readU16(buf, b + F.FWD_DELAY),
  };
}

export function bpduLen(r: BpduRepr): number {
  return r.type === BPDU_TYPE.TCN ? BPDU_TCN_LEN : r.type === BPDU_TYPE.RST ? BPDU_RST_LEN : BPDU_CONFIG_LEN;
}

/** A whole frame from `src` to the bridge group address, padded to 60 bytes. */
export function buildBpduFrame(r: BpduRepr, src: number): Uint8Array {
  const n = bpduLen(r);
  const f = new Uint8Array(Math.max(60, ETH_LEN + LLC_LEN + n));
  writeMac(f, 0, STP_GROUP_MAC);
  writeMac(f, 6, src);
  writeU16(f, 12, LLC_LEN + n);
  f[ETH_LEN] = LLC_STP;
  f[ETH_LEN + 1] = LLC_STP;
  f[ETH_LEN + 2] = LLC_UI;
  const b = ETH_LEN + LLC_LEN;
  writeU16(f, b + F.PROTO, 0);
  f[b + F.VERSION] = r.version;
  f[b + F.TYPE] = r.type;
  if (r.type === BPDU_TYPE.TCN) return f;
  f[b + F.FLAGS] = r.flags;
  writeU16(f, b + F.ROOT, r.root.prio);
  writeMac(f, b + F.ROOT + 2, r.root.mac);
  writeU32(f, b + F.COST, r.rootCost >>> 0);
  writeU16(f, b + F.BRIDGE, r.bridge.prio);
  writeMac(f, b + F.BRIDGE + 2, r.bridge.mac);
  writeU16(f, b + F.PORT, r.portId);
  writeU16(f, b + F.MSG_AGE, r.msgAge);
  writeU16(f, b + F.MAX_AGE, r.maxAge);
  writeU16(f, b + F.HELLO, r.hello);
  writeU16(f, b + F.FWD_DELAY, r.fwdDelay);
  if (r.type === BPDU_TYPE.RST) f[b + F.V1_LEN] = 0;
  return f;
}

/** -1, 0, 1 as bridge id `a` is better (lower), equal, worse than `b` (§9.2.5). */
export function compareBridgeId(a: BridgeId, b: BridgeId): number {
  if (a.prio !== b.prio) return a.prio < b.prio ? -1 : 1;
  return a.mac === b.mac ? 0 : a.mac < b.mac ? -1 : 1;
}

/** `32768/0/42:00:aa:00:00:01` as tshark prints a bridge identifier (priority / system id extension / MAC). */
export function formatBridgeId(id: BridgeId): string {
  return `${id.prio & 0xf000}/${id.prio & 0x0fff}/${formatMac(id.mac)}`;
}

export function formatBpdu(r: BpduRepr): string {
  if (r.type === BPDU_TYPE.TCN) return 'Topology Change Notification';
  const kind = r.type === BPDU_TYPE.RST ? 'RST' : 'Conf';
  return `${kind}. ${r.flags & BPDU_FLAG.TC ? 'TC + ' : ''}Root = ${formatBridgeId(r.root)}  Cost = ${r.rootCost}  Port = 0x${r.portId.toString(16).padStart(4, '0')}`;
}
