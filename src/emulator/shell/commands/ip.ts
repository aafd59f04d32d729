// The Linux-style `ip` command (iproute2) beside the FreeBSD tools: addr, route, neigh and
// link in their common show/add/del/set forms, printed as iproute2 prints them. It maps
// onto the same stack API as ifconfig/route/arp; it owns no state.

import { arpFlush, arpList } from '../../stack/arp';
import { ifaceAddAddress, ifaceGet, ifaceList, ifaceRemoveAddress, ifaceSetMtu, ifaceSetUp } from '../../stack/iface';
import { routeAdd, routeDelete, routeDestText, routeList, routeLookup } from '../../stack/route';
import type { Iface } from '../../stack/types';
import { formatCidr, formatIpv4, formatMac, parseCidr, parseIpv4, prefixMask } from '../../wire/addr';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { ip6Command } from './inet6';

const USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  'where  OBJECT := { address | route | neigh | link }',
];

/** `ip` accepts any unambiguous prefix of an object or command name. */
function is(word: string | undefined, full: string, min = 1): boolean {
  return word !== undefined && word.length >= min && full.startsWith(word);
}

function linkFlags(i: Iface): string {
  const f = i.loopback ? ['LOOPBACK'] : ['BROADCAST', 'MULTICAST'];
  if (i.up) f.push('UP');
  if (i.up && i.carrier) f.push('LOWER_UP');
  else if (!i.loopback && i.up) f.unshift('NO-CARRIER');
  return f.join(',');
}

function linkLines(i: Iface, mode: boolean): string[] {
  const state = i.loopback ? 'UNKNOWN' : i.up && i.carrier ? 'UP' : 'DOWN';
  const head = `${i.index + 1}: ${i.name}: <${linkFlags(i)}> mtu ${i.mtu} qdisc noqueue state ${state}${mode ? ' mode DEFAULT' : ''} group default qlen 1000`;
  const link = i.loopback ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00' : `    link/ether ${formatMac(i.mac)} brd ff:ff:ff:ff:ff:ff`;
  return [head, link];
}

function addrLines(i: Iface): string[] {
  const out = linkLines(i, false);
  for (const a of i.addrs) {
    const brd = a.broadcast && !i.loopback ? ` brd ${formatIpv4(a.broadcast)}` : '';
    out.push(`    inet ${formatCidr(a.addr, a.prefixLen)}${brd} scope ${i.loopback ? 'host' : 'global'}${a.alias ? ' secondary' : ''} ${i.name}`);
    out.push('       valid_lft forever preferred_lft forever');
  }
  return out;
}

function fail(ctx: CommandContext, message: string, code: number = EXIT.FAILURE): number {
  ctx.out(message + '\n');
  return code;
}

/** Pull `dev X` (and other keyword/value pairs) out of the words. */
function keyed(words: string[]): { pos: string[]; kv: Map<string, string> } {
  const pos: string[] = [];
  const kv = new Map<string, string>();
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (['dev', 'via', 'mtu', 'src', 'metric', 'proto', 'scope', 'brd'].includes(w) && k + 1 < words.length) kv.set(w, words[++k]);
    else pos.push(w);
  }
  return { pos, kv };
}

