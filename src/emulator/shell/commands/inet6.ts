// The IPv6 forms of the shell's tools, FreeBSD's first: `ping6` (and `ping -6`),
// `traceroute6`, `ndp -an`, ifconfig's inet6 lines and `inet6 ADDR/LEN [alias|-alias|delete]`,
// `route -6 add|delete|get`, `netstat -rn -f inet6`, and Linux `ip -6 addr|route|neigh`.
// Parsing and wording only; everything goes through the stack API.

import { endProc, procList, runDaemonProc } from '../../node/procs';
import { startPing6, PING6_DEFAULTS } from '../../node/apps/ping6';
import { startTraceroute6, TRACEROUTE6_DEFAULTS } from '../../node/apps/traceroute6';
import { in6AddAddress, in6Addrs, in6Loopback, in6RemoveAddress, nd6AcceptsRtadv, nd6AutoconfLifetimes, nd6AutoconfText, nd6Flush, nd6List, nd6OwnLines, nd6PrefixLines, nd6RouterLines, nd6Rtsol, nd6SetAcceptRtadv, NDP_HEADER, route6Add, route6Delete, route6List, route6Lookup } from '../../stack';
import { errnoText } from '../../stack/errno';
import { in6Enable } from '../../stack/in6';
import { startRtadvd, stopRtadvd } from '../../node/daemons/rtadvd';
import { parseRtadvdConf, RTADVD_CONF } from '../../node/daemons/rtadvd-conf';
import { rtsolDnsListen } from '../../node/services/rtsol-dns';
import { nodeFiles } from '../../node/files';
import type { Iface, NetStack } from '../../stack/types';
import { formatMac } from '../../wire/addr';
import { formatIpv6, ipv6Network, isIpv6LinkLocal, isIpv6LinkScope, parseIpv6, parseIpv6Cidr, parseIpv6Scoped, type Ipv6Addr } from '../../wire/ipv6-addr';
import type { World } from '../../engine/world';
import { getopt, optValue } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { hostErrorText, parseDecimal, parseUint, usesDns, waitFor, type HostFailure } from './resolve';
import { dnsLookup, hostsLookup } from '../../node/services/resolver';

/** An IPv6 literal (with an optional `%zone`), or the first global IPv6 address of the node so named. */
export function resolveHost6(ctx: CommandContext, text: string): { addr: Ipv6Addr; zone: number } | null {
  const s = parseIpv6Scoped(text);
  if (s !== null) {
    const zone = s.zone === null ? -1 : ctx.stack.ifaces.findIndex((i) => i.name === s.zone);
    if (s.zone !== null && zone < 0) return null;
    return { addr: s.addr, zone };
  }
  const node = ctx.world.nodeByName(text);
  if (!node?.stack) return null;
  for (const iface of node.stack.ifaces) {
    if (iface.loopback) continue;
    for (const a of in6Addrs(node.stack, iface.index)) if (!a.linkLocal && !isIpv6LinkLocal(a.addr)) return { addr: a.addr, zone: -1 };
  }
  return null;
}

/**
 * resolveHost6, then /etc/hosts, then DNS (AAAA through the stub resolver): `then` runs at
 * once when no query is needed, else from a job once the answer arrives.
 */
export function resolveHost6Then(ctx: CommandContext, text: string, then: (dst: { addr: Ipv6Addr; zone: number }) => number | Job, fail: (f: HostFailure) => number): number | Job {
  if (parseIpv6Scoped(text) === null) {
    const h = hostsLookup(ctx.node.files, text, 6);
    if (h instanceof Uint8Array) return then({ addr: h, zone: -1 });
  }
  const local = resolveHost6(ctx, text);
  if (local !== null) return then(local);
  if (parseIpv6Scoped(text) !== null || !usesDns(ctx.node)) return fail('not-found');
  return waitFor<Ipv6Addr>(
    (done) => dnsLookup(ctx.stack, ctx.node.files, text, 6, (r) => done(r.ok ? { ok: true, value: r.addrs[0] as Ipv6Addr } : { ok: false, f: r.error }), ctx.gate()),
    ctx, (addr) => then({ addr, zone: -1 }), fail,
  );
}

