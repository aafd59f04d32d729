// Ethernet II frames with an optional single 802.1Q tag: view, repr, parse, emit, format.
// Only bytes: no forwarding or learning decisions here; no FCS (captures carry none).
// IEEE 802.3 §3.2 (frame), IEEE 802.1Q §9.6 (VLAN tag: TPID 0x8100, PCP/DEI/VID).

import { formatMac, readMac, readU16, writeMac, writeU16, type MacAddr } from './addr';

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
} as const;

export const ETH_HEADER_LEN = 14;
export const ETH_VLAN_HEADER_LEN = 18;
/** Minimum frame length without FCS; shorter frames are padded (IEEE 802.3 §3.2.7). */
export const ETH_MIN_FRAME_LEN = 60;

export interface EthernetRepr {
  dst: MacAddr;
  src: MacAddr;
  /** EtherType of the payload (the inner one when tagged). */
  etherType: number;
  /** 802.1Q VLAN id (0..4095) when the frame is tagged. */
  vlan?: number;
  /** 802.1Q priority code point (0..7), only with `vlan`. */
  pcp?: number;
}

/** Zero-copy view; after `check` no getter can read out of bounds. */
export class EthernetView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** Buffer long enough for the header, including the tag when the TPID says 802.1Q. */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < ETH_HEADER_LEN || off + len > buf.length) return false;
    const tpid = (buf[off + 12] << 8) | buf[off + 13];
    return tpid !== ETHERTYPE.VLAN || len >= ETH_VLAN_HEADER_LEN;
  }

  get dst(): MacAddr {
    return readMac(this.buf, this.off);
  }
  set dst(v: MacAddr) {
    writeMac(this.buf, this.off, v);
  }
  get src(): MacAddr {
    return readMac(this.buf, this.off + 6);
  }
  set src(v: MacAddr) {
    writeMac(this.buf, this.off + 6, v);
  }
  /** True when the destination is broadcast or multicast (I/G bit). */
  get dstIsGroup(): boolean {
    return (this.buf[this.off] & 1) === 1;
  }
  get tagged(): boolean {
    return readU16(this.buf, this.off + 12) === ETHERTYPE.VLAN;
  }
  get vlan(): number {
    return this.tagged ? readU16(this.buf, this.off + 14) & 0x0fff : -1;
  }
  get pcp(): number {
    return this.tagged ? this.buf[this.off + 14] >>> 5 : 0;
  }
  /** EtherType of the payload, past the tag if any. */
  get etherType(): number {
    return readU16(this.buf, this.off + (this.tagged ? 16 : 12));
  }
  set etherType(v: number) {
    writeU16(this.buf, this.off + (this.tagged ? 16 : 12), v);
  }
  get headerLen(): number {
    return this.tagged ? ETH_VLAN_HEADER_LEN : ETH_HEADER_LEN;
  }
  get payloadOffset(): number {
    return this.off + this.headerLen;
  }
}

export function parseEthernet(buf: Uint8Array, off: number, len: number): EthernetRepr | null {
  if (!EthernetView.check(buf, off, len)) return null;
  const v = new EthernetView(buf, off);
  const repr: EthernetRepr = { dst: v.dst, src: v.src, etherType: v.etherType };
  if (v.tagged) {
    repr.vlan = v.vlan;
    repr.pcp = v.pcp;
  }
  return repr;
}

export function ethernetHeaderLen(repr: EthernetRepr): number {
  return repr.vlan === undefined ? ETH_HEADER_LEN : ETH_VLAN_HEADER_LEN;
}

/** Writes the header at `off`; returns its length (14 or 18). */
export function emitEthernet(repr: EthernetRepr, buf: Uint8Array, off: number): number {
  writeMac(buf, off, repr.dst);
  writeMac(buf, off + 6, repr.src);
  if (repr.vlan === undefined) {
    writeU16(buf, off + 12, repr.etherType);
    return ETH_HEADER_LEN;
  }
  writeU16(buf, off + 12, ETHERTYPE.VLAN);
  writeU16(buf, off + 14, (((repr.pcp ?? 0) & 7) << 13) | (repr.vlan & 0x0fff));
  writeU16(buf, off + 16, repr.etherType);
  return ETH_VLAN_HEADER_LEN;
}

/** A whole frame: header + payload, zero-padded to 60 bytes like a real NIC would. */
export function buildEthernetFrame(repr: EthernetRepr, payload: Uint8Array, pad = true): Uint8Array {
  const hdr = ethernetHeaderLen(repr);
  const minLen = pad ? ETH_MIN_FRAME_LEN + (hdr - ETH_HEADER_LEN) : 0;
  const frame = new Uint8Array(Math.max(hdr + payload.length, minLen));
  emitEthernet(repr, frame, 0);
  frame.set(payload, hdr);
  return frame;
}

export function etherTypeName(t: number): string {
  switch (t) {
    case ETHERTYPE.IPV4:
      return 'IPv4';
    case ETHERTYPE.ARP:
      return 'ARP';
    case ETHERTYPE.VLAN:
      return '802.1Q';
    case ETHERTYPE.IPV6:
      return 'IPv6';
    default:
      return `0x${t.toString(16).padStart(4, '0')}`;
  }
}

export function formatEthernet(repr: EthernetRepr): string {
  const tag = repr.vlan === undefined ? '' : ` vlan=${repr.vlan}`;
  return `Ethernet II ${formatMac(repr.src)} → ${formatMac(repr.dst)} type=${etherTypeName(repr.etherType)}${tag}`;
}

// ---- 802.1Q tag insertion and removal on whole frames (IEEE 802.1Q §9.6 tag format,
// §6.9 insertion/removal). Used by the VLAN-aware bridge and the stack's VLAN
// sub-interfaces. Never mutate the input (frames on links are immutable): new bytes.

/** VID of a tagged frame, or -1 when untagged (or too short to hold a tag). */
export function frameVid(frame: Uint8Array): number {
  if (frame.length < ETH_VLAN_HEADER_LEN || ((frame[12] << 8) | frame[13]) !== ETHERTYPE.VLAN) return -1;
  return ((frame[14] << 8) | frame[15]) & 0x0fff;
}

/** A copy of an untagged frame with a C-VLAN tag (PCP 0, DEI 0, `vid`) after the source MAC. */
export function tagFrame(frame: Uint8Array, vid: number): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame.subarray(0, 12), 0);
  out[12] = ETHERTYPE.VLAN >>> 8;
  out[13] = ETHERTYPE.VLAN & 0xff;
  out[14] = (vid >>> 8) & 0x0f;
  out[15] = vid & 0xff;
  out.set(frame.subarray(12), 16);
  return out;
}

/** A copy of a tagged frame without its tag, re-padded to the 60-byte minimum. */
export function untagFrame(frame: Uint8Array): Uint8Array {
  const len = frame.length - 4;
  const out = new Uint8Array(len < ETH_MIN_FRAME_LEN ? ETH_MIN_FRAME_LEN : len);
  out.set(frame.subarray(0, 12), 0);
  out.set(frame.subarray(16), 12);
  return out;
}
