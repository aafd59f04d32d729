// ARP packets for IPv4 over Ethernet: view, repr, parse, emit, format.
// Only bytes: the neighbor cache and its timers live in stack/. Other hardware or protocol
// types are rejected by parse (null). RFC 826 (packet format), RFC 5227 §2.1 (probes).

import { formatIpv4, formatMac, readMac, readU16, readU32, writeMac, writeU16, writeU32 } from './addr';
import type { Ipv4Addr, MacAddr } from './addr';
import { ETHERTYPE } from './ethernet';

export const ARP_OP = { REQUEST: 1, REPLY: 2 } as const;
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_LEN = 28;

export interface ArpRepr {
  op: number;
  senderMac: MacAddr;
  senderIp: Ipv4Addr;
  targetMac: MacAddr;
  targetIp: Ipv4Addr;
}

export class ArpView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** Ethernet/IPv4 ARP only (htype 1, ptype 0x0800, hlen 6, plen 4). */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < ARP_LEN || off + len > buf.length) return false;
    return (
      readU16(buf, off) === ARP_HTYPE_ETHERNET &&
      readU16(buf, off + 2) === ETHERTYPE.IPV4 &&
      buf[off + 4] === 6 &&
      buf[off + 5] === 4
    );
  }

  get op(): number {
    return readU16(this.buf, this.off + 6);
  }
  set op(v: number) {
    writeU16(this.buf, this.off + 6, v);
  }
  get senderMac(): MacAddr {
    return readMac(this.buf, this.off + 8);
  }
  set senderMac(v: MacAddr) {
    writeMac(this.buf, this.off + 8, v);
  }
  get senderIp(): Ipv4Addr {
    return readU32(this.buf, this.off + 14);
  }
  set senderIp(v: Ipv4Addr) {
    writeU32(this.buf, this.off + 14, v);
  }
  get targetMac(): MacAddr {
    return readMac(this.buf, this.off + 18);
  }
  set targetMac(v: MacAddr) {
    writeMac(this.buf, this.off + 18, v);
  }
  get targetIp(): Ipv4Addr {
    return readU32(this.buf, this.off + 24);
  }
  set targetIp(v: Ipv4Addr) {
    writeU32(this.buf, this.off + 24, v);
  }
}

export function parseArp(buf: Uint8Array, off: number, len: number): ArpRepr | null {
  if (!ArpView.check(buf, off, len)) return null;
  const v = new ArpView(buf, off);
  return { op: v.op, senderMac: v.senderMac, senderIp: v.senderIp, targetMac: v.targetMac, targetIp: v.targetIp };
}

/** Writes the 28-byte packet; returns its length. */
export function emitArp(repr: ArpRepr, buf: Uint8Array, off: number): number {
  writeU16(buf, off, ARP_HTYPE_ETHERNET);
  writeU16(buf, off + 2, ETHERTYPE.IPV4);
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  const v = new ArpView(buf, off);
  v.op = repr.op;
  v.senderMac = repr.senderMac;
  v.senderIp = repr.senderIp;
  v.targetMac = repr.targetMac;
  v.targetIp = repr.targetIp;
  return ARP_LEN;
}

/** tshark-style Info text. */
export function formatArp(repr: ArpRepr): string {
  if (repr.op === ARP_OP.REQUEST) {
    // RFC 5227 §2.1.1: a probe has sender IP 0; an announcement has sender == target.
    if (repr.senderIp === 0) return `Who has ${formatIpv4(repr.targetIp)}? (ARP Probe)`;
    if (repr.senderIp === repr.targetIp) return `ARP Announcement for ${formatIpv4(repr.senderIp)}`;
    return `Who has ${formatIpv4(repr.targetIp)}? Tell ${formatIpv4(repr.senderIp)}`;
  }
  if (repr.op === ARP_OP.REPLY) return `${formatIpv4(repr.senderIp)} is at ${formatMac(repr.senderMac)}`;
  return `ARP opcode ${repr.op}`;
}