/** Name of the node owning `a` (what IMUNES's /etc/hosts would give), or null. */
export function nodeNameOf6(world: World, a: Ipv6Addr): string | null {
  const key = formatIpv6(a);
  for (const node of world.nodes) {
    if (!node.stack) continue;
    for (const i of node.stack.ifaces) for (const x of in6Addrs(node.stack, i.index)) if (!x.linkLocal && formatIpv6(x.addr) === key) return node.name;
  }
  return null;
}

const PING6_USAGE = [
  'usage: ping6 [-DdfHnNoOqrRuvyY] [-b bufsiz] [-c count] [-e gateway] [-I interface]',
  '            [-i wait] [-k addrtype] [-l preload] [-m hoplimit] [-p pattern]',
  '            [-S sourceaddr] [-s packetsize] [-t timeout] [-W waittime] IPv6-host',
];

function ping6Run(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('ping6', args, 'c:i:s:m:I:S:vqnu');
  if (!g.ok) {
    ctx.lines([g.error, ...PING6_USAGE]);
    return EXIT.USAGE;
  }
  if (g.operands.length !== 1) {
    ctx.lines(PING6_USAGE);
    return EXIT.USAGE;
  }
  const o = g.opts;
  const opts = { ...PING6_DEFAULTS, count: 0 as number, intervalNs: 1e9 as number, sizeBytes: 8 as number, hopLimit: undefined as number | undefined };
  const c = optValue(o, 'c');
  if (c !== undefined) {
    const n = parseUint(c);
    if (n === null || n < 1) return bad(ctx, `illegal number of packets -- ${c}`);
    opts.count = n;
  }
  const i = optValue(o, 'i');
  if (i !== undefined) {
    const n = parseDecimal(i);
    if (n === null) return bad(ctx, `illegal timing interval ${i}`);
    opts.intervalNs = Math.max(1e6, Math.floor(n * 1e9));
  }
  const s = optValue(o, 's');
  if (s !== undefined) {
    const n = parseUint(s);
    if (n === null || n > 65_535 - 48) return bad(ctx, `illegal datalen value -- ${s}`);
    opts.sizeBytes = n;
  }
  const m = optValue(o, 'm');
  if (m !== undefined) {
    const n = parseUint(m);
    if (n === null || n > 255) return bad(ctx, `illegal hoplimit -- ${m}`);
    opts.hopLimit = n;
  }
  const host = g.operands[0];
  return resolveHost6Then(ctx, host, (dst) => {
    const ifName = optValue(o, 'I');
    if (ifName !== undefined) {
      const k = ctx.stack.ifaces.findIndex((x) => x.name === ifName);
      if (k < 0) return bad(ctx, `${ifName}: invalid interface name`);
      dst.zone = k;
    }
    let src: Ipv6Addr | undefined;
    const sText = optValue(o, 'S');
    if (sText !== undefined) {
      const p = parseIpv6(sText);
      if (p === null) return bad(ctx, `invalid source address: ${sText}`);
      src = p;
    }
    const ident = ctx.world.rng(`node:${ctx.node.name}:ping6`).nextU32() & 0xffff;
    const stack = ctx.stack;
    return startPing6(
      stack,
      { ...opts, dst: dst.addr, zone: dst.zone, hostText: host, src, verbose: o.has('v'), quiet: o.has('q'), minMtu: !o.has('u'), ident, zoneName: (k) => stack.ifaces[k]?.name ?? String(k) },
      ctx.out,
      ctx.finish,
      ctx.gate(),
    );
  }, (f) => {
    ctx.out(`ping6: cannot resolve ${host}: ${hostErrorText(f)}\n`);
    return EXIT.NOHOST;
  });
}

function bad(ctx: CommandContext, message: string): number {
  ctx.out(`ping6: ${message}\n`);
  return EXIT.USAGE;
}

export const ping6Command: CommandSpec = { name: 'ping6', summary: 'send ICMPv6 ECHO_REQUEST packets to network hosts', needsStack: true, run: ping6Run };

/** FreeBSD 14 ping: `-6`, or an IPv6 literal as the host, runs ping6. */
export function wantsPing6(args: readonly string[]): boolean {
  if (args.includes('-6')) return true;
  const last = args[args.length - 1];
  return last !== undefined && !last.startsWith('-') && parseIpv6Scoped(last) !== null;
}

export function ping6FromPing(ctx: CommandContext, args: string[]): number | Job {
  return ping6Run(ctx, args.filter((a) => a !== '-6'));
}

