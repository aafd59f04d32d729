import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type TopologyDoc } from '../topology/document';
import { openShell } from './session';

function onePc(): TopologyDoc {
  return {
    version: DOC_VERSION,
    nodes: [
      { id: 'n0', kind: 'pc', name: 'pc1', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [{ name: 'eth0', type: 'phys', mac: '42:00:aa:00:00:01', ipv4: ['10.0.0.20/24'], ipv6: [] }], routes4: [], routes6: [] },
      { id: 'n1', kind: 'pc', name: 'pc2', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [{ name: 'eth0', type: 'phys', mac: '42:00:aa:00:00:02', ipv4: ['10.0.0.21/24'], ipv6: [] }], routes4: [], routes6: [] },
    ],
    links: [{ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } }],
    annotations: [],
    canvases: [{ id: 'c0', name: 'Canvas0' }],
  };
}

/** pc1's sent frames now (used to show a stopped job sends nothing more). */
function txAt(s: { world: World }): number {
  return s.world.nodeByName('pc1')!.stack!.ifaces[0].counters.txPackets;
}

function open() {
  const world = new World(onePc(), { seed: 5 });
  let text = '';
  const shell = openShell(world, 'n0', { write: (t) => (text += t) });
  const run = (line: string): number => {
    let code = -1;
    shell.exec(line, (c) => (code = c));
    return code;
  };
  return { world, shell, run, text: () => text, clear: () => (text = '') };
}

describe('shell job control', () => {
  it('CMD & prints [N] PID, returns at once, and jobs lists it while the shell goes on', () => {
    const s = open();
    expect(s.run('sleep 10 &')).toBe(0);
    expect(s.text()).toBe('[1] 1001\n');
    expect(s.run('sleep 20 & hostname')).toBe(0);
    expect(s.text()).toBe('[1] 1001\n[2] 1002\npc1\n');
    s.clear();
    expect(s.run('jobs')).toBe(0);
    expect(s.text()).toBe('[1] - Running                 sleep 10\n[2] + Running                 sleep 20\n');
    s.world.sim.runUntil(11e9);
    s.clear();
    expect(s.run('hostname')).toBe(0);
    expect(s.text()).toBe('[1]   Done                    sleep 10\npc1\n');
    s.clear();
    s.run('jobs');
    expect(s.text()).toBe('[2] + Running                 sleep 20\n');
  });

  it('fg brings a job to the foreground: the line waits for it and Ctrl-C stops it', () => {
    const s = open();
    s.run('sleep 10 &');
    s.run('ping 10.0.0.21 &');
    s.world.sim.runUntil(1.5e9);
    expect(s.text()).toContain('icmp_seq=1');
    let code = -1;
    s.shell.exec('fg %1', (c) => (code = c));
    expect(code).toBe(-1);
    expect(s.text()).toContain('sleep 10\n');
    s.world.sim.runUntil(10.5e9);
    expect(code).toBe(0);
    code = -1;
    s.shell.exec('fg', (c) => (code = c));
    expect(code).toBe(-1);
    s.shell.interrupt();
    expect(code).toBe(0);
    expect(s.text()).toContain('ping statistics ---');
    s.clear();
    expect(s.run('jobs')).toBe(0);
    expect(s.text()).toBe('');
    expect(s.run('fg')).toBe(2);
    expect(s.text()).toBe('fg: No current job\n');
  });

  it('kill %N and kill PID end jobs; sh reports them Terminated', () => {
    const s = open();
    s.run('ping -q 10.0.0.21 &');
    s.run('sleep 100 &');
    s.clear();
    expect(s.run('kill %1')).toBe(0);
    expect(s.text()).toContain('ping statistics');
    s.clear();
    expect(s.run('kill 1002')).toBe(0);
    s.run('jobs');
    expect(s.text()).toBe('[1]   Terminated              ping -q 10.0.0.21\n[2]   Terminated              sleep 100\n');
    s.clear();
    expect(s.run('kill %7')).toBe(1);
    expect(s.run('kill 4242')).toBe(1);
    expect(s.text()).toBe('kill: No such job: %7\nkill: 4242: No such process\n');
  });

  it('Ctrl-C reaches the foreground command only; closing the session ends background jobs', () => {
    const s = open();
    s.run('ping -q 10.0.0.21 &');
    let code = -1;
    s.shell.exec('sleep 50', (c) => (code = c));
    s.world.sim.runUntil(2.5e9);
    s.shell.interrupt();
    expect(code).toBe(130);
    expect(s.text()).not.toContain('ping statistics');
    const before = s.text();
    s.shell.close();
    const sent = txAt(s);
    s.world.sim.runUntil(10e9);
    // The background ping ended quietly: no summary, and no more requests sent.
    expect(s.text()).toBe(before);
    expect(txAt(s)).toBe(sent);
  });

  it('help lists jobs, fg and kill; Tab completes them after & too', () => {
    const s = open();
    s.run('help');
    expect(s.text()).toMatch(/^  jobs {8}list background and stopped jobs/m);
    expect(s.text()).toMatch(/^  bg {10}continue a stopped job in the background/m);
    expect(s.text()).toMatch(/^  kill {8}signal a program of this node/m);
    expect(s.text()).toMatch(/^  ps {10}list the programs running on this node/m);
    expect(s.shell.complete('iperf3 -s & jo', 14)).toEqual({ from: 12, candidates: ['jobs'] });
    expect(s.shell.complete('iperf3 -', 8).candidates).toContain('-R');
    expect(s.shell.complete('ps -', 4).candidates).toEqual(['-a', '-u', '-w', '-x']);
  });
});
