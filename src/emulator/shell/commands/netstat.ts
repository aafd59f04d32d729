// The `netstat` command: -rn (routing table) and -i (interface counters, with the inet and
// inet6 address rows, -f FAMILY) in FreeBSD's column layout, plus -s [-p PROTO] (protocol statistics). Reads the stack; changes nothing.

import { ifaceList } from '../../stack/iface';
import { in6Addrs, in6Loopback } from '../../stack';
import { formatIpv6, ipv6Network, isIpv6LinkLocal, isIpv6Loopback } from '../../wire/ipv6-addr';
import { formatCidr, formatIpv4, formatMac, networkOf } from '../../wire/addr';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { netstatRouteSections } from './inet6';
import { netstatRoutes } from './route';
import { netstatSockets, netstatTcpStats } from './sockets';

const USAGE = [
  'usage: netstat [-46AaLnRSTWx] [-f protocol_family | -p protocol]',
  '               [-M core] [-N system]',
  '       netstat -i | -I interface [-46abdhnW] [-f address_family]',
  '       netstat -r [-46AnW] [-F fibnum] [-f address_family]',
  '       netstat -s [-46sz] [-f protocol_family | -p protocol]',
];

function row(cols: (string | number)[]): string {
  const [name, mtu, net, addr, ipk, ierr, idrop, opk, oerr, coll] = cols.map(String);
  return (
    `${name.slice(0, 5).padEnd(5)} ${mtu.padStart(5)} ${net.slice(0, 13).padEnd(13)} ${addr.slice(0, 17).padEnd(17)} ` +
    `${ipk.padStart(8)} ${ierr.padStart(5)} ${idrop.padStart(5)} ${opk.padStart(8)} ${oerr.padStart(5)} ${coll.padStart(5)}`
  );
}

/** Address families `netstat -i` shows: `-f inet|inet6|link`, `-4`, `-6` (all when none is given). */
type IfFamily = 'inet' | 'inet6' | 'link' | 'all';

function ifFamily(args: readonly string[]): IfFamily | { bad: string } {
  const f = args.indexOf('-f');
  if (f >= 0) {
    const fam = args[f + 1];
    if (fam === 'inet' || fam === 'inet6' || fam === 'link') return fam;
    return { bad: fam ?? '' };
  }
  return args.includes('-6') ? 'inet6' : args.includes('-4') ? 'inet' : 'all';
}

/** An IPv6 address as netstat prints it: link-local ones with their zone (`fe80::1%lo0`). */
function scoped6(a: Uint8Array, iface: string): string {
  return isIpv6LinkLocal(a) ? `${formatIpv6(a)}%${iface}` : formatIpv6(a);
}

export function netstatInterfaces(ctx: CommandContext, fam: IfFamily = 'all'): string[] {
  const out = ['Name    Mtu Network       Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll'];
  // lo0's ::1 and fe80::1%lo0 exist from the first tool that shows addresses (in6.ts).
  in6Loopback(ctx.stack);
  for (const i of ifaceList(ctx.stack)) {
    const c = i.counters;
    const link = `<Link#${i.index + 1}>`;
    if (fam === 'all' || fam === 'link') out.push(row([i.name, i.mtu, link, i.loopback ? i.name : formatMac(i.mac), c.rxPackets, c.errors, c.drops, c.txPackets, 0, 0]));
    if (fam === 'all' || fam === 'inet') {
      for (const a of i.addrs) {
        const net = i.loopback ? 'localhost' : formatCidr(networkOf(a.addr, a.prefixLen), a.prefixLen);
        const addr = i.loopback ? 'localhost' : formatIpv4(a.addr);
        out.push(row([i.name, '-', net, addr, c.rxPackets, '-', '-', c.txPackets, '-', '-']));
      }
    }
    if (fam === 'all' || fam === 'inet6') {
      // FreeBSD's inet6 rows: the prefix (`fe80::%em0/64`, `::1/128`) and the address, localhost for ::1.
      for (const a of in6Addrs(ctx.stack, i.index)) {
        const net = ipv6Network(a.addr, a.prefixLen);
        const netText = isIpv6LinkLocal(net) ? `${formatIpv6(net)}%${i.name}/${a.prefixLen}` : `${formatIpv6(net)}/${a.prefixLen}`;
        const addr = isIpv6Loopback(a.addr) ? 'localhost' : scoped6(a.addr, i.name);
        out.push(row([i.name, '-', netText, addr, c.rxPackets, '-', '-', c.txPackets, '-', '-']));
      }
    }
  }
  return out;
}