function traceroute6Run(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('traceroute6', args, 'nm:q:w:f:p:');
  const usage = 'usage: traceroute6 [-adIlnNrSTUv] [-A as_server] [-f firsthop] [-g gateway] [-m hoplimit] [-p port] [-q probes] [-s src] [-w waittime] target [datalen]';
  if (!g.ok || g.operands.length !== 1) {
    ctx.lines(g.ok ? [usage] : [g.error, usage]);
    return EXIT.FAILURE;
  }
  const opts = { ...TRACEROUTE6_DEFAULTS, firstHop: 1 as number, maxHops: 64 as number, nQueries: 3 as number, waitNs: 5e9 as number, basePort: 33434 as number, numeric: g.opts.has('n') };
  const fields: [string, 'maxHops' | 'nQueries' | 'waitNs' | 'firstHop' | 'basePort', number, number][] = [
    ['m', 'maxHops', 1, 255],
    ['q', 'nQueries', 1, 1000],
    ['w', 'waitNs', 1, 86_400],
    ['f', 'firstHop', 1, 255],
    ['p', 'basePort', 1, 65_535],
  ];
  for (const [c, key, min, max] of fields) {
    const v = optValue(g.opts, c);
    if (v === undefined) continue;
    const n = parseUint(v);
    if (n === null || n < min || n > max) {
      ctx.out(`traceroute6: invalid ${key === 'maxHops' ? 'hoplimit' : key === 'firstHop' ? 'firsthop' : key === 'nQueries' ? 'number of probes' : key === 'waitNs' ? 'wait' : 'port'} value.\n`);
      return EXIT.FAILURE;
    }
    opts[key] = key === 'waitNs' ? n * 1e9 : n;
  }
  const host = g.operands[0];
  return resolveHost6Then(ctx, host, (dst) => startTraceroute6(ctx.stack, { ...opts, dst: dst.addr, hostText: host, nameOf: (a) => nodeNameOf6(ctx.world, a) }, ctx.out, ctx.finish, ctx.gate()), () => {
    ctx.out(`traceroute6: hostname nor servname provided, or not known\n`);
    return EXIT.FAILURE;
  });
}

export const traceroute6Command: CommandSpec = { name: 'traceroute6', summary: 'print the route IPv6 packets take to a network host', needsStack: true, run: traceroute6Run };

function ndpRun(ctx: CommandContext, args: string[]): number {
  const flags = new Set(args.filter((a) => a.startsWith('-')).flatMap((a) => [...a.slice(1)]));
  if (flags.has('c')) {
    nd6Flush(ctx.stack);
    return EXIT.OK;
  }
  if (flags.has('r')) {
    ctx.lines(nd6RouterLines(ctx.stack));
    return EXIT.OK;
  }
  if (flags.has('p')) {
    ctx.lines(nd6PrefixLines(ctx.stack));
    return EXIT.OK;
  }
  if (!flags.has('a')) {
    ctx.lines(['usage: ndp [-nt] hostname', '       ndp [-nt] -a | -c | -p | -r | -H | -P | -R', '       ndp [-nt] -A wait']);
    return EXIT.FAILURE;
  }
  ctx.lines([NDP_HEADER, ...nd6OwnLines(ctx.stack), ...nd6List(ctx.stack).map((e) => e.text)]);
  return EXIT.OK;
}

/** `rtadvd [-c FILE] IF…`: the router advertisement daemon, running until the node stops (like ripd), configured by /etc/rtadvd.conf when present. */
function rtadvdRun(ctx: CommandContext, args: string[]): number {
  const c = args.indexOf('-c');
  const confFile = c >= 0 ? args[c + 1] : RTADVD_CONF;
  const ifs = args.filter((a, k) => !a.startsWith('-') && !(c >= 0 && k === c + 1));
  if (ifs.length === 0) {
    ctx.lines(['usage: rtadvd [-dDfRs] [-c configfile] [-C ctlsock] [-M ifname] [-p pidfile] interface ...']);
    return EXIT.FAILURE;
  }
  if (ctx.node.rtadvd?.running) {
    ctx.lines(['rtadvd: pidfile_open() failed: another rtadvd is already running']);
    return EXIT.FAILURE;
  }
  const text = ctx.node.files?.read(confFile);
  // rtadvd runs on defaults without its configuration file; -c names one that must exist.
  if (typeof text !== 'string' && c >= 0) {
    ctx.lines([`rtadvd: ${confFile}: No such file or directory`]);
    return EXIT.FAILURE;
  }
  const parsed = typeof text === 'string' ? parseRtadvdConf(text, confFile) : { ok: true as const, conf: new Map() };
  if (!parsed.ok) {
    ctx.lines([`rtadvd: ${parsed.message}`]);
    return EXIT.FAILURE;
  }
  const d = startRtadvd(ctx.stack, ifs, parsed.conf);
  if (typeof d === 'string') {
    ctx.lines([d]);
    return EXIT.FAILURE;
  }
  ctx.node.rtadvd = d;
  // A daemon of its node from now on (ps, kill, killall rtadvd).
  runDaemonProc(ctx.node, 'rtadvd', ['rtadvd', ...args].join(' '), ctx.world.sim.now(), () => {
    endProc(ctx.node, procList(ctx.node).find((p) => p.name === 'rtadvd'));
    stopRtadvd(d);
  });
  return EXIT.OK;
}

