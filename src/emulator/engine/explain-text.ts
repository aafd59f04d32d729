// The sentence a student reads for one decision (simulation mode's explain view and the
// CLI's --trace file): "router2 received the echo request on eth0, found no route to
// 10.9.9.9, and sent ICMP Destination Net Unreachable back to 10.1.0.20 via eth0."
// Pure: built only from the decision data (stack/explain.ts) and the event; never reads
// a stack. ICMP names as RFC 792 and Wireshark give them.

import type { Decision, DecisionStep, RouteRef } from '../stack/explain';
import type { TrafficEvent } from './protocol';

const UNREACH: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  4: 'Fragmentation Needed',
  9: 'Destination Net Administratively Prohibited',
  10: 'Destination Host Administratively Prohibited',
  13: 'Communication Administratively Prohibited',
};

/** ICMP error name (type 3 by code; 11 Time Exceeded; others by number). */
export function icmpErrorName(type: number, code: number): string {
  if (type === 3) return UNREACH[code] ?? `Destination Unreachable (code ${code})`;
  if (type === 11) return code === 1 ? 'Time Exceeded (fragment reassembly)' : 'Time Exceeded';
  if (type === 12) return 'Parameter Problem';
  return `type ${type} code ${code}`;
}

/** "the echo request", "the ARP request", "the TCP segment" … from the event's protocol and summary. */
export function packetPhrase(e: Pick<TrafficEvent, 'proto' | 'summary'>): string {
  const s = e.summary;
  if (/Echo \(ping\) request/.test(s)) return 'the echo request';
  if (/Echo \(ping\) reply/.test(s)) return 'the echo reply';
  if (/^Who has|ARP.*request/i.test(s)) return 'the ARP request';
  if (/ is at |ARP.*reply/i.test(s)) return 'the ARP reply';
  if (/^ARP Announcement/.test(s)) return 'the ARP announcement';
  if (/^Neighbor Solicitation/.test(s)) return 'the neighbor solicitation';
  if (/^Neighbor Advertisement/.test(s)) return 'the neighbor advertisement';
  if (/^Router (Solicitation|Advertisement)/.test(s)) return `the ${s.startsWith('Router S') ? 'router solicitation' : 'router advertisement'}`;
  switch (e.proto) {
    case 'icmp':
      return 'the ICMP message';
    case 'tcp':
      return 'the TCP segment';
    case 'udp':
      return 'the UDP datagram';
    case 'dhcp':
      return 'the DHCP message';
    case 'dns':
      return 'the DNS message';
    case 'arp':
      return 'the ARP packet';
    case 'ipv4':
    case 'ipv6':
      return 'the packet';
    case 'other':
      return 'the frame';
    default:
      return (e.proto satisfies never, 'the frame');
  }
}

function routeText(r: RouteRef): string {
  return `${r.prefix}${r.gateway ? ` via ${r.gateway}` : ''} on ${r.iface}`;
}

