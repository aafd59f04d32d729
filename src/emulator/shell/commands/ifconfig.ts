// The `ifconfig` command: show interfaces in FreeBSD's format and change addresses,
// aliases, MTU and up/down through the stack API. Formatting and parsing only.
// Address forms: `A/LEN`, `inet A netmask M`, `alias`/`-alias`/`delete` (FreeBSD ifconfig(8)).

import { ifaceAddAddress, ifaceFlags, ifaceGet, ifaceList, ifaceRemoveAddress, ifaceSetMtu, ifaceSetUp } from '../../stack/iface';
import type { Iface } from '../../stack/types';
import { formatIpv4, formatMac, maskToPrefixLen, parseCidr, parseIpv4, prefixMask } from '../../wire/addr';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { ifconfigInet6, withInet6Lines } from './inet6';

const FLAG_BITS: Readonly<Record<string, number>> = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, RUNNING: 0x40, SIMPLEX: 0x800, MULTICAST: 0x8000 };

function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** One interface as FreeBSD ifconfig prints it. */
export function formatIface(iface: Iface): string[] {
  const flags = ifaceFlags(iface);
  const bits = flags.split(',').reduce((acc, f) => acc | (FLAG_BITS[f] ?? 0), 0);
  const out = [`${iface.name}: flags=${bits.toString(16)}<${flags}> metric 0 mtu ${iface.mtu}`];
  if (iface.loopback) out.push('\toptions=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>');
  else out.push(`\tether ${formatMac(iface.mac)}`);
  for (const a of iface.addrs) {
    let line = `\tinet ${formatIpv4(a.addr)} netmask ${hex32(prefixMask(a.prefixLen))}`;
    if (!iface.loopback && a.broadcast) line += ` broadcast ${formatIpv4(a.broadcast)}`;
    out.push(line);
  }
  if (iface.loopback) out.push('\tgroups: lo');
  else {
    out.push('\tmedia: Ethernet autoselect (1000baseT <full-duplex>)');
    out.push(`\tstatus: ${iface.carrier ? 'active' : 'no carrier'}`);
  }
  return out;
}

function fail(ctx: CommandContext, message: string): number {
  ctx.out(`ifconfig: ${message}\n`);
  return EXIT.FAILURE;
}

/** Parse `A[/LEN] [netmask M] [alias|-alias|delete]` after the optional `inet`. */
function configure(ctx: CommandContext, iface: Iface, words: string[]): number {
  let k = 0;
  while (k < words.length) {
    const w = words[k];
    if (w === 'up' || w === 'down') {
      const r = ifaceSetUp(ctx.stack, iface.name, w === 'up');
      if (!r.ok) return fail(ctx, r.message);
      k++;
    } else if (w === 'mtu') {
      const n = Number(words[k + 1]);
      if (words[k + 1] === undefined || !Number.isInteger(n)) return fail(ctx, `mtu: bad value`);
      const r = ifaceSetMtu(ctx.stack, iface.name, n);
      if (!r.ok) return fail(ctx, r.message);
      k += 2;
    } else if (w === 'inet') {
      k++;
    } else if (w === 'inet6') {
      return ifconfigInet6(ctx, iface, words.slice(k + 1));
    } else {
      return address(ctx, iface, words.slice(k));
    }
  }
  return EXIT.OK;
}

function address(ctx: CommandContext, iface: Iface, words: string[]): number {
  const cidr = parseCidr(words[0]);
  if (!cidr) return fail(ctx, `${words[0]}: bad value`);
  let prefixLen = words[0].includes('/') ? cidr.prefixLen : defaultPrefix(cidr.addr);
  let mode: 'set' | 'alias' | 'remove' = 'set';
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    if (w === 'netmask') {
      const text = words[++k] ?? '';
      const mask = text.startsWith('0x') ? Number.parseInt(text, 16) : parseIpv4(text);
      const len = mask === null || Number.isNaN(mask) ? null : maskToPrefixLen(mask);
      if (len === null) return fail(ctx, `${text}: bad value`);
      prefixLen = len;
    } else if (w === 'alias' || w === 'add') mode = 'alias';
    else if (w === '-alias' || w === 'delete' || w === 'remove') mode = 'remove';
    else if (w === 'up' || w === 'down') {
      const r = ifaceSetUp(ctx.stack, iface.name, w === 'up');
      if (!r.ok) return fail(ctx, r.message);
    } else if (w === 'broadcast') k++;
    else return fail(ctx, `${w}: bad value`);
  }
  const r =
    mode === 'remove'
      ? ifaceRemoveAddress(ctx.stack, iface.name, cidr.addr)
      : ifaceAddAddress(ctx.stack, iface.name, cidr.addr, prefixLen, { alias: mode === 'alias' });
  if (!r.ok) {
    const op = mode === 'remove' ? 'SIOCDIFADDR' : 'SIOCAIFADDR';
    return fail(ctx, `ioctl (${op}): ${r.message}`);
  }
  return EXIT.OK;
}

/** Classful default mask, as FreeBSD ifconfig applies when none is given. */
function defaultPrefix(addr: number): number {
  const a = addr >>> 24;
  return a < 128 ? 8 : a < 192 ? 16 : 24;
}

function run(ctx: CommandContext, args: string[]): number {
  if (args[0] === '-l') {
    ctx.lines([ifaceList(ctx.stack).map((i) => i.name).join(' ')]);
    return EXIT.OK;
  }
  if (args.length === 0 || args[0] === '-a') {
    for (const iface of ifaceList(ctx.stack)) ctx.lines(withInet6Lines(ctx.stack, iface, formatIface(iface)));
    return EXIT.OK;
  }
  const iface = ifaceGet(ctx.stack, args[0]);
  if (!iface) return fail(ctx, `interface ${args[0]} does not exist`);
  if (args.length === 1) {
    ctx.lines(withInet6Lines(ctx.stack, iface, formatIface(iface)));
    return EXIT.OK;
  }
  return configure(ctx, iface, args.slice(1));
}

export const ifconfigCommand: CommandSpec = { name: 'ifconfig', summary: 'configure network interface parameters', needsStack: true, run };