export const rtadvdCommand: CommandSpec = { name: 'rtadvd', summary: 'router advertisement daemon', needsStack: true, run: rtadvdRun };

/** `rtsol IF…`: router solicitations (up to 3, 4 s apart, until an RA comes). */
function rtsolRun(ctx: CommandContext, args: string[]): number {
  const ifs = args.filter((a) => !a.startsWith('-'));
  if (ifs.length === 0) {
    ctx.lines(['usage: rtsol [-dDF] interface ...']);
    return EXIT.FAILURE;
  }
  const idx: number[] = [];
  for (const n of ifs) {
    const r = nd6Rtsol(ctx.stack, n);
    if (!r.ok) {
      ctx.lines([`rtsol: ${n}: ${r.message}`]);
      return EXIT.FAILURE;
    }
    idx.push(ctx.stack.ifaces.findIndex((i) => i.name === n));
  }
  // The RA's RDNSS/DNSSL options go to /etc/resolv.conf (rtsold's resolvconf hook).
  rtsolDnsListen(ctx.stack, nodeFiles(ctx.node), idx, () => {});
  return EXIT.OK;
}

export const rtsolCommand: CommandSpec = { name: 'rtsol', summary: 'send IPv6 router solicitation messages', needsStack: true, run: rtsolRun };

export const ndpCommand: CommandSpec = { name: 'ndp', summary: 'control/diagnose IPv6 neighbor discovery (-an)', needsStack: true, run: ndpRun };

/** ifconfig's inet6 lines for `iface`, spliced after its inet lines, and its nd6 options line. */
export function withInet6Lines(stack: NetStack, iface: Iface, lines: string[]): string[] {
  in6Loopback(stack);
  const i6 = stack.inet6?.ifs[iface.index];
  const v6 = (i6?.addrs ?? []).map((a) => {
    const ll = isIpv6LinkScope(a.addr);
    const text = ll ? `${formatIpv6(a.addr)}%${iface.name}` : formatIpv6(a.addr);
    const state = a.state === 'preferred' ? '' : ` ${a.state}`;
    return `\tinet6 ${text} prefixlen ${a.prefixLen}${state}${ll ? ` scopeid 0x${(iface.index + 1).toString(16)}` : ''}${nd6AutoconfText(stack, iface.index, a.key)}`;
  });
  let at = 0;
  lines.forEach((l, k) => {
    if (l.startsWith('\tinet ') || l.startsWith('\tether ') || l.startsWith('\toptions=')) at = k + 1;
  });
  // A stack that never had IPv6 keeps IPv4-only output (FreeBSD would add an IFDISABLED nd6 line).
  if (i6 === undefined) return lines;
  const nd6 = i6.disabled
    ? 'nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>'
    : nd6AcceptsRtadv(stack, iface.index)
      ? 'nd6 options=23<PERFORMNUD,ACCEPT_RTADV,AUTO_LINKLOCAL>'
      : 'nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>';
  return [...lines.slice(0, at), ...v6, ...lines.slice(at), `\t${iface.loopback ? 'nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>' : nd6}`];
}

