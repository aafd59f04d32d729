import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { hostRouterHost, lan } from './topologies';

describe('shell on a running world', () => {
  it('pings across a router with TTL 63 and TTL 64 on the LAN', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const r = runCommand(w, 'pc1', 'ping -c 3 10.0.1.20');
    expect(r.output).toMatch(/^PING 10\.0\.1\.20 \(10\.0\.1\.20\): 56 data bytes\n64 bytes from 10\.0\.1\.20: icmp_seq=0 ttl=63 time=\d+\.\d{3} ms\n/);
    expect(r.output).toContain('3 packets transmitted, 3 packets received, 0.0% packet loss');
    expect(r.exitCode).toBe(0);
    const l = runCommand(w, 'pc1', 'ping -c 1 10.0.0.1');
    expect(l.output).toContain('icmp_seq=0 ttl=64');
  });

  it('reports unknown commands and usage errors with sh/FreeBSD statuses', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    expect(runCommand(w, 'pc1', 'foo')).toMatchObject({ exitCode: 127, output: 'sh: foo: not found\n' });
    const u = runCommand(w, 'pc1', 'ping');
    expect(u.exitCode).toBe(64);
    expect(u.output).toMatch(/^usage: ping /);
    expect(runCommand(w, 'pc1', 'ping -c x 10.0.0.1')).toMatchObject({ exitCode: 64, output: "ping: invalid count of packets to transmit: `x'\n" });
    expect(runCommand(w, 'pc1', 'ping nosuchhost')).toMatchObject({ exitCode: 68, output: 'ping: cannot resolve nosuchhost: Unknown host\n' });
    expect(runCommand(w, 'pc1', 'echo "unterminated')).toMatchObject({ exitCode: 2 });
    expect(runCommand(w, 'pc1', 'hostname; false')).toMatchObject({ exitCode: 1, output: 'pc1\n' });
  });

  it('ifconfig shows FreeBSD format and changes addresses', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const r = runCommand(w, 'pc1', 'ifconfig eth0');
    expect(r.output).toBe(
      'eth0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n' +
        '\tether 42:00:aa:00:00:01\n' +
        '\tinet 10.0.0.20 netmask 0xffffff00 broadcast 10.0.0.255\n' +
        '\tmedia: Ethernet autoselect (1000baseT <full-duplex>)\n' +
        '\tstatus: active\n',
    );
    expect(runCommand(w, 'pc1', 'ifconfig eth0 inet 10.0.0.5 netmask 255.255.255.0 alias').exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain('\tinet 10.0.0.5 netmask 0xffffff00 broadcast 10.0.0.255\n');
    expect(runCommand(w, 'pc1', 'ifconfig eth0 10.0.0.5 -alias').exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).not.toContain('10.0.0.5');
    expect(runCommand(w, 'pc1', 'ifconfig eth0 mtu 1400; ifconfig eth0 down; ifconfig eth0').output).toContain('eth0: flags=8802<BROADCAST,SIMPLEX,MULTICAST> metric 0 mtu 1400');
    expect(runCommand(w, 'pc1', 'ifconfig eth9')).toMatchObject({ exitCode: 1, output: 'ifconfig: interface eth9 does not exist\n' });
    expect(runCommand(w, 'router1', 'ifconfig -l').output).toBe('eth0 eth1 lo0\n');
  });

  it('route add/get/delete and netstat -rn', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    expect(runCommand(w, 'pc1', 'route add -net 10.0.5.0/24 10.0.0.1')).toMatchObject({ exitCode: 0, output: 'add net 10.0.5.0/24: gateway 10.0.0.1\n' });
    const dup = runCommand(w, 'pc1', 'route add -net 10.0.5.0/24 10.0.0.1');
    expect(dup.exitCode).toBe(1);
    expect(dup.output).toContain('route: writing to routing socket: File exists\n');
    const g = runCommand(w, 'pc1', 'route get 10.0.5.7');
    expect(g.output).toContain('   route to: 10.0.5.7\ndestination: 10.0.5.0\n       mask: 255.255.255.0\n    gateway: 10.0.0.1\n');
    expect(g.output).toContain('  interface: eth0\n');
    expect(g.output).toMatch(/chosen: 10\.0\.5\.0\/24/);
    const n = runCommand(w, 'pc1', 'netstat -rn');
    expect(n.output).toContain('Destination        Gateway            Flags     Netif Expire\n');
    expect(n.output).toMatch(/\ndefault            10\.0\.0\.1           UGS        eth0\n/);
    // FreeBSD: the node's own address is a host route through lo0 whose gateway is eth0's link.
    expect(n.output).toContain('\n10.0.0.20          link#1             UHS         lo0\n');
    expect(n.output).toContain('\n127.0.0.1          link#2             UH          lo0\n');
    expect(runCommand(w, 'pc1', 'route delete 10.0.5.0/24')).toMatchObject({ exitCode: 0, output: 'delete net 10.0.5.0/24\n' });
    expect(runCommand(w, 'pc1', 'route delete 10.0.5.0/24').exitCode).toBe(1);
  });

  it('arp, sysctl, ip and netstat -i', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.1');
    const a = runCommand(w, 'pc1', 'arp -an');
    // FreeBSD lists the node's own address as a permanent entry beside what it learned.
    const own = '? (10.0.0.20) at 42:00:aa:00:00:01 on eth0 permanent [ethernet]\n';
    expect(a.output).toMatch(/^\? \(10\.0\.0\.1\) at 42:00:aa:00:00:02 on eth0 expires in \d+ seconds \[ethernet\]\n/);
    expect(a.output.endsWith(`seconds [ethernet]\n${own}`)).toBe(true);
    expect(runCommand(w, 'pc1', 'arp 10.0.0.20').output).toBe(own);
    expect(runCommand(w, 'pc1', 'arp -d 10.0.0.1').output).toBe('10.0.0.1 (10.0.0.1) deleted\n');
    expect(runCommand(w, 'pc1', 'arp -an').output).toBe(own);
    // arp -d -a deletes what was learned, never the node's own entries.
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.1');
    expect(runCommand(w, 'pc1', 'arp -d -a').output).toBe('10.0.0.1 (10.0.0.1) deleted\n');
    expect(runCommand(w, 'pc1', 'arp -an').output).toBe(own);
    expect(runCommand(w, 'router1', 'sysctl net.inet.ip.forwarding').output).toBe('net.inet.ip.forwarding: 1\n');
    expect(runCommand(w, 'router1', 'sysctl net.inet.ip.forwarding=0').output).toBe('net.inet.ip.forwarding: 1 -> 0\n');
    expect(runCommand(w, 'pc1', 'ping -c 1 -t 3 10.0.1.20').exitCode).toBe(2);
    expect(runCommand(w, 'pc1', 'ip addr show dev eth0').output).toContain('    inet 10.0.0.20/24 brd 10.0.0.255 scope global eth0\n');
    expect(runCommand(w, 'pc1', 'ip route').output).toContain('default via 10.0.0.1 dev eth0\n');
    expect(runCommand(w, 'pc1', 'ip route add 10.9.0.0/16 via 10.0.0.1').exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'ip r').output).toContain('10.9.0.0/16 via 10.0.0.1 dev eth0\n');
    expect(runCommand(w, 'pc1', 'ip link set eth0 down; ip link show eth0').output).toContain('state DOWN');
    expect(runCommand(w, 'pc1', 'netstat -i').output).toMatch(/^Name    Mtu Network       Address              Ipkts Ierrs Idrop    Opkts Oerrs  Coll\n/);
  });

  it('switch shell offers help, hostname and the MAC table; hub has no table', () => {
    const w = new World(lan('lanswitch'), { seed: 1 });
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.21');
    const t = runCommand(w, 'switch1', 'show mac-address-table');
    expect(t.output).toContain('42:00:aa:00:00:01  e0');
    expect(t.output).toContain('Total Mac Addresses: 3');
    expect(runCommand(w, 'switch1', 'ping 10.0.0.20')).toMatchObject({ exitCode: 127 });
    expect(runCommand(w, 'switch1', 'help').output).toContain('  show ');
    expect(runCommand(w, 'switch1', 'hostname').output).toBe('switch1\n');
    const h = new World(lan('hub'), { seed: 1 });
    expect(runCommand(h, 'hub1', 'show mac-address-table').exitCode).toBe(1);
  });

  it('usage lines and FreeBSD exit statuses for bad arguments', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    const t = runCommand(w, 'pc1', 'traceroute -m x 10.0.1.20');
    expect(t).toMatchObject({ exitCode: 1, output: 'traceroute: "x" bad value for max ttl\n' });
    expect(runCommand(w, 'pc1', 'traceroute').output).toMatch(/^Usage: traceroute \[-adDeFInrSvx\]/);
    expect(runCommand(w, 'pc1', 'traceroute nowhere')).toMatchObject({ exitCode: 1, output: 'traceroute: unknown host nowhere\n' });
    expect(runCommand(w, 'pc1', 'ping -z 10.0.0.1').output).toMatch(/^ping: illegal option -- z\nusage: ping/);
    expect(runCommand(w, 'pc1', 'route frob')).toMatchObject({ exitCode: 64 });
    expect(runCommand(w, 'pc1', 'sysctl net.foo')).toMatchObject({ exitCode: 1, output: "sysctl: unknown oid 'net.foo'\n" });
    expect(runCommand(w, 'pc1', 'arp')).toMatchObject({ exitCode: 1 });
    expect(runCommand(w, 'pc1', 'netstat -x').output).toMatch(/^netstat: illegal option -- x\n/);
    const help = runCommand(w, 'pc1', 'help').output;
    for (const c of ['ping', 'traceroute', 'ifconfig', 'route', 'netstat', 'arp', 'sysctl', 'ip', 'hostname']) expect(help).toContain(`  ${c} `);
    expect(help).not.toMatch(/^  show /m);
  });

  it('ip addr add/del and ip neigh', () => {
    const w = new World(hostRouterHost(), { seed: 1 });
    expect(runCommand(w, 'pc1', 'ip addr add 10.0.0.7/24 dev eth0').exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'ip a').output).toContain('    inet 10.0.0.7/24 brd 10.0.0.255 scope global secondary eth0\n');
    expect(runCommand(w, 'pc1', 'ip addr add 10.0.0.7/24 dev eth0')).toMatchObject({ exitCode: 2, output: 'RTNETLINK answers: File exists\n' });
    expect(runCommand(w, 'pc1', 'ip addr del 10.0.0.7/24 dev eth0').exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'ip addr add 10.0.0.8/24 dev eth5')).toMatchObject({ exitCode: 1, output: 'Cannot find device "eth5"\n' });
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.1');
    expect(runCommand(w, 'pc1', 'ip neigh').output).toBe('10.0.0.1 dev eth0 lladdr 42:00:aa:00:00:02 REACHABLE\n');
    expect(runCommand(w, 'pc1', 'ip route get 10.0.1.20').output).toBe('10.0.1.20 via 10.0.0.1 dev eth0 src 10.0.0.20 uid 0\n    cache \n');
  });
});
