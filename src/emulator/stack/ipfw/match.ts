// Matching one packet against one ipfw rule body (FreeBSD ipfw_chk's opcodes): protocol,
// addresses (any, me, prefixes, tables), ports (never on non-first fragments), direction,
// interfaces, TCP setup/established, ICMP types. Must not decide actions or keep state.
// RFC 791 (fragment offset), RFC 793 §3.1 (TCP flags), RFC 792 (ICMP types).

import { IP_PROTO } from '../../wire/ipv4';
import type { NetStack } from '../types';
import { ctClassify } from './conntrack';
import { FW_CHAIN, FW_DIR, type FwChain, type Firewall, type FwAddrMatch, type FwPacket, type FwPorts, type FwRule, type FwTable } from './types';

const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

/** Fills the firewall's scratch packet from the datagram at `off` (already validated by ip-input/output). */
export function fillPacket(fw: Firewall, buf: Uint8Array, off: number, dir: FwPacket['dir'], recvIf: number, xmitIf: number): FwPacket {
  const p = fw.pkt;
  const hl = (buf[off] & 0x0f) << 2;
  const proto = buf[off + 9];
  const firstFrag = ((buf[off + 6] & 0x1f) | buf[off + 7]) === 0;
  const t = off + hl;
  const avail = buf.length - t;
  p.proto = proto;
  p.src = ((buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15]) >>> 0;
  p.dst = ((buf[off + 16] << 24) | (buf[off + 17] << 16) | (buf[off + 18] << 8) | buf[off + 19]) >>> 0;
  p.len = (buf[off + 2] << 8) | buf[off + 3];
  p.srcPort = -1;
  p.dstPort = -1;
  p.icmpType = -1;
  p.icmpId = -1;
  p.tcpFlags = -1;
  p.tcpAck = 0;
  p.dir = dir;
  p.recvIf = recvIf;
  p.xmitIf = xmitIf;
  p.ct = 0;
  if (!firstFrag) return p;
  if ((proto === IP_PROTO.UDP && avail >= 8) || (proto === IP_PROTO.TCP && avail >= 14)) {
    p.srcPort = (buf[t] << 8) | buf[t + 1];
    p.dstPort = (buf[t + 2] << 8) | buf[t + 3];
    if (proto === IP_PROTO.TCP) {
      p.tcpFlags = buf[t + 13];
      p.tcpAck = ((buf[t + 8] << 24) | (buf[t + 9] << 16) | (buf[t + 10] << 8) | buf[t + 11]) >>> 0;
    }
  } else if (proto === IP_PROTO.ICMP && avail >= 8) {
    p.icmpType = buf[t];
    // Echo request/reply (RFC 792): the identifier plays the part of a port in states and NAT.
    if (p.icmpType === 8 || p.icmpType === 0) p.icmpId = (buf[t + 4] << 8) | buf[t + 5];
  }
  return p;
}

export function tableLookup(t: FwTable | undefined, addr: number): boolean {
  if (t === undefined) return false;
  for (let i = 0; i < t.lens.length; i++) {
    const len = t.lens[i];
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) | 0;
    if (t.byLen.get(len)!.has(addr & mask)) return true;
  }
  return false;
}

function addrMatches(stack: NetStack, fw: Firewall, m: FwAddrMatch, addr: number): boolean {
  const a = m.addr;
  let hit: boolean;
  switch (a.kind) {
    case 'any':
      hit = true;
      break;
    case 'me':
      hit = stack.local.has(addr);
      break;
    case 'net':
      hit = ((addr ^ a.addr) & a.mask) === 0;
      break;
    case 'table':
      hit = tableLookup(fw.tables.get(a.n), addr | 0);
      break;
    default:
      return a satisfies never;
  }
  return hit !== m.not;
}

function portsMatch(ports: FwPorts, port: number): boolean {
  if (port < 0) return false;
  for (let i = 0; i < ports.length; i += 2) if (port >= ports[i] && port <= ports[i + 1]) return true;
  return false;
}

function ifaceMatches(stack: NetStack, r: FwRule, p: FwPacket): boolean {
  for (const c of r.ifaces) {
    const rn = p.recvIf >= 0 ? stack.ifaces[p.recvIf].name : null;
    const xn = p.xmitIf >= 0 ? stack.ifaces[p.xmitIf].name : null;
    // ipfw_chk O_VIA: the output interface on the out pass, the receiving one on the in pass.
    const ok = c.op === 'recv' ? rn === c.name : c.op === 'xmit' ? xn === c.name : (p.dir === FW_DIR.OUT ? xn : rn) === c.name;
    if (!ok) return false;
  }
  return true;
}

function chainMatches(stack: NetStack, chain: FwChain, p: FwPacket): boolean {
  switch (chain) {
    case FW_CHAIN.INPUT:
      return p.dir === FW_DIR.IN && (stack.ours.has(p.dst | 0) || p.dst === 0xffffffff);
    case FW_CHAIN.FORWARD:
      return p.dir === FW_DIR.OUT && p.recvIf >= 0;
    case FW_CHAIN.OUTPUT:
      return p.dir === FW_DIR.OUT && p.recvIf < 0;
    default:
      return true;
  }
}

/** Whether the body of rule `r` matches packet `p` (the action is the caller's). */
export function ruleMatches(stack: NetStack, fw: Firewall, r: FwRule, p: FwPacket): boolean {
  if (r.proto >= 0 && r.proto !== p.proto) return false;
  if (r.dir !== FW_DIR.ANY && r.dir !== p.dir) return false;
  if (r.src.addr.kind !== 'any' && !addrMatches(stack, fw, r.src, p.src)) return false;
  if (r.dst.addr.kind !== 'any' && !addrMatches(stack, fw, r.dst, p.dst)) return false;
  if (r.srcPorts !== null && !portsMatch(r.srcPorts, p.srcPort)) return false;
  if (r.dstPorts !== null && !portsMatch(r.dstPorts, p.dstPort)) return false;
  if (r.ifaces.length > 0 && !ifaceMatches(stack, r, p)) return false;
  if (r.setup && (p.tcpFlags < 0 || (p.tcpFlags & (TH_SYN | TH_ACK)) !== TH_SYN)) return false;
  if (r.established && (p.tcpFlags < 0 || (p.tcpFlags & (TH_ACK | TH_RST)) === 0)) return false;
  if (r.icmpTypes !== 0 && (p.icmpType < 0 || p.icmpType > 31 || (r.icmpTypes & (1 << p.icmpType)) === 0)) return false;
  if (r.chain !== FW_CHAIN.NONE && !chainMatches(stack, r.chain, p)) return false;
  if (r.ctMask !== 0) {
    if (p.ct === 0) p.ct = ctClassify(fw, p, stack.env.sim.now());
    if ((r.ctMask & p.ct) === 0) return false;
  }
  return true;
}