/** `ifconfig IF inet6 ADDR[/LEN] [prefixlen N] [alias|-alias|delete]` (FreeBSD default prefix 64). */
export function ifconfigInet6(ctx: CommandContext, iface: Iface, words: string[]): number {
  // nd6 flags (`ifconfig eth0 inet6 -ifdisabled accept_rtadv`): no address operand.
  const nd6Flags = ['accept_rtadv', '-accept_rtadv', '-ifdisabled', 'ifdisabled', 'auto_linklocal', '-auto_linklocal'];
  if (words.length > 0 && words.every((w) => nd6Flags.includes(w))) {
    for (const w of words) {
      if (w === 'accept_rtadv' || w === '-accept_rtadv') {
        const r = nd6SetAcceptRtadv(ctx.stack, iface.name, w === 'accept_rtadv');
        if (!r.ok) return ifFail(ctx, `ioctl (SIOCSIFINFO_IN6): ${r.message}`);
      } else if (w === '-ifdisabled') in6Enable(ctx.stack, iface);
    }
    return EXIT.OK;
  }
  const c = words[0] === undefined ? null : parseIpv6Cidr(words[0].replace(/%[^/]*/, ''));
  if (c === null) return ifFail(ctx, `${words[0] ?? 'inet6'}: bad value`);
  let prefixLen = words[0].includes('/') ? c.prefixLen : 64;
  let remove = false;
  for (let k = 1; k < words.length; k++) {
    const w = words[k];
    if (w === 'prefixlen') {
      const n = parseUint(words[++k]);
      if (n === null || n > 128) return ifFail(ctx, `${words[k] ?? ''}: bad value`);
      prefixLen = n;
    } else if (w === '-alias' || w === 'delete' || w === 'remove') remove = true;
    else if (w !== 'alias' && w !== 'add') return ifFail(ctx, `${w}: bad value`);
  }
  const r = remove ? in6RemoveAddress(ctx.stack, iface.name, c.addr) : in6AddAddress(ctx.stack, iface.name, c.addr, prefixLen);
  if (!r.ok) return ifFail(ctx, `ioctl (${remove ? 'SIOCDIFADDR_IN6' : 'SIOCAIFADDR_IN6'}): ${r.message}`);
  return EXIT.OK;
}

function ifFail(ctx: CommandContext, m: string): number {
  ctx.out(`ifconfig: ${m}\n`);
  return EXIT.FAILURE;
}

/** `netstat -rn` sections: `-f inet` only IPv4, `-f inet6` only IPv6, else both (IPv6 when configured). */
export function netstatRouteSections(ctx: CommandContext, args: readonly string[], inet: () => string[]): string[] {
  const f = args.indexOf('-f');
  const fam = f >= 0 ? args[f + 1] : args.includes('-6') ? 'inet6' : args.includes('-4') ? 'inet' : undefined;
  in6Loopback(ctx.stack);
  const v6 = ['Internet6:', `${'Destination'.padEnd(33)} ${'Gateway'.padEnd(29)} Flags     Netif Expire`];
  if (ctx.stack.inet6 !== null) for (const r of route6List(ctx.stack)) v6.push(`${r.destText.padEnd(33)} ${r.gatewayText.padEnd(29)} ${r.flags.padEnd(6)}${r.iface.padStart(9)}`);
  if (fam === 'inet6') return ['Routing tables', '', ...v6];
  const v4 = inet();
  if (fam === 'inet' || ctx.stack.inet6 === null) return v4;
  return [...v4, '', ...v6];
}

const ROUTE_USAGE = 'usage: route [-46dnqtv] command [[modifiers] args]';

function parse6Dest(text: string | undefined, host: boolean): { addr: Ipv6Addr; prefixLen: number } | null {
  if (text === undefined) return null;
  if (text === 'default') return { addr: new Uint8Array(16), prefixLen: 0 };
  const c = parseIpv6Cidr(text);
  if (c === null) return null;
  return { addr: ipv6Network(c.addr, c.prefixLen), prefixLen: host ? 128 : c.prefixLen };
}