function addr(ctx: CommandContext, words: string[]): number {
  const [cmd, ...rest] = words;
  if (cmd === undefined || is(cmd, 'show') || is(cmd, 'list')) {
    const { kv, pos } = keyed(rest);
    const name = kv.get('dev') ?? pos[0];
    const list = name ? [ifaceGet(ctx.stack, name)] : ifaceList(ctx.stack);
    if (list[0] === null) return fail(ctx, `Device "${name}" does not exist.`);
    for (const i of list) if (i) ctx.lines(addrLines(i));
    return EXIT.OK;
  }
  if (is(cmd, 'add') || is(cmd, 'delete', 3)) {
    const { pos, kv } = keyed(rest);
    const dev = kv.get('dev');
    if (!dev || pos.length < 1) return fail(ctx, 'Not enough information: "dev" argument is required.');
    const c = parseCidr(pos[0]);
    if (!c) return fail(ctx, `Error: any valid prefix is expected rather than "${pos[0]}".`);
    if (!ifaceGet(ctx.stack, dev)) return fail(ctx, `Cannot find device "${dev}"`);
    const iface = ifaceGet(ctx.stack, dev) as Iface;
    const r = is(cmd, 'add')
      ? ifaceAddAddress(ctx.stack, dev, c.addr, c.prefixLen, { alias: iface.addrs.length > 0 })
      : ifaceRemoveAddress(ctx.stack, dev, c.addr);
    if (!r.ok) return fail(ctx, `RTNETLINK answers: ${r.errno === 'EEXIST' ? 'File exists' : r.errno === 'EADDRNOTAVAIL' ? 'Cannot assign requested address' : r.message}`, 2);
    return EXIT.OK;
  }
  return fail(ctx, `Command "${cmd}" is unknown, try "ip address help".`);
}

function routeShow(ctx: CommandContext): string[] {
  const out: string[] = [];
  for (const r of routeList(ctx.stack)) {
    if (r.kind === 'local' || r.iface.startsWith('lo')) continue;
    const dest = routeDestText(r.dest, r.prefixLen);
    if (r.gateway !== null) out.push(`${dest} via ${formatIpv4(r.gateway)} dev ${r.iface}`);
    else {
      const iface = ifaceGet(ctx.stack, r.iface);
      const src = iface?.addrs.find((a) => ((a.addr & prefixMask(r.prefixLen)) >>> 0) === r.dest) ?? iface?.addrs[0];
      out.push(`${dest} dev ${r.iface} proto kernel scope link${src ? ` src ${formatIpv4(src.addr)}` : ''}`);
    }
  }
  return out;
}

function route(ctx: CommandContext, words: string[]): number {
  const [cmd, ...rest] = words;
  if (cmd === undefined || is(cmd, 'show') || is(cmd, 'list')) return (ctx.lines(routeShow(ctx)), EXIT.OK);
  const { pos, kv } = keyed(rest);
  const target = pos[0] === 'default' ? { addr: 0, prefixLen: 0 } : pos[0] ? parseCidr(pos[0]) : null;
  if (is(cmd, 'get')) {
    const dst = pos[0] ? parseIpv4(pos[0]) : null;
    if (dst === null) return fail(ctx, `Error: inet address is expected rather than "${pos[0] ?? ''}".`);
    const r = routeLookup(ctx.stack, dst);
    if (!r) return fail(ctx, 'RTNETLINK answers: Network is unreachable', 2);
    const src = ifaceGet(ctx.stack, r.iface)?.addrs[0];
    ctx.lines([`${formatIpv4(dst)}${r.route.gateway !== null ? ` via ${formatIpv4(r.route.gateway)}` : ''} dev ${r.iface}${src ? ` src ${formatIpv4(src.addr)}` : ''} uid 0`, '    cache ']);
    return EXIT.OK;
  }
  if (!target) return fail(ctx, `Error: any valid prefix is expected rather than "${pos[0] ?? ''}".`);
  if (is(cmd, 'add') || is(cmd, 'replace')) {
    const via = kv.get('via');
    const gw = via !== undefined ? parseIpv4(via) : undefined;
    if (gw === null) return fail(ctx, `Error: inet address is expected rather than "${via}".`);
    const dev = kv.get('dev');
    if (dev && !ifaceGet(ctx.stack, dev)) return fail(ctx, `Cannot find device "${dev}"`);
    if (is(cmd, 'replace')) routeDelete(ctx.stack, { dest: target.addr, prefixLen: target.prefixLen });
    const r = routeAdd(ctx.stack, { dest: target.addr, prefixLen: target.prefixLen, gateway: gw, iface: dev });
    if (!r.ok) return fail(ctx, r.errno === 'EEXIST' ? 'RTNETLINK answers: File exists' : r.errno === 'ENETUNREACH' ? 'Error: Nexthop has invalid gateway.' : `RTNETLINK answers: ${r.message}`, 2);
    return EXIT.OK;
  }
  if (is(cmd, 'delete', 3)) {
    const r = routeDelete(ctx.stack, { dest: target.addr, prefixLen: target.prefixLen });
    if (!r.ok) return fail(ctx, 'RTNETLINK answers: No such process', 2);
    return EXIT.OK;
  }
  return fail(ctx, `Command "${cmd}" is unknown, try "ip route help".`);
}