/** One clause per step; `i` advances past steps a clause consumed (the route and ARP of a reply). */
function clause(steps: readonly DecisionStep[], i: number, out: string[]): number {
  const s = steps[i];
  switch (s.kind) {
    case 'route': {
      if (s.matched === null) out.push(`found no route to ${s.dst}`);
      else {
        const beaten = s.losers.filter((l) => l.why === 'shorter-prefix').map((l) => l.prefix);
        const distance = s.losers.filter((l) => l.why === 'higher-distance').map((l) => `${l.kind} ${l.prefix}`);
        const notes = [beaten.length ? `longer than ${beaten.join(', ')}` : '', distance.length ? `preferred to ${distance.join(', ')}` : ''].filter((t) => t !== '');
        out.push(`matched ${s.dst} to ${routeText(s.matched)}${notes.length ? ` (${notes.join('; ')})` : ''}`);
      }
      return i + 1;
    }
    case 'icmp-error':
    case 'echo-reply': {
      let text = s.kind === 'echo-reply' ? `answered with an echo reply to ${s.to}` : `sent ICMP ${icmpErrorName(s.type, s.code)} back to ${s.to}`;
      let j = i + 1;
      const back = steps[j];
      if (back?.kind === 'route') {
        text += back.matched === null ? ` (but had no route back)` : ` via ${back.matched.iface}`;
        j++;
        const n = steps[j];
        if (n?.kind === 'neighbor' && n.result === 'hit') j++;
      }
      out.push(text);
      return j;
    }
    case 'local':
      out.push(s.broadcast ? `accepted it as a broadcast for itself` : `saw it was addressed to itself (${s.dst})`);
      return i + 1;
    case 'ttl':
      out.push(`decremented the TTL from ${s.before} to ${s.after} and updated the checksum (${s.checksumBefore} → ${s.checksumAfter})`);
      return i + 1;
    case 'neighbor': {
      const cache = s.proto === 'arp' ? 'ARP cache' : 'neighbor cache';
      const ask = s.proto === 'arp' ? 'an ARP request' : 'a neighbor solicitation';
      if (s.result === 'hit') out.push(`found ${s.nextHop} at ${s.mac} in its ${cache}`);
      else if (s.result === 'miss') out.push(`did not find ${s.nextHop} in its ${cache}, so it held the packet and sent ${ask} on ${s.iface}`);
      else if (s.result === 'pending') out.push(`is still waiting for ${s.nextHop} to answer, so it held the packet (${s.held ?? 1} waiting)`);
      else out.push(`knows ${s.nextHop} does not answer (${s.proto === 'arp' ? 'ARP' : 'NDP'} gave up)`);
      return i + 1;
    }
    case 'neighbor-learn':
      out.push(`learned that ${s.ip} is at ${s.mac}${s.released > 0 ? ` and sent the ${s.released === 1 ? 'packet' : `${s.released} packets`} it held` : ''}`);
      return i + 1;
    case 'switch': {
      const vlan = s.vlan !== undefined ? ` in VLAN ${s.vlan}` : '';
      const learned = s.learned ? `learned ${s.src} on ${s.inPort}${vlan}, ` : '';
      if (s.result === 'forward') out.push(`${learned}found ${s.dst} on ${s.outPorts[0]} in its MAC table and forwarded it there`);
      else if (s.result === 'filter') out.push(`${learned}filtered it (${s.dst} is on ${s.inPort}, where it came from)`);
      else {
        const why = s.dst === 'ff:ff:ff:ff:ff:ff' ? 'a broadcast' : /^.[13579bdf]/.test(s.dst) ? 'a multicast' : `${s.dst} is not in its MAC table`;
        out.push(`${learned}flooded it to ${s.outPorts.length ? s.outPorts.join(', ') : 'no other port'}${vlan} (${why})`);
      }
      return i + 1;
    }
    case 'repeat':
      out.push(`repeated it out of ${s.outPorts.length ? s.outPorts.join(', ') : 'no other port'} (a hub reads nothing)`);
      return i + 1;
    case 'arp-answer':
      out.push(`answered ${s.to} that ${s.ip} is at ${s.mac}`);
      return i + 1;
    case 'firewall':
      if (s.rule === null) out.push(`let it through the firewall (no rule matched)`);
      else out.push(`matched firewall rule ${s.ruleText} (${s.verdict === 'pass' ? 'allowed' : s.verdict === 'deny' ? 'denied' : s.verdict})`);
      return i + 1;
    case 'nat':
      out.push(`translated ${s.before} to ${s.after} (NAT)`);
      return i + 1;
    case 'deliver':
      out.push(s.socket !== null ? `handed it to ${s.socket}` : `found no ${s.proto.toUpperCase()} socket for it (${s.why ?? 'none'})`);
      return i + 1;
    case 'drop':
      out.push(s.rule !== undefined ? `dropped it (${s.reason}, rule ${s.rule})` : `dropped it (${s.reason})`);
      return i + 1;
    default:
      return (s satisfies never, i + 1);
  }
}

function joinClauses(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

/**
 * The sentence for `decision`, opened from the event it is shown with: "NODE received
 * WHAT on IFACE, …" when the decision began with a received frame, else "NODE sent WHAT, …".
 * A drop after an ICMP error is not repeated (the error says what happened).
 */
export function explainSentence(e: Pick<TrafficEvent, 'node' | 'proto' | 'summary'>, d: Decision): string {
  const parts: string[] = [];
  let i = 0;
  while (i < d.steps.length) i = clause(d.steps, i, parts);
  const answered = d.steps.some((s) => s.kind === 'icmp-error');
  const body = answered ? parts.filter((p) => !p.startsWith('dropped it (')) : parts;
  const who = d.node || e.node;
  const first = d.steps[0];
  // The node's own send: the frame shown may be the ARP request it caused, so name the destination.
  const opening = d.in !== undefined ? `${who} received ${packetPhrase(e)} on ${d.in}` : first?.kind === 'route' ? `${who} sent a packet to ${first.dst}` : `${who} sent ${packetPhrase(e)}`;
  if (body.length === 0) return `${opening}.`;
  return `${joinClauses([opening, ...body])}.`;
}

/** One step on its own, as a clause ("decremented the TTL from 64 to 63 …"), for the explain view's layers. */
export function stepText(s: DecisionStep): string {
  const out: string[] = [];
  clause([s], 0, out);
  return out[0] ?? '';
}