function stats(ctx: CommandContext): string[] {
  const s = ctx.stack.stats;
  return [
    'ip:',
    `\t${s.ipReceived} total packets received`,
    `\t${s.ipReassembled} packets reassembled ok`,
    `\t${s.ipDelivered} packets for this host`,
    `\t${s.ipForwarded} packets forwarded`,
    `\t${s.ipDropped} packets not forwardable or dropped`,
    `\t${s.ipSent} packets sent from this host`,
    `\t${s.ipFragmentsCreated} fragments created`,
    'icmp:',
    `\t${s.icmpSent} calls to icmp_error or messages sent`,
    `\t${s.icmpReceived} messages received`,
    `\t${s.icmpRateLimited} messages suppressed by rate limiting`,
    `\t${s.icmpNoRoute} no return route${s.icmpNoRoute === 1 ? '' : 's'}`,
    ...netstatTcpStats(ctx),
    'udp:',
    `\t${s.udpReceived} datagrams received`,
    `\t${s.udpSent} datagrams output`,
    'arp:',
    `\t${s.arpRequestsSent} ARP requests sent`,
    `\t${s.arpRepliesSent} ARP replies sent`,
    ...stats6(ctx),
  ];
}

/** FreeBSD's ip6 and icmp6 sections (ip6_stats, icmp6_stats), for a stack with IPv6. */
function stats6(ctx: CommandContext): string[] {
  const i6 = ctx.stack.inet6;
  if (i6 === null) return [];
  const s = i6.stats;
  return [
    'ip6:',
    `\t${s.received} total packets received`,
    `\t${s.delivered} packets for this host`,
    `\t${s.forwarded} packets forwarded`,
    `\t${s.sent} packets sent from this host`,
    'icmp6:',
    `\t${s.icmpSent} calls to icmp6_error or messages sent`,
    `\t${s.icmpRateLimited} errors not generated because of rate limitation`,
    `\t${s.icmpReceived} messages received`,
    '\tOutput histogram:',
    `\t\tneighbor solicitation: ${s.nsSent}`,
    `\t\tneighbor advertisement: ${s.naSent}`,
    `\t${s.dadDuplicates} duplicate address${s.dadDuplicates === 1 ? '' : 'es'} detected`,
  ];
}

/** `-p PROTO`: only that protocol's section (its `proto:` header line up to the next header). */
function protoSection(lines: readonly string[], proto: string): string[] | null {
  const at = lines.indexOf(`${proto}:`);
  if (at < 0) return null;
  let end = at + 1;
  while (end < lines.length && lines[end].startsWith('\t')) end++;
  return lines.slice(at, end);
}

function run(ctx: CommandContext, args: string[]): number {
  const flags = new Set(args.filter((a) => a.startsWith('-')).flatMap((a) => [...a.slice(1)]));
  for (const f of flags) {
    if (!'rnisaW46fp'.includes(f)) {
      ctx.lines([`netstat: illegal option -- ${f}`, ...USAGE]);
      return EXIT.USAGE;
    }
  }
  if (flags.has('r')) ctx.lines(netstatRouteSections(ctx, args, () => netstatRoutes(ctx)));
  else if (flags.has('i')) {
    const fam = ifFamily(args);
    if (typeof fam === 'object') {
      ctx.lines([`netstat: ${fam.bad}: unknown address family`]);
      return EXIT.FAILURE;
    }
    ctx.lines(netstatInterfaces(ctx, fam));
  } else if (flags.has('s')) {
    const p = args.indexOf('-p');
    if (p < 0) ctx.lines(stats(ctx));
    else {
      const proto = args[p + 1] ?? '';
      const section = protoSection(stats(ctx), proto);
      // FreeBSD netstat: errx(1, "%s: unknown or uninstrumented protocol").
      if (section === null) {
        ctx.lines([`netstat: ${proto}: unknown or uninstrumented protocol`]);
        return EXIT.FAILURE;
      }
      ctx.lines(section);
    }
  } else ctx.lines(netstatSockets(ctx, flags.has('a')));
  return EXIT.OK;
}

export const netstatCommand: CommandSpec = { name: 'netstat', summary: 'show network status (-rn routes, -i interfaces, -s statistics)', needsStack: true, run };