/** `route -6 add|delete|get …` (FreeBSD route(8) with -6 or `-inet6`). */
export function route6Command(ctx: CommandContext, words: string[]): number {
  const w = words.filter((x) => !['-6', '-inet6', '-n', '-q', '-v', '-net'].includes(x));
  const host = w.includes('-host');
  const pl = w.indexOf('-prefixlen');
  const prefixOverride = pl >= 0 ? parseUint(w[pl + 1]) : null;
  const rest = w.filter((x, k) => x !== '-host' && x !== '-prefixlen' && !(pl >= 0 && k === pl + 1));
  const [cmd, destText, gwText] = rest;
  if (cmd === 'get' || cmd === 'show') {
    const t = destText === undefined ? null : destText === 'default' ? { addr: new Uint8Array(16), zone: -1 } : resolveHost6(ctx, destText);
    if (t === null) return out(ctx, destText === undefined ? ROUTE_USAGE : `route: bad address: ${destText}`, EXIT.USAGE);
    const r = route6Lookup(ctx.stack, t.addr, t.zone);
    if (r === null) return out(ctx, 'route: route has not been found', EXIT.FAILURE);
    const flags = ['UP', ...(r.route.gateway ? ['GATEWAY'] : []), ...(r.route.prefixLen === 128 ? ['HOST'] : []), 'DONE', ...(r.route.kind === 'static' ? ['STATIC'] : [])];
    const mask = ipv6Network(Uint8Array.from({ length: 16 }, () => 0xff), r.route.prefixLen);
    ctx.lines([
      `   route to: ${formatIpv6(t.addr)}`,
      `destination: ${r.route.prefixLen === 0 ? 'default' : formatIpv6(r.route.dest)}`,
      `       mask: ${r.route.prefixLen === 0 ? 'default' : formatIpv6(mask)}`,
      ...(r.route.gateway ? [`    gateway: ${r.route.gatewayText}`] : []),
      '        fib: 0',
      `  interface: ${r.route.iface}`,
      `      flags: <${flags.join(',')}>`,
      ' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire',
      `       0         0         0         0      ${ctx.stack.ifaces[r.ifIndex]?.mtu ?? 1500}         1         0 `,
    ]);
    return EXIT.OK;
  }
  if (cmd !== 'add' && cmd !== 'delete' && cmd !== 'del') return out(ctx, cmd === undefined ? ROUTE_USAGE : `route: ${cmd}: unknown command\n${ROUTE_USAGE}`, EXIT.USAGE);
  const d = parse6Dest(destText, host);
  if (d === null) return out(ctx, destText === undefined ? ROUTE_USAGE : `route: bad address: ${destText}`, EXIT.USAGE);
  if (prefixOverride !== null) d.prefixLen = prefixOverride;
  const kind = d.prefixLen === 128 ? 'host' : 'net';
  const dText = d.prefixLen === 0 ? 'default' : d.prefixLen === 128 ? formatIpv6(d.addr) : `${formatIpv6(d.addr)}/${d.prefixLen}`;
  if (cmd === 'add') {
    const gw = gwText === undefined ? null : parseIpv6Scoped(gwText);
    if (gw === null) return out(ctx, gwText === undefined ? ROUTE_USAGE : `route: bad address: ${gwText}`, EXIT.USAGE);
    const r = route6Add(ctx.stack, { dest: d.addr, prefixLen: d.prefixLen, gateway: gw.addr, iface: gw.zone ?? undefined });
    if (!r.ok) return out(ctx, `route: writing to routing socket: ${errnoText(r.errno)}\nadd ${kind} ${dText}: gateway ${gwText} fib 0: ${r.message}`, EXIT.FAILURE);
    return out(ctx, `add ${kind} ${dText}: gateway ${gwText}`, EXIT.OK);
  }
  const r = route6Delete(ctx.stack, { dest: d.addr, prefixLen: d.prefixLen });
  if (!r.ok) return out(ctx, `route: writing to routing socket: ${errnoText(r.errno)}\ndelete ${kind} ${dText} fib 0: ${r.message}`, EXIT.FAILURE);
  return out(ctx, `delete ${kind} ${dText}`, EXIT.OK);
}

function out(ctx: CommandContext, text: string, code: number): number {
  ctx.out(text + '\n');
  return code;
}

