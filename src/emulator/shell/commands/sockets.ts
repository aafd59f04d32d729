// Socket tables in FreeBSD's layouts: `netstat -a[n]` rows ("Active Internet connections")
// and the `sockstat` command (-4, -l, -c, -s). Reads the stack's TCP and UDP tables; changes
// nothing. sockstat names the program holding each TCP socket (its user, command, PID and
// descriptor); a socket no program holds (closed but lingering, as in TIME_WAIT) and UDP
// sockets, whose holders are not tracked yet, get FreeBSD's `?`.

import { tcpSocketList, TCP_STATE, type SocketOwner, type TcpSocketRow } from '../../stack/tcp';
import type { NetStack } from '../../stack/types';
import { formatIpv4 } from '../../wire/addr';
import { formatIpv6 } from '../../wire/ipv6-addr';
import { getopt } from '../getopt';
import { liveOwner, udpOwner } from '../../node/procs';
import { EXIT, type CommandContext, type CommandSpec } from '../types';

interface SockRow {
  proto: TcpSocketRow['proto'] | 'udp4' | 'udp6';
  local: string;
  foreign: string;
  localColon: string;
  foreignColon: string;
  state: string;
  recvQ: number;
  sendQ: number;
  listening: boolean;
  owner: SocketOwner | null;
}

function endpoint(addr: number, port: number, sep: string, addr6?: Uint8Array): string {
  const a = addr6 !== undefined ? formatIpv6(addr6) : addr === 0 ? '*' : formatIpv4(addr);
  return `${a}${sep}${port === 0 ? '*' : port}`;
}

function rows(node: CommandContext['node'], stack: NetStack): SockRow[] {
  const out: SockRow[] = [];
  const tcp = (r: TcpSocketRow): SockRow => ({
    proto: r.proto,
    local: endpoint(r.localAddr, r.localPort, '.', r.local6),
    foreign: endpoint(r.remoteAddr, r.remotePort, '.', r.remote6),
    localColon: endpoint(r.localAddr, r.localPort, ':', r.local6),
    foreignColon: endpoint(r.remoteAddr, r.remotePort, ':', r.remote6),
    state: r.state,
    recvQ: r.recvQ,
    sendQ: r.sendQ,
    listening: r.state === TCP_STATE.LISTEN,
    owner: liveOwner(node, r.owner),
  });
  // Connections first, newest last; then listeners, as FreeBSD lists its pcb hash.
  const all = tcpSocketList(stack);
  for (const r of all) if (r.state !== TCP_STATE.LISTEN) out.push(tcp(r));
  for (const r of all) if (r.state === TCP_STATE.LISTEN) out.push(tcp(r));
  const udp = (proto: 'udp4' | 'udp6', family: 4 | 6, port: number): SockRow => ({
    proto, local: `*.${port}`, foreign: '*.*', localColon: `*:${port}`, foreignColon: '*:*', state: '', recvQ: 0, sendQ: 0, listening: true, owner: liveOwner(node, udpOwner(node, family, port)),
  });
  for (const port of stack.udp?.keys() ?? []) out.push(udp('udp4', 4, port));
  for (const port of stack.inet6?.udp?.keys() ?? []) out.push(udp('udp6', 6, port));
  return out;
}

/** `netstat -a` / `netstat -an` (and without -a: connections only, no servers). */
export function netstatSockets(ctx: CommandContext, all: boolean): string[] {
  const out = [all ? 'Active Internet connections (including servers)' : 'Active Internet connections', 'Proto Recv-Q Send-Q Local Address          Foreign Address        (state)'];
  for (const r of rows(ctx.node, ctx.stack)) {
    if (!all && r.listening) continue;
    out.push(`${r.proto.padEnd(5)} ${String(r.recvQ).padStart(6)} ${String(r.sendQ).padStart(6)} ${r.local.padEnd(22)} ${r.foreign.padEnd(22)} ${r.state}`.trimEnd());
  }
  return out;
}

/** The tcp: block of `netstat -s` (FreeBSD's wording for the counters the stack keeps). */
export function netstatTcpStats(ctx: CommandContext): string[] {
  const s = ctx.stack.tcp?.stats;
  if (s === undefined) return ['tcp:', '\t0 packets sent', '\t0 packets received'];
  return [
    'tcp:',
    `\t${s.sndTotal} packets sent`,
    `\t\t${s.sndBytes} data bytes sent`,
    `\t\t${s.sndRexmitPack} data packets (${s.sndRexmitBytes} bytes) retransmitted`,
    `\t\t${s.sndRexmitBad} data packets unnecessarily retransmitted`,
    `\t\t${s.sndAcks} ack-only packets`,
    `\t${s.rcvTotal} packets received`,
    `\t\t${s.rcvBytes} bytes received in sequence or out of order`,
    `\t\t${s.rcvDupPack} completely duplicate packets`,
    `\t\t${s.rcvOooPack} out-of-order packets`,
    `\t\t${s.rcvAfterWin} packets of data after window`,
    `\t\t${s.rcvBadSum} discarded for bad checksums`,
    `\t${s.connAttempts} connection requests`,
    `\t${s.accepts} connection accepts`,
    `\t${s.connects + s.accepts} connections established (including accepts)`,
    `\t${s.drops} connections dropped`,
    `\t${s.rexmtTimeouts} retransmit timeouts`,
    `\t${s.fastRetransmits} fast retransmits`,
    `\t${s.listenOverflows} listen queue overflows`,
    `\t${s.rstsSent} resets sent`,
  ];
}

function sockstat(ctx: CommandContext, args: string[]): number {
  const g = getopt('sockstat', args, '46clsu');
  if (!g.ok || g.operands.length > 0) {
    ctx.lines([...(g.ok ? [] : [g.error]), 'usage: sockstat [-46cilsuv] [-j jid] [-p ports] [-P protocols]']);
    return EXIT.USAGE;
  }
  const o = g.opts;
  const states = o.has('s');
  let header = 'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      ';
  if (states) header += ' PATH STATE   CONN STATE     ';
  const out = [header.trimEnd()];
  for (const r of rows(ctx.node, ctx.stack)) {
    if (o.has('4') && !o.has('6') && (r.proto === 'tcp6' || r.proto === 'udp6')) continue;
    if (o.has('6') && !o.has('4') && (r.proto === 'tcp4' || r.proto === 'udp4')) continue;
    if (o.has('l') && !o.has('c') && !r.listening) continue;
    if (o.has('c') && !o.has('l') && r.listening) continue;
    const h = r.owner;
    const who = h !== null ? ['root', h.proc.name, String(h.proc.pid), String(h.fd)] : ['?', '?', '?', '?'];
    let line = `${who[0].padEnd(8)} ${who[1].padEnd(10)} ${who[2].padEnd(5)} ${who[3].padEnd(3)} ${r.proto.padEnd(6)} ${r.localColon.padEnd(21)} ${r.foreignColon.padEnd(21)}`;
    if (states) line += `${''.padEnd(13)} ${r.state}`;
    out.push(line.trimEnd());
  }
  ctx.lines(out);
  return EXIT.OK;
}

export const sockstatCommand: CommandSpec = { name: 'sockstat', summary: 'list open sockets (-4, -l listening, -c connected, -s states)', needsStack: true, run: sockstat };
