// The `arp` command (FreeBSD arp(8)): -a/-an lists the neighbour cache with the node's own
// permanent entries, `arp HOST` shows one entry, -d HOST / -d -a delete, -s HOST MAC adds a permanent entry. Wording only.

import { arpAddStatic, arpDelete, arpFlush, arpList } from '../../stack/arp';
import { formatIpv4, parseMac } from '../../wire/addr';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { resolveHost } from './resolve';

const USAGE = [
  'usage: arp [-n] [-i interface] hostname',
  '       arp [-n] [-i interface] -a',
  '       arp -d hostname [pub]',
  '       arp -d [-i interface] -a',
  '       arp -s hostname ether_addr [temp] [reject | blackhole] [pub [only]]',
  '       arp -S hostname ether_addr [temp] [reject | blackhole] [pub [only]]',
  '       arp -f filename',
];

function usage(ctx: CommandContext): number {
  ctx.lines(USAGE);
  return EXIT.FAILURE;
}

function run(ctx: CommandContext, args: string[]): number {
  const flags = new Set<string>();
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) for (const f of a.slice(1)) flags.add(f);
    else words.push(a);
  }
  for (const f of flags) if (!'andsS'.includes(f)) return (ctx.out(`arp: illegal option -- ${f}\n`), usage(ctx));
  if (flags.has('d')) {
    if (flags.has('a')) {
      const entries = arpList(ctx.stack);
      arpFlush(ctx.stack);
      for (const e of entries) ctx.out(`${formatIpv4(e.ip)} (${formatIpv4(e.ip)}) deleted\n`);
      return EXIT.OK;
    }
    if (words.length !== 1) return usage(ctx);
    const ip = resolveHost(ctx.world, words[0]);
    if (ip === null) return (ctx.out(`arp: ${words[0]}: Unknown host\n`), EXIT.FAILURE);
    const r = arpDelete(ctx.stack, ip);
    if (!r.ok) return (ctx.out(`arp: ${r.message}\n`), EXIT.FAILURE);
    ctx.out(`${words[0]} (${formatIpv4(ip)}) deleted\n`);
    return EXIT.OK;
  }
  if (flags.has('s') || flags.has('S')) {
    if (words.length < 2) return usage(ctx);
    const ip = resolveHost(ctx.world, words[0]);
    const mac = parseMac(words[1]);
    if (ip === null) return (ctx.out(`arp: ${words[0]}: Unknown host\n`), EXIT.FAILURE);
    if (mac === null) return (ctx.out(`arp: invalid Ethernet address '${words[1]}'\n`), EXIT.FAILURE);
    const r = arpAddStatic(ctx.stack, ip, mac);
    if (!r.ok) return (ctx.out(`arp: ${r.message}\n`), EXIT.FAILURE);
    return EXIT.OK;
  }
  if (flags.has('a')) {
    ctx.lines(arpList(ctx.stack, { own: true }).map((e) => e.text));
    return EXIT.OK;
  }
  if (words.length !== 1) return usage(ctx);
  const ip = resolveHost(ctx.world, words[0]);
  if (ip === null) return (ctx.out(`arp: ${words[0]}: Unknown host\n`), EXIT.FAILURE);
  const e = arpList(ctx.stack, { own: true }).find((x) => x.ip === ip);
  if (!e) {
    ctx.out(`${words[0]} (${formatIpv4(ip)}) -- no entry\n`);
    return EXIT.FAILURE;
  }
  ctx.out(e.text + '\n');
  return EXIT.OK;
}

export const arpCommand: CommandSpec = { name: 'arp', summary: 'address resolution display and control (-an, -d)', needsStack: true, run };
