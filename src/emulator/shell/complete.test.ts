import { describe, expect, it } from 'vitest';
import { builder } from '../../../test/scenarios/topologies';
import { World } from '../engine/world';
import { openShell } from './session';

function lab() {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const pc2 = b.node('pc', 'pc2');
  const r1 = b.node('router', 'router1');
  const sw = b.node('lanswitch', 'switch1');
  b.link(pc1, sw, { aIp: '10.0.0.20/24' });
  b.link(r1, sw, { aIp: '10.0.0.1/24' });
  b.link(pc2, r1, { aIp: '10.0.1.20/24', bIp: '10.0.1.1/24' });
  const world = new World(b.doc, { seed: 1 });
  const shell = (name: string) => openShell(world, world.nodeByName(name)!.id, { write: () => undefined });
  return { world, shell };
}

/** Completes at the end of `line`. */
function tab(shell: ReturnType<ReturnType<typeof lab>['shell']>, line: string) {
  return shell.complete(line, line.length);
}

describe('shell completion', () => {
  it('completes command names, only those the node offers', () => {
    const { shell } = lab();
    expect(tab(shell('pc1'), 'pi')).toEqual({ from: 0, candidates: ['ping', 'ping6'] });
    expect(tab(shell('pc1'), 's').candidates).toEqual(['service', 'sleep', 'sockstat', 'sort', 'sysctl']);
    expect(tab(shell('switch1'), 's').candidates).toEqual(['show', 'sleep', 'sort']);
    expect(tab(shell('switch1'), 'pi').candidates).toEqual([]);
    // After `;` a new command starts.
    expect(tab(shell('pc1'), 'hostname; trac')).toEqual({ from: 10, candidates: ['traceroute', 'traceroute6'] });
    // After `|` too.
    expect(tab(shell('pc1'), 'cat /etc/hosts |gre')).toEqual({ from: 16, candidates: ['grep'] });
  });

  it('completes the flags of the current command', () => {
    const { shell } = lab();
    expect(tab(shell('pc1'), 'ping -').candidates).toEqual(['-W', '-c', '-f', '-i', '-m', '-n', '-q', '-s', '-t', '-v']);
    expect(tab(shell('pc1'), 'route add -n').candidates).toEqual(['-n', '-net', '-netmask']);
    // The value of a flag that takes one is not completed.
    expect(tab(shell('pc1'), 'ping -c ').candidates).toEqual([]);
  });

  it('completes interface names of this node', () => {
    const { shell } = lab();
    expect(tab(shell('router1'), 'ifconfig e')).toEqual({ from: 9, candidates: ['eth0', 'eth1'] });
    expect(tab(shell('router1'), 'ifconfig ')).toEqual({ from: 9, candidates: ['eth0', 'eth1', 'lo0'] });
    expect(tab(shell('router1'), 'ifconfig eth0 u').candidates).toEqual(['up']);
    expect(tab(shell('pc1'), 'ip addr show dev ').candidates).toEqual(['eth0', 'lo0']);
    expect(tab(shell('router1'), 'rtadvd e').candidates).toEqual(['eth0', 'eth1']);
    expect(tab(shell('pc1'), 'rtsol e').candidates).toEqual(['eth0']);
    expect(tab(shell('pc1'), 'ifconfig eth0 inet6 ac').candidates).toEqual(['accept_rtadv']);
  });

  it('completes node names, and addresses when the word starts with a digit', () => {
    const { shell } = lab();
    expect(tab(shell('pc1'), 'ping -c 3 ro')).toEqual({ from: 10, candidates: ['router1'] });
    expect(tab(shell('pc1'), 'ping p').candidates).toEqual(['pc1', 'pc2']);
    expect(tab(shell('pc1'), 'traceroute -n 10.0.1.').candidates).toEqual(['10.0.1.1', '10.0.1.20']);
    // Switches have no address to ping.
    expect(tab(shell('pc1'), 'ping s').candidates).toEqual([]);
    expect(tab(shell('pc1'), 'route add default ').candidates).toEqual(['pc1', 'pc2', 'router1']);
    expect(tab(shell('pc1'), 'route add d').candidates).toEqual(['default']);
  });

  it('completes at the cursor, not the end of the line', () => {
    const { shell } = lab();
    expect(shell('pc1').complete('pin 10.0.0.1', 3)).toEqual({ from: 0, candidates: ['ping', 'ping6'] });
  });

  it('answers through the engine protocol', async () => {
    const { Engine } = await import('../engine/engine');
    const { doc } = (() => {
      const b = builder();
      const a = b.node('pc', 'pc1');
      const c = b.node('pc', 'pc2');
      b.link(a, c, { aIp: '10.0.0.20/24', bIp: '10.0.0.21/24' });
      return b;
    })();
    const engine = new Engine(() => undefined);
    await engine.handle({ type: 'net/start', doc });
    const { session } = (await engine.handle({ type: 'shell/open', node: 'pc1' })) as { session: number };
    expect(await engine.handle({ type: 'shell/complete', session, line: 'ping p', cursor: 6 })).toEqual({ from: 5, candidates: ['pc1', 'pc2'] });
  });

  it('completes tcpdump filter words and node names after host, and the flags of fetch and curl', () => {
    const { shell } = lab();
    expect(tab(shell('router1'), 'tcpdump -n t').candidates).toEqual(['tcp']);
    expect(tab(shell('router1'), 'tcpdump -n tcp and host p').candidates).toEqual(['pc1', 'pc2']);
    expect(tab(shell('pc1'), 'curl -').candidates).toEqual(['-6', '-I', '-o', '-s', '-v']);
    expect(tab(shell('pc1'), 'fetch -').candidates).toEqual(['-4', '-6', '-o', '-q', '-v']);
  });
});

describe('completion of services and files', () => {
  it('completes service names and verbs, dhclient interfaces, and paths of this node\'s files', () => {
    const { world, shell } = lab();
    const pc1 = shell('pc1');
    expect(tab(pc1, 'service d').candidates).toEqual(['dhclient', 'dhcpd', 'dhcrelay']);
    expect(tab(pc1, 'service dhcpd st').candidates).toEqual(['start', 'status', 'stop']);
    expect(tab(pc1, 'dhclient e').candidates).toEqual(['eth0']);
    pc1.exec('echo x > /usr/local/etc/dhcpd.conf; echo y > /etc/hosts', () => undefined);
    expect(tab(pc1, 'cat /').candidates).toEqual(['/etc/', '/usr/']);
    expect(tab(pc1, 'cat /usr/local/etc/d').candidates).toEqual(['/usr/local/etc/dhcpd.conf']);
    expect(tab(pc1, 'echo z >> /etc/h')).toEqual({ from: 10, candidates: ['/etc/hosts'] });
    // Another node's files are not offered.
    expect(tab(shell('pc2'), 'cat /').candidates).toEqual([]);
    void world;
  });
});
