// dhcrelay -i IFACE… SERVER…: a BOOTP/DHCP relay agent on a router. Requests heard on the
// client interfaces get giaddr (the receiving interface's address) and one more hop and go
// to each server by unicast; replies from a server go back out the interface owning giaddr
// on the client's link, to its MAC and offered address (or broadcast when it asks). Socket API and bpf only.
// RFC 1542 §4 (relay agent behaviour), RFC 2131 §4.1 (giaddr), hop limit 16 (RFC 1542 §4.1.1).

import { udpBind, udpSend } from '../../stack/udp';
import type { UdpDelivery } from '../../stack/types';
import { formatIpv4, type Ipv4Addr } from '../../wire/addr';
import { BOOTP_OP, buildDhcp, DHCP_SERVER_PORT, parseDhcp } from '../../wire/dhcp';
import { linkReply } from './dhcpd';
import { logLine, type Service, type ServiceHost } from './index';

const HOPS_MAX = 16;

interface Relay {
  host: ServiceHost;
  clientIfs: Set<number>;
  servers: Ipv4Addr[];
  log: string[];
  counters: { requests: number; replies: number; dropped: number };
}

export function startDhcrelay(host: ServiceHost, ifaces: string[], servers: Ipv4Addr[]): Service | { error: string } {
  if (servers.length === 0) return { error: 'dhcrelay: no servers specified.\nusage: dhcrelay [-i interface] … server …' };
  const clientIfs = new Set<number>();
  for (const name of ifaces) {
    const i = host.stack.ifaces.find((x) => x.name === name);
    if (i === undefined) return { error: `dhcrelay: interface ${name} does not exist` };
    if (i.addrs.length === 0) return { error: `dhcrelay: ${name}: no IPv4 address to use as giaddr` };
    clientIfs.add(i.index);
  }
  if (ifaces.length === 0) for (const i of host.stack.ifaces) if (!i.loopback && i.addrs.length > 0) clientIfs.add(i.index);
  const r: Relay = { host, clientIfs, servers, log: [], counters: { requests: 0, replies: 0, dropped: 0 } };
  const sock = udpBind(host.stack, DHCP_SERVER_PORT, (u) => input(r, u));
  if ('errno' in sock) return { error: `dhcrelay: Can't bind to dhcp address: Address already in use (UDP ${DHCP_SERVER_PORT})` };
  const names = [...clientIfs].map((k) => host.stack.ifaces[k].name);
  logLine(r.log, `Listening on ${names.join(', ')}; forwarding to ${servers.map(formatIpv4).join(', ')}`);
  return {
    key: 'dhcrelay',
    log: r.log,
    stop: () => sock.close(),
    status: () => [`relaying ${names.join(' ')} to ${servers.map(formatIpv4).join(' ')}`, `${r.counters.requests} requests, ${r.counters.replies} replies forwarded, ${r.counters.dropped} dropped`],
    inspect: () => ({
      kind: 'dhcrelay',
      title: 'dhcrelay',
      columns: ['Field', 'Value'],
      rows: [['Interfaces', names.join(', ')], ['Servers', servers.map(formatIpv4).join(', ')], ['Requests forwarded', String(r.counters.requests)], ['Replies forwarded', String(r.counters.replies)], ['Dropped', String(r.counters.dropped)]],
    }),
  };
}

function input(r: Relay, u: UdpDelivery): void {
  const m = parseDhcp(u.payload, 0, u.payload.length);
  if (typeof m === 'string') return void r.counters.dropped++;
  const stack = r.host.stack;
  if (m.op === BOOTP_OP.REQUEST) {
    if (!r.clientIfs.has(u.ifIndex) || m.hops >= HOPS_MAX) return void r.counters.dropped++;
    const giaddr = m.giaddr !== 0 ? m.giaddr : stack.ifaces[u.ifIndex].addrs[0]?.addr ?? 0;
    if (giaddr === 0) return void r.counters.dropped++;
    const payload = buildDhcp({ ...m, hops: m.hops + 1, giaddr });
    r.counters.requests++;
    for (const s of r.servers) udpSend(stack, { dst: s, dstPort: DHCP_SERVER_PORT, srcPort: DHCP_SERVER_PORT, payload });
    return;
  }
  if (m.op !== BOOTP_OP.REPLY) return void r.counters.dropped++;
  const out = stack.ifaces.find((i) => i.addrs.some((a) => a.addr === m.giaddr));
  if (out === undefined) return void r.counters.dropped++;
  r.counters.replies++;
  linkReply(stack, out.index, m.giaddr, m, u.payload);
}
