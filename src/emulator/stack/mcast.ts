// IPv4 multicast group membership of one stack's interfaces (IP_ADD_MEMBERSHIP) and the
// Ethernet group addresses that map to it: what the NIC filter accepts and what a
// multicast send is addressed to. No IGMP messages (switches here flood multicast).
// RFC 1112 §6.4 (01:00:5e + low 23 bits of the group), RFC 1112 §7.2 (receive filter).

import { configError, type ConfigResult } from './errno';
import { stackPrograms } from './programs';
import type { Iface, NetStack } from './types';

export function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** Joins `group` on interface `ifIndex` (idempotent). */
export function ipJoinGroup(stack: NetStack, ifIndex: number, group: number): ConfigResult {
  const iface = stack.ifaces[ifIndex];
  if (iface === undefined || iface.loopback) return configError('ENXIO');
  const g = group >>> 0;
  if (!isMulticast(g)) return configError('EINVAL');
  const groups = stackPrograms(stack).groups;
  const list = groups.get(ifIndex) ?? [];
  if (!list.includes(g)) list.push(g);
  groups.set(ifIndex, list);
  return { ok: true };
}

export function ipLeaveGroup(stack: NetStack, ifIndex: number, group: number): ConfigResult {
  const list = stack.programs?.groups.get(ifIndex);
  const k = list ? list.indexOf(group >>> 0) : -1;
  if (k < 0) return configError('EADDRNOTAVAIL');
  list!.splice(k, 1);
  if (list!.length === 0) stack.programs!.groups.delete(ifIndex);
  return { ok: true };
}

function groupMatchesMac(g: number, frame: Uint8Array): boolean {
  return frame[3] === ((g >>> 16) & 0x7f) && frame[4] === ((g >>> 8) & 0xff) && frame[5] === (g & 0xff);
}

/** The NIC filter for a multicast destination MAC: a group joined here or on a VLAN above. */
export function mcastFrameAccepted(stack: NetStack, iface: Iface, frame: Uint8Array): boolean {
  if (stack.programs === null || frame[0] !== 0x01 || frame[1] !== 0x00 || frame[2] !== 0x5e) return false;
  const list = stack.programs.groups.get(iface.index);
  if (list !== undefined) for (const g of list) if (groupMatchesMac(g, frame)) return true;
  if (iface.vlans !== null) for (const v of iface.vlans) if (mcastFrameAccepted(stack, v, frame)) return true;
  return false;
}

/** Whether `iface` has joined the IPv4 group `dst`. */
export function mcastMember(stack: NetStack, iface: Iface, dst: number): boolean {
  return stack.programs?.groups.get(iface.index)?.includes(dst >>> 0) ?? false;
}

/** Writes the Ethernet group address of `group` at bytes 0..5 (RFC 1112 §6.4). */
export function writeMcastMac(frame: Uint8Array, group: number): void {
  frame[0] = 0x01;
  frame[1] = 0x00;
  frame[2] = 0x5e;
  frame[3] = (group >>> 16) & 0x7f;
  frame[4] = (group >>> 8) & 0xff;
  frame[5] = group & 0xff;
}
