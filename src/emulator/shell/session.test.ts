import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type TopologyDoc } from '../topology/document';
import { openShell } from './session';

function twoPcs(): TopologyDoc {
  const pc = (id: string, name: string, ip: string, mac: string) => ({
    id,
    kind: 'pc',
    name,
    canvas: 'c0',
    position: { x: 0, y: 0 },
    interfaces: [{ name: 'eth0', type: 'phys', mac, ipv4: [ip], ipv6: [] }],
    routes4: [],
    routes6: [],
  });
  return {
    version: DOC_VERSION,
    nodes: [pc('n0', 'pc1', '10.0.0.20/24', '42:00:aa:00:00:01'), pc('n1', 'pc2', '10.0.0.21/24', '42:00:aa:00:00:02')],
    links: [{ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS, delayUs: 500 } }],
    annotations: [],
    canvases: [{ id: 'c0', name: 'Canvas0' }],
  };
}

function open() {
  const world = new World(twoPcs(), { seed: 5 });
  let text = '';
  const shell = openShell(world, 'n0', { write: (t) => (text += t) });
  return { world, shell, text: () => text };
}

describe('shell session', () => {
  it('has a FreeBSD-like prompt and answers sync commands at once', () => {
    const { shell, text } = open();
    expect(shell.prompt()).toBe('pc1# ');
    let code = -1;
    shell.exec('hostname', (c) => (code = c));
    expect(code).toBe(0);
    expect(text()).toBe('pc1\n');
  });

  it('runs ping in virtual time; exec returns before it finishes; Ctrl-C prints the summary', () => {
    const { world, shell, text } = open();
    let code = -1;
    shell.exec('ping 10.0.0.21', (c) => (code = c));
    expect(code).toBe(-1);
    world.sim.runUntil(3.5e9);
    expect(code).toBe(-1);
    shell.interrupt();
    expect(code).toBe(0);
    expect(text()).toContain('\n--- 10.0.0.21 ping statistics ---\n4 packets transmitted, 4 packets received, 0.0% packet loss\n');
    expect(text()).toContain('icmp_seq=3 ttl=64 time=1.000 ms');
  });

  it('queues lines typed while a command runs; Ctrl-C drops the queue', () => {
    const { world, shell, text } = open();
    const codes: number[] = [];
    shell.exec('ping -c 2 10.0.0.21', (c) => codes.push(c));
    shell.exec('hostname', (c) => codes.push(c));
    expect(codes).toEqual([]);
    world.sim.runUntilIdle();
    expect(codes).toEqual([0, 0]);
    expect(text().endsWith('pc1\n')).toBe(true);
    shell.exec('ping 10.0.0.21; hostname', (c) => codes.push(c));
    shell.exec('echo queued', (c) => codes.push(c));
    world.sim.runUntil(world.sim.now() + 1.5e9);
    shell.interrupt();
    world.sim.runUntil(world.sim.now() + 5e9);
    expect(codes).toEqual([0, 0, 0]);
    expect(text()).not.toContain('queued');
    expect(text().match(/pc1\n/g)).toHaveLength(1);
  });

  it('close stops a running job; later exec fails', () => {
    const { world, shell } = open();
    let code = -1;
    shell.exec('ping 10.0.0.21', (c) => (code = c));
    world.sim.runUntil(1e9);
    shell.close();
    expect(code).toBe(0);
    world.sim.runUntilIdle(10_000);
    expect(world.sim.pending()).toBe(0);
    shell.exec('hostname', (c) => (code = c));
    expect(code).toBe(1);
  });
});
