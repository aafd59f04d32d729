// Scenario tests of the iptables front end (a translation onto the ipfw engine): filter
// chains with policies, conntrack states, REJECT vs DROP, -D/-I/-F, `iptables -L -n -v`
// as Linux prints it, bad rules, and -t nat MASQUERADE / DNAT.

import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { udpBind, udpSend, type UdpDelivery } from '../../src/emulator/stack';
import { builder, hostRouterHost } from './topologies';

const S = 1_000_000_000;
const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

function world() {
  const w = new World(hostRouterHost(), { seed: 3 });
  return { w, sh: (n: string, l: string) => runCommand(w, n, l) };
}

describe('iptables filter table', () => {
  it('a stateful FORWARD policy: LAN out, replies back by ctstate, nothing new in; -L -n -v as Linux prints it', () => {
    const { sh } = world();
    for (const l of [
      'iptables -P FORWARD DROP',
      'iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      'iptables -A FORWARD -i eth0 -o eth1 -j ACCEPT',
      'iptables -A INPUT -p udp --dport 53 -s 10.0.0.0/24 -j ACCEPT',
    ]) {
      expect(sh('router1', l)).toMatchObject({ exitCode: 0, output: '' });
    }
    expect(sh('pc1', 'ping -c 2 10.0.1.20').output).toContain('2 packets received');
    expect(sh('pc2', 'ping -c 2 -t 3 10.0.0.20').output).toContain('0 packets received');
    expect(sh('router1', 'iptables -L FORWARD -n -v').output).toBe(
      [
        'Chain FORWARD (policy DROP 2 packets, 168 bytes)',
        ' pkts bytes target     prot opt in     out     source               destination         ',
        // Both replies and the second request (same echo id: one conntrack entry) are ESTABLISHED.
        '    3   252 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate RELATED,ESTABLISHED',
        '    1    84 ACCEPT     all  --  eth0   eth1    0.0.0.0/0            0.0.0.0/0           ',
        '',
      ].join('\n'),
    );
    expect(sh('router1', 'iptables -L INPUT -n').output).toBe(
      [
        'Chain INPUT (policy ACCEPT)',
        'target     prot opt source               destination         ',
        'ACCEPT     udp  --  10.0.0.0/24          0.0.0.0/0            udp dpt:53',
        '',
      ].join('\n'),
    );
  });

  it('REJECT answers port unreachable, DROP is silent; -I, -D by spec and number, -F', () => {
    const { sh } = world();
    sh('router1', 'iptables -A FORWARD -p icmp -d 10.0.1.20 -j REJECT');
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('Destination Port Unreachable');
    sh('router1', 'iptables -I FORWARD 1 -p icmp -d 10.0.1.20 -j DROP');
    const out = sh('pc1', 'ping -c 1 -t 2 10.0.1.20').output;
    expect(out).not.toContain('Unreachable');
    expect(out).toContain('0 packets received');
    expect(sh('router1', 'iptables -D FORWARD -p icmp -d 10.0.1.20 -j DROP').exitCode).toBe(0);
    expect(sh('router1', 'iptables -D FORWARD -p icmp -d 10.0.1.20 -j DROP')).toMatchObject({ exitCode: 1, output: 'iptables: Bad rule (does a matching rule exist in that chain?).\n' });
    expect(sh('router1', 'iptables -D FORWARD 1').exitCode).toBe(0);
    expect(sh('pc1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
    sh('router1', 'iptables -A OUTPUT -j DROP');
    expect(sh('router1', 'ping -c 1 10.0.1.20').output).toContain('ping: sendto: Permission denied');
    sh('router1', 'iptables -F');
    expect(sh('router1', 'ping -c 1 10.0.1.20').output).toContain('1 packets received');
  });

  it('refuses bad rules with the iptables message and changes nothing', () => {
    const { sh } = world();
    const before = sh('router1', 'iptables -L -n').output;
    const try_ = "Try `iptables -h' or 'iptables --help' for more information.";
    expect(sh('router1', 'iptables -A FORWARD -j FROB')).toMatchObject({ exitCode: 2, output: `iptables v1.8.7 (nf_tables): Couldn't load target \`FROB':No such file or directory\n${try_}\n` });
    expect(sh('router1', 'iptables -A FORWARD --dport 80 -j DROP')).toMatchObject({ exitCode: 2, output: `iptables v1.8.7 (nf_tables): unknown option "--dport"\n${try_}\n` });
    expect(sh('router1', 'iptables -A FORWARD -s nowhere -j DROP')).toMatchObject({ exitCode: 2, output: `iptables v1.8.7 (nf_tables): host/network \`nowhere' not found\n${try_}\n` });
    expect(sh('router1', 'iptables -A NOPE -j DROP')).toMatchObject({ exitCode: 1, output: 'iptables: No chain/target/match by that name.\n' });
    // REJECT with a TCP reset on a non-TCP rule: the kernel refuses it (ipt_REJECT's check).
    expect(sh('router1', 'iptables -A FORWARD -p udp -j REJECT --reject-with tcp-reset')).toMatchObject({ exitCode: 1, output: "iptables: Invalid argument. Run `dmesg' for more information.\n" });
    expect(sh('router1', 'iptables -L -n').output).toBe(before);
  });
});

describe('iptables -t nat', () => {
  function office() {
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const gw = b.node('router', 'gw');
    const server = b.node('pc', 'server');
    b.link(pc1, gw, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
    b.link(gw, server, { aIp: '198.51.100.1/24', bIp: '198.51.100.20/24' });
    b.route(pc1, '0.0.0.0/0', '10.0.0.1');
    const w = new World(b.doc, { seed: 5 });
    return { w, sh: (n: string, l: string) => runCommand(w, n, l) };
  }

  it('MASQUERADE hides the LAN behind the outside address, with a FORWARD DROP policy', () => {
    const { w, sh } = office();
    sh('gw', 'iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE');
    sh('gw', 'iptables -P FORWARD DROP');
    sh('gw', 'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT');
    sh('gw', 'iptables -A FORWARD -i eth0 -o eth1 -j ACCEPT');
    const server = w.nodeByName('server')!.stack!;
    const seen: UdpDelivery[] = [];
    udpBind(server, 7, (d) => {
      seen.push(d);
      void udpSend(server, { dst: d.src, dstPort: d.srcPort, srcPort: 7, payload: d.payload });
    });
    const pc1 = w.nodeByName('pc1')!.stack!;
    const back: UdpDelivery[] = [];
    udpBind(pc1, 4000, (d) => void back.push(d));
    void udpSend(pc1, { dst: ip(198, 51, 100, 20), dstPort: 7, srcPort: 4000, payload: Uint8Array.of(1) });
    w.sim.runUntil(w.sim.now() + S);
    expect(seen.map((d) => [d.src, d.srcPort])).toEqual([[ip(198, 51, 100, 1), 4000]]);
    expect(back.map((d) => [d.src, d.srcPort])).toEqual([[ip(198, 51, 100, 20), 7]]);
    expect(sh('pc1', 'ping -c 1 198.51.100.20').output).toContain('1 packets received');
    // The outside cannot start anything toward the LAN.
    expect(sh('server', 'ping -c 1 -t 2 10.0.0.20').output).toContain('0 packets received');
  });

  it('DNAT publishes a LAN service on the outside address', () => {
    const { w, sh } = office();
    expect(sh('gw', 'iptables -t nat -A PREROUTING -i eth1 -p udp --dport 53 -j DNAT --to-destination 10.0.0.20:5353').exitCode).toBe(0);
    const pc1 = w.nodeByName('pc1')!.stack!;
    const atPc: UdpDelivery[] = [];
    udpBind(pc1, 5353, (d) => {
      atPc.push(d);
      void udpSend(pc1, { dst: d.src, dstPort: d.srcPort, srcPort: 5353, payload: Uint8Array.of(2) });
    });
    const server = w.nodeByName('server')!.stack!;
    const replies: UdpDelivery[] = [];
    udpBind(server, 3000, (d) => void replies.push(d));
    void udpSend(server, { dst: ip(198, 51, 100, 1), dstPort: 53, srcPort: 3000, payload: Uint8Array.of(1) });
    w.sim.runUntil(w.sim.now() + S);
    expect(atPc.map((d) => [d.src, d.dstPort])).toEqual([[ip(198, 51, 100, 20), 5353]]);
    expect(replies.map((d) => [d.src, d.srcPort])).toEqual([[ip(198, 51, 100, 1), 53]]);
  });
});