/** `ip -6 addr|route|neigh` as iproute2 prints them. */
export function ip6Command(ctx: CommandContext, words: string[]): number {
  const [obj, cmd, ...rest] = words;
  const stack = ctx.stack;
  in6Loopback(stack);
  const show = cmd === undefined || 'show'.startsWith(cmd) || 'list'.startsWith(cmd);
  if (obj !== undefined && 'address'.startsWith(obj)) {
    if (show) {
      for (const i of stack.ifaces) {
        const addrs = in6Addrs(stack, i.index);
        if (addrs.length === 0) continue;
        ctx.out(`${i.index + 1}: ${i.name}: <${i.loopback ? 'LOOPBACK' : 'BROADCAST,MULTICAST'}${i.up ? ',UP' : ''}${i.up && i.carrier ? ',LOWER_UP' : ''}> mtu ${i.mtu} state ${i.loopback ? 'UNKNOWN' : i.up && i.carrier ? 'UP' : 'DOWN'} qlen 1000\n`);
        for (const a of addrs) {
          const scope = i.loopback && !isIpv6LinkLocal(a.addr) ? 'host' : isIpv6LinkLocal(a.addr) ? 'link' : 'global';
          const flags = a.state === 'tentative' ? ' tentative' : a.state === 'duplicated' ? ' dadfailed tentative' : '';
          // SLAAC addresses: Linux's `dynamic mngtmpaddr` and their remaining lifetimes.
          const lt = nd6AutoconfLifetimes(stack, i.index, a.key);
          const lft = (n: number) => (n === Number.POSITIVE_INFINITY ? 'forever' : `${n}sec`);
          const dyn = lt === null ? '' : ` dynamic mngtmpaddr${lt.preferredS === 0 ? ' deprecated' : ''}`;
          const times = lt === null ? 'valid_lft forever preferred_lft forever' : `valid_lft ${lft(lt.validS)} preferred_lft ${lft(lt.preferredS)}`;
          ctx.out(`    inet6 ${formatIpv6(a.addr)}/${a.prefixLen} scope ${scope}${flags}${dyn} \n       ${times}\n`);
        }
      }
      return EXIT.OK;
    }
    const add = 'add'.startsWith(cmd);
    if (!add && !'delete'.startsWith(cmd)) return out(ctx, `Command "${cmd}" is unknown, try "ip address help".`, EXIT.FAILURE);
    const dev = rest[rest.indexOf('dev') + 1];
    const c = parseIpv6Cidr(rest[0] ?? '');
    if (c === null || rest.indexOf('dev') < 0 || dev === undefined) return out(ctx, `Error: inet6 prefix is expected rather than "${rest[0] ?? ''}".`, EXIT.FAILURE);
    const r = add ? in6AddAddress(stack, dev, c.addr, c.prefixLen) : in6RemoveAddress(stack, dev, c.addr);
    return r.ok ? EXIT.OK : out(ctx, `RTNETLINK answers: ${r.message}`, 2);
  }
  if (obj !== undefined && 'route'.startsWith(obj)) {
    if (show) {
      for (const r of route6List(stack)) {
        if (r.kind === 'local') continue;
        const dest = r.prefixLen === 0 ? 'default' : `${formatIpv6(r.dest)}/${r.prefixLen}`;
        const via = r.gateway ? ` via ${formatIpv6(r.gateway)}` : '';
        const proto = r.kind === 'static' ? 'static' : r.kind === 'ra' ? 'ra' : 'kernel';
        ctx.out(`${dest}${via} dev ${r.iface} proto ${proto} metric ${r.kind === 'connected' ? 256 : 1024} pref medium\n`);
      }
      return EXIT.OK;
    }
    const dev = rest.indexOf('dev') >= 0 ? rest[rest.indexOf('dev') + 1] : undefined;
    const via = rest.indexOf('via') >= 0 ? parseIpv6(rest[rest.indexOf('via') + 1] ?? '') : null;
    const d = parse6Dest(rest[0], false);
    if (d === null) return out(ctx, `Error: inet6 prefix is expected rather than "${rest[0] ?? ''}".`, EXIT.FAILURE);
    const r = 'add'.startsWith(cmd) ? route6Add(stack, { dest: d.addr, prefixLen: d.prefixLen, gateway: via ?? undefined, iface: dev }) : route6Delete(stack, { dest: d.addr, prefixLen: d.prefixLen });
    return r.ok ? EXIT.OK : out(ctx, `RTNETLINK answers: ${r.errno === 'EEXIST' ? 'File exists' : r.errno === 'ESRCH' ? 'No such process' : r.message}`, 2);
  }
  if (obj !== undefined && ('neighbour'.startsWith(obj) || 'neighbor'.startsWith(obj))) {
    for (const e of nd6List(stack)) {
      const ll = e.mac === null ? '' : ` lladdr ${formatMac(e.mac)}`;
      ctx.out(`${formatIpv6(e.addr)} dev ${e.iface}${ll}${e.isRouter ? ' router' : ''} ${e.state === 'INCOMPLETE' ? 'INCOMPLETE' : e.state}\n`);
    }
    return EXIT.OK;
  }
  return out(ctx, `Object "${obj ?? ''}" is unknown, try "ip help".`, EXIT.FAILURE);
}