function neigh(ctx: CommandContext, words: string[]): number {
  const [cmd] = words;
  if (cmd === undefined || is(cmd, 'show') || is(cmd, 'list')) {
    for (const e of arpList(ctx.stack)) {
      const state = e.permanent ? 'PERMANENT' : e.state === 'complete' ? 'REACHABLE' : e.state === 'down' ? 'FAILED' : 'INCOMPLETE';
      ctx.out(`${formatIpv4(e.ip)} dev ${e.iface}${e.mac !== null ? ` lladdr ${formatMac(e.mac)}` : ''} ${state}\n`);
    }
    return EXIT.OK;
  }
  if (is(cmd, 'flush')) {
    arpFlush(ctx.stack);
    return EXIT.OK;
  }
  return fail(ctx, `Command "${cmd}" is unknown, try "ip neigh help".`);
}

function link(ctx: CommandContext, words: string[]): number {
  const [cmd, ...rest] = words;
  if (cmd === undefined || is(cmd, 'show') || is(cmd, 'list')) {
    const name = rest.filter((w) => w !== 'dev')[0];
    const list = name ? [ifaceGet(ctx.stack, name)] : ifaceList(ctx.stack);
    if (list[0] === null) return fail(ctx, `Device "${name}" does not exist.`);
    for (const i of list) if (i) ctx.lines(linkLines(i, true));
    return EXIT.OK;
  }
  if (is(cmd, 'set')) {
    const words2 = rest.filter((w) => w !== 'dev');
    const name = words2[0];
    if (!name || !ifaceGet(ctx.stack, name)) return fail(ctx, `Cannot find device "${name ?? ''}"`);
    for (let k = 1; k < words2.length; k++) {
      const w = words2[k];
      const r =
        w === 'up' || w === 'down'
          ? ifaceSetUp(ctx.stack, name, w === 'up')
          : w === 'mtu'
            ? ifaceSetMtu(ctx.stack, name, Number(words2[++k]))
            : null;
      if (r === null) return fail(ctx, `Error: either "dev" is duplicate, or "${w}" is a garbage.`);
      if (!r.ok) return fail(ctx, `RTNETLINK answers: ${r.message}`, 2);
    }
    return EXIT.OK;
  }
  return fail(ctx, `Command "${cmd}" is unknown, try "ip link help".`);
}

function run(ctx: CommandContext, args: string[]): number {
  if (args[0] === '-6') return ip6Command(ctx, args.slice(1).filter((a) => a !== '-br'));
  const words = args.filter((a) => a !== '-4' && a !== '-br');
  const [obj, ...rest] = words;
  if (is(obj, 'address')) return addr(ctx, rest);
  if (is(obj, 'route')) return route(ctx, rest);
  if (is(obj, 'neighbour') || is(obj, 'neighbor')) return neigh(ctx, rest);
  if (is(obj, 'link')) return link(ctx, rest);
  if (obj !== undefined && obj !== 'help') ctx.out(`Object "${obj}" is unknown, try "ip help".\n`);
  else ctx.lines(USAGE);
  return obj === undefined || obj === 'help' ? 255 : EXIT.FAILURE;
}

export const ipCommand: CommandSpec = { name: 'ip', summary: 'Linux-style ip addr|route|neigh|link', needsStack: true, run };
