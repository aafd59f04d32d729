import { describe, expect, it } from 'vitest';
import type { Decision, DecisionStep } from '../stack/explain';
import { explainSentence, icmpErrorName, packetPhrase } from './explain-text';

const echo = { node: 'n2', proto: 'icmp' as const, summary: 'Echo (ping) request  id=0x1, seq=0/0, ttl=63' };
const back: Extract<DecisionStep, { kind: 'route' }> = { kind: 'route', layer: 'network', family: 4, dst: '10.1.0.20', matched: { prefix: '10.1.0.0/24', gateway: '10.0.12.1', iface: 'eth0', kind: 'static' }, losers: [], losersOmitted: 0 };

describe('explain sentences', () => {
  it('no route: the issue\'s sentence, the drop not repeated after the ICMP error', () => {
    const d: Decision = {
      node: 'router2',
      in: 'eth0',
      steps: [
        { kind: 'route', layer: 'network', family: 4, dst: '10.9.9.9', matched: null, losers: [], losersOmitted: 0 },
        { kind: 'icmp-error', layer: 'network', type: 3, code: 0, to: '10.1.0.20' },
        back,
        { kind: 'neighbor', layer: 'link', proto: 'arp', iface: 'eth0', nextHop: '10.0.12.1', result: 'hit', mac: '42:00:aa:00:00:01' },
        { kind: 'drop', layer: 'network', reason: 'no-route' },
      ],
    };
    expect(explainSentence(echo, d)).toBe('router2 received the echo request on eth0, found no route to 10.9.9.9, and sent ICMP Destination Net Unreachable back to 10.1.0.20 via eth0.');
  });

  it('forwarding: route with the shorter prefixes it beat, TTL and checksum, ARP miss', () => {
    const d: Decision = {
      node: 'router1',
      in: 'eth0',
      steps: [
        {
          kind: 'route',
          layer: 'network',
          family: 4,
          dst: '10.0.1.20',
          matched: { prefix: '10.0.1.0/24', gateway: '10.0.12.2', iface: 'eth1', kind: 'static' },
          losers: [
            { prefix: '10.0.0.0/16', gateway: '10.0.12.2', iface: 'eth1', kind: 'static', why: 'shorter-prefix' },
            { prefix: '10.1.0.0/24', iface: 'eth0', kind: 'connected', why: 'no-match' },
          ],
          losersOmitted: 0,
        },
        { kind: 'ttl', layer: 'network', before: 64, after: 63, checksumBefore: '0xbf23', checksumAfter: '0xc023' },
        { kind: 'neighbor', layer: 'link', proto: 'arp', iface: 'eth1', nextHop: '10.0.12.2', result: 'miss', held: 1 },
      ],
    };
    expect(explainSentence(echo, d)).toBe(
      'router1 received the echo request on eth0, matched 10.0.1.20 to 10.0.1.0/24 via 10.0.12.2 on eth1 (longer than 10.0.0.0/16), ' +
        'decremented the TTL from 64 to 63 and updated the checksum (0xbf23 → 0xc023), and did not find 10.0.12.2 in its ARP cache, so it held the packet and sent an ARP request on eth1.',
    );
  });

  it('switch: learned and flooded a broadcast; forwarded a known unicast; VLAN named', () => {
    const arp = { node: 'sw1', proto: 'arp' as const, summary: 'Who has 10.0.0.21? Tell 10.0.0.20' };
    const flood: Decision = { node: 'sw1', in: 'e0', steps: [{ kind: 'switch', layer: 'link', inPort: 'e0', src: '42:00:aa:00:00:01', dst: 'ff:ff:ff:ff:ff:ff', learned: true, result: 'flood', outPorts: ['e1', 'e2'], vlan: 5 }] };
    expect(explainSentence(arp, flood)).toBe('sw1 received the ARP request on e0 and learned 42:00:aa:00:00:01 on e0 in VLAN 5, flooded it to e1, e2 in VLAN 5 (a broadcast).');
    const fwd: Decision = { node: 'sw1', in: 'e1', steps: [{ kind: 'switch', layer: 'link', inPort: 'e1', src: '42:00:aa:00:00:02', dst: '42:00:aa:00:00:01', learned: true, result: 'forward', outPorts: ['e0'] }] };
    expect(explainSentence({ ...arp, summary: '10.0.0.21 is at 42:00:aa:00:00:02' }, fwd)).toBe(
      'sw1 received the ARP reply on e1 and learned 42:00:aa:00:00:02 on e1, found 42:00:aa:00:00:01 on e0 in its MAC table and forwarded it there.',
    );
  });

  it('delivery, firewall, NAT, and a send of the node\'s own', () => {
    const tcp = { node: 'pc2', proto: 'tcp' as const, summary: '40000 → 23 [SYN]' };
    const none: Decision = { node: 'pc2', in: 'eth0', steps: [{ kind: 'local', layer: 'network', dst: '10.0.1.20', iface: 'eth0', broadcast: false }, { kind: 'deliver', layer: 'transport', proto: 'tcp', socket: null, why: 'no socket on that port: answered with a reset' }] };
    expect(explainSentence(tcp, none)).toBe('pc2 received the TCP segment on eth0, saw it was addressed to itself (10.0.1.20), and found no TCP socket for it (no socket on that port: answered with a reset).');
    const fw: Decision = {
      node: 'r1',
      in: 'eth0',
      steps: [
        { kind: 'firewall', layer: 'network', dir: 'in', rule: 100, ruleText: '00100 deny icmp from any to 10.0.1.20', verdict: 'deny' },
        { kind: 'drop', layer: 'network', reason: 'firewall', rule: 100 },
      ],
    };
    expect(explainSentence(echo, fw)).toBe('r1 received the echo request on eth0, matched firewall rule 00100 deny icmp from any to 10.0.1.20 (denied), and dropped it (firewall, rule 100).');
    const nat: Decision = { node: 'r1', in: 'eth1', steps: [{ kind: 'nat', layer: 'network', dir: 'out', before: '10.0.0.20:5000 → 8.8.8.8:53', after: '192.0.2.1:5000 → 8.8.8.8:53' }] };
    expect(explainSentence({ node: 'r1', proto: 'udp', summary: 'x' }, nat)).toBe('r1 received the UDP datagram on eth1 and translated 10.0.0.20:5000 → 8.8.8.8:53 to 192.0.2.1:5000 → 8.8.8.8:53 (NAT).');
    const own: Decision = { node: 'pc1', steps: [{ ...back, dst: '10.0.1.20' }, { kind: 'neighbor', layer: 'link', proto: 'arp', iface: 'eth0', nextHop: '10.0.12.1', result: 'hit', mac: '42:00:aa:00:00:01' }] };
    expect(explainSentence({ node: 'pc1', proto: 'arp', summary: 'Who has' }, own)).toBe('pc1 sent a packet to 10.0.1.20, matched 10.0.1.20 to 10.1.0.0/24 via 10.0.12.1 on eth0, and found 10.0.12.1 at 42:00:aa:00:00:01 in its ARP cache.');
  });

  it('hub and ARP answers', () => {
    const arp = { node: 'pc2', proto: 'arp' as const, summary: 'Who has 10.0.0.21? Tell 10.0.0.20' };
    const d: Decision = { node: 'pc2', in: 'eth0', steps: [{ kind: 'arp-answer', layer: 'link', iface: 'eth0', ip: '10.0.0.21', mac: '42:00:aa:00:00:02', to: '10.0.0.20' }] };
    expect(explainSentence(arp, d)).toBe('pc2 received the ARP request on eth0 and answered 10.0.0.20 that 10.0.0.21 is at 42:00:aa:00:00:02.');
    const hub: Decision = { node: 'hub1', in: 'e0', steps: [{ kind: 'repeat', layer: 'link', inPort: 'e0', outPorts: ['e1', 'e2'] }] };
    expect(explainSentence(arp, hub)).toBe('hub1 received the ARP request on e0 and repeated it out of e1, e2 (a hub reads nothing).');
  });

  it('names ICMP errors and packets', () => {
    expect(icmpErrorName(3, 3)).toBe('Destination Port Unreachable');
    expect(icmpErrorName(11, 0)).toBe('Time Exceeded');
    expect(icmpErrorName(3, 99)).toBe('Destination Unreachable (code 99)');
    expect(packetPhrase({ proto: 'other', summary: '' })).toBe('the frame');
    expect(explainSentence(echo, { node: 'x', in: 'eth0', steps: [] })).toBe('x received the echo request on eth0.');
  });
});
