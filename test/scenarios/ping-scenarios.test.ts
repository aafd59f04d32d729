// Scenario tests over whole worlds: what ping prints through LANs, routers, delays,
// loss, queues, fragmentation and failures, checked against values computed by hand.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { builder, hostRouterHost } from './topologies';
import { loadSample, recordTraffic, setAllLinks } from './samples';

/** Traffic events name nodes by id. */
function id(w: World, name: string): string {
  return w.nodeByName(name)!.id;
}

function replyTtls(output: string): number[] {
  return [...output.matchAll(/ttl=(\d+)/g)].map((m) => Number(m[1]));
}

function times(output: string): number[] {
  return [...output.matchAll(/time=(\d+\.\d{3}) ms/g)].map((m) => Number(m[1]));
}

describe('ping scenarios', () => {
  it('TTL 64 on a LAN, 63 through one router, 60 through four', () => {
    const lan = runCommand(new World(loadSample('two-pcs-switch.vnet')), 'pc1', 'ping -c 3 10.0.0.21');
    expect(replyTtls(lan.output)).toEqual([64, 64, 64]);
    const one = runCommand(new World(loadSample('pc-router-pc.vnet')), 'pc1', 'ping -c 3 10.0.1.20');
    expect(replyTtls(one.output)).toEqual([63, 63, 63]);
    const four = runCommand(new World(loadSample('router-chain-4.vnet')), 'pc1', 'ping -c 3 pc2');
    expect(four.output.split('\n')[0]).toBe('PING pc2 (10.0.4.20): 56 data bytes');
    expect(replyTtls(four.output)).toEqual([60, 60, 60]);
    expect(four.exitCode).toBe(0);
  });

  it('RTT is exactly 2 × (delay + serialization) per link crossed', () => {
    const delayUs = 5000;
    const bandwidthBps = 1_000_000;
    // 56 data bytes + 8 ICMP + 20 IPv4 + 14 Ethernet = 98-byte frames: 784 µs at 1 Mb/s.
    const perLinkNs = delayUs * 1000 + Math.ceil((98 * 8 * 1e9) / bandwidthBps);
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const pc2 = b.node('pc', 'pc2');
    b.link(pc1, pc2, { aIp: '10.0.0.20/24', bIp: '10.0.0.21/24', params: { delayUs, bandwidthBps } });
    const direct = runCommand(new World(b.doc), 'pc1', 'ping -c 3 10.0.0.21');
    // seq 0 also waits for ARP; seq 1 and 2 are pure round trips.
    expect(times(direct.output).slice(1)).toEqual([(2 * perLinkNs) / 1e6, (2 * perLinkNs) / 1e6]);
    expect(times(direct.output)[0]).toBeGreaterThan((2 * perLinkNs) / 1e6);
    const routed = runCommand(new World(hostRouterHost({ delayUs, bandwidthBps })), 'pc1', 'ping -c 3 10.0.1.20');
    expect(times(routed.output).slice(1)).toEqual([(4 * perLinkNs) / 1e6, (4 * perLinkNs) / 1e6]);
    expect(routed.output).toContain(`round-trip min/avg/max/stddev = ${((4 * perLinkNs) / 1e6).toFixed(3)}/`);
  });

  it('no route: local send error on a host, ICMP net unreachable from a router', () => {
    const w = new World(loadSample('two-pcs-switch.vnet'));
    const local = runCommand(w, 'pc1', 'ping -c 2 10.0.5.1');
    expect(local.output).toMatch(/ping: sendto: (Network is unreachable|No route to host)\n/);
    expect(local.output).toContain('2 packets transmitted, 0 packets received, 100.0% packet loss');
    expect(local.exitCode).toBe(2);
    const r = new World(loadSample('pc-router-pc.vnet'));
    const remote = runCommand(r, 'pc1', 'ping -c 1 10.0.9.9');
    expect(remote.output).toMatch(/\n\d+ bytes from router1 \(10\.0\.0\.1\): Destination Net Unreachable\nVr HL TOS/);
    expect(remote.exitCode).toBe(2);
  });

  it('absent host on the LAN: ARP times out and ping says Host is down', () => {
    const w = new World(loadSample('two-pcs-switch.vnet'));
    const events = recordTraffic(w);
    const r = runCommand(w, 'pc1', 'ping -c 8 10.0.0.99');
    expect(r.output).toContain('ping: sendto: Host is down\n');
    expect(r.output).toContain('8 packets transmitted, 0 packets received, 100.0% packet loss');
    expect(events.some((e) => e.action === 'drop' && e.reason === 'arp-timeout' && e.node === id(w, 'pc1'))).toBe(true);
    expect(runCommand(w, 'pc1', 'arp -an').output).toMatch(/10\.0\.0\.99/);
  });

  it('routing loop: Time to live exceeded from the router that saw TTL 1', () => {
    const b = builder();
    const pc = b.node('pc', 'pc1');
    const r1 = b.node('router', 'router1');
    const r2 = b.node('router', 'router2');
    b.link(pc, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
    b.link(r1, r2, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
    b.route(pc, '0.0.0.0/0', '10.0.0.1');
    b.route(r1, '10.9.0.0/16', '10.0.1.2');
    b.route(r2, '10.9.0.0/16', '10.0.1.1');
    b.route(r2, '10.0.0.0/24', '10.0.1.1');
    const w = new World(b.doc);
    const events = recordTraffic(w);
    const r = runCommand(w, 'pc1', 'ping -c 1 10.9.0.1');
    // TTL 64 leaves pc1; router1 sees 64, 62, …, 2 and router2 sees 63, …, 1: router2 answers.
    expect(r.output).toContain('92 bytes from router2 (10.0.1.2): Time to live exceeded\n');
    expect(events.filter((e) => e.action === 'drop' && e.reason === 'ttl-exceeded').map((e) => e.node)).toEqual([id(w, 'router2')]);
    const low = runCommand(w, 'pc1', 'ping -n -c 1 -m 2 10.9.0.1');
    expect(low.output).toContain('92 bytes from 10.0.1.2: Time to live exceeded\n');
    const lowest = runCommand(w, 'pc1', 'ping -c 1 -m 1 10.9.0.1');
    expect(lowest.output).toContain('92 bytes from router1 (10.0.0.1): Time to live exceeded\n');
  });

  it('100% loss link: every request times out', () => {
    const w = new World(setAllLinks(loadSample('pc-router-pc.vnet'), { lossPercent: 100 }));
    const events = recordTraffic(w);
    const r = runCommand(w, 'pc1', 'ping -c 4 10.0.1.20');
    expect(r.output).toContain('Request timeout for icmp_seq 2\n');
    expect(r.output).toContain('4 packets transmitted, 0 packets received, 100.0% packet loss\n');
    expect(r.exitCode).toBe(2);
    expect(events.filter((e) => e.action === 'drop' && e.reason === 'link-loss').length).toBeGreaterThan(0);
  });

  it('queue overflow: a burst into a slow link drops at the tail with queue-full', () => {
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const pc2 = b.node('pc', 'pc2');
    b.link(pc1, pc2, { aIp: '10.0.0.20/24', bIp: '10.0.0.21/24', params: { bandwidthBps: 64_000, queuePackets: 5 } });
    const w = new World(b.doc);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.21');
    // 1000-byte pings every 1 ms into 64 kb/s: each frame takes 131.5 ms to serialize.
    const r = runCommand(w, 'pc1', 'ping -q -c 40 -i 0.001 -s 1000 10.0.0.21');
    const m = /40 packets transmitted, (\d+) packets received/.exec(r.output);
    expect(m).not.toBeNull();
    const received = Number(m![1]);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(40);
    const drops = events.filter((e) => e.action === 'drop' && e.reason === 'queue-full');
    expect(drops.length).toBe(40 - received);
    expect(drops.every((e) => e.node === id(w, 'pc1'))).toBe(true);
  });

  it('fragmentation and reassembly: ping -s 3000 across a router', () => {
    const w = new World(loadSample('pc-router-pc.vnet'));
    const events = recordTraffic(w);
    const r = runCommand(w, 'pc1', 'ping -c 2 -s 3000 10.0.1.20');
    expect(r.output).toContain('3008 bytes from 10.0.1.20: icmp_seq=1 ttl=63');
    expect(r.output).toContain('2 packets received');
    // 3028-byte datagrams at MTU 1500: three fragments each way per echo.
    // (The sample is dual-stack: its DAD solicitations are IPv6, not counted here.)
    const txOnPc1 = events.filter((e) => e.action === 'tx' && e.node === id(w, 'pc1') && e.proto !== 'arp' && e.proto !== 'ipv6');
    expect(txOnPc1.length).toBe(6);
  });
});
