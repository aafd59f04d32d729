// The `netstat` command: -rn (routing table) and -i (interface counters) in FreeBSD's
// column layout, plus -s (protocol statistics). Reads the stack; changes nothing.

import { ifaceList } from '../../stack/iface';
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

export function netstatInterfaces(ctx: CommandContext): string[] {
  const out = ['Name    Mtu Network       Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll'];
  for (const i of ifaceList(ctx.stack)) {
    const c = i.counters;
    const link = `<Link#${i.index + 1}>`;
    out.push(row([i.name, i.mtu, link, i.loopback ? i.name : formatMac(i.mac), c.rxPackets, c.errors, c.drops, c.txPackets, 0, 0]));
    for (const a of i.addrs) {
      const net = i.loopback ? 'localhost' : formatCidr(networkOf(a.addr, a.prefixLen), a.prefixLen);
      const addr = i.loopback ? 'localhost' : formatIpv4(a.addr);
      out.push(row([i.name, '-', net, addr, c.rxPackets, '-', '-', c.txPackets, '-', '-']));
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
  ];
}

function run(ctx: CommandContext, args: string[]): number {
  const flags = new Set(args.filter((a) => a.startsWith('-')).flatMap((a) => [...a.slice(1)]));
  for (const f of flags) {
    if (!'rnisaW46f'.includes(f)) {
      ctx.lines([`netstat: illegal option -- ${f}`, ...USAGE]);
      return EXIT.USAGE;
    }
  }
  if (flags.has('r')) ctx.lines(netstatRouteSections(ctx, args, () => netstatRoutes(ctx)));
  else if (flags.has('i')) ctx.lines(netstatInterfaces(ctx));
  else if (flags.has('s')) ctx.lines(stats(ctx));
  else ctx.lines(netstatSockets(ctx, flags.has('a')));
  return EXIT.OK;
}

export const netstatCommand: CommandSpec = { name: 'netstat', summary: 'show network status (-rn routes, -i interfaces, -s statistics)', needsStack: true, run };
