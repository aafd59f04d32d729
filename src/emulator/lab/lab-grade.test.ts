import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../topology/formats';
import type { TopologyDoc } from '../topology/document';
import { gradeNetwork } from './grade';
import { lockViolations } from './locks';
import { releasedHints, studentVersion } from './student';

const LABS = join(__dirname, '..', '..', '..', 'assets', 'labs');
const load = (f: string): TopologyDoc => {
  const r = parseTopology(readFileSync(join(LABS, f), 'utf8'), f);
  if (!('doc' in r)) throw new Error(r.errors[0]!.message);
  return r.doc;
};

describe('lab locks', () => {
  const start = load('troubleshooting.vnet');
  const locks = { kinds: true, links: true, positions: true, linkParams: true, configs: ['r2'] };

  it('name each locked part a network changed', () => {
    const work = structuredClone(start);
    work.nodes.find((n) => n.name === 'pc1')!.kind = 'host';
    work.nodes.find((n) => n.name === 'pc2')!.position.x += 40;
    work.nodes.find((n) => n.name === 'r2')!.routes4 = [];
    work.links[0]!.params.delayUs = 5000;
    work.links[1]!.b.iface = 'e9';
    work.nodes.push({ ...structuredClone(work.nodes[0]!), id: 'n99', name: 'extra' });
    expect(lockViolations(locks, start, work)).toEqual([
      'pc1 was changed from a pc to a host, but node kinds are locked',
      'node extra was added, but the nodes are locked',
      'the link pc2:eth0 — sw1:e1 was removed or rewired, but links are locked',
      'a link pc2:eth0 — sw1:e9 was added, but links are locked',
      'the parameters of link pc1:eth0 — sw1:e0 were changed, but link parameters are locked',
      'pc2 was moved, but positions are locked',
      'the configuration of r2 was changed, but it is locked',
    ]);
    expect(lockViolations(locks, start, structuredClone(start))).toEqual([]);
  });

  it('a violation zeroes the score even when every check passes', () => {
    const answer = load('troubleshooting.answer.vnet');
    answer.nodes.find((n) => n.name === 'server')!.position.y += 100;
    const r = gradeNetwork(start.lab!, start, answer);
    expect(r.checks.every((c) => c.passed)).toBe(true);
    expect(r.score).toBe(0);
    expect(r.violations).toEqual(['server was moved, but positions are locked']);
  });
});

describe('checks on addresses above 128.0.0.0', () => {
  it('find a route and an address by their unsigned network', () => {
    const net = load('static-routing.answer.vnet');
    const r1 = net.nodes.find((n) => n.name === 'r1')!;
    r1.interfaces.find((f) => f.name === 'eth1')!.ipv4 = ['172.16.0.1/30'];
    r1.routes4 = [{ dest: '192.168.5.0/24', gateway: '172.16.0.2' }];
    const lab = {
      title: 't',
      instructions: '',
      checks: [
        { id: 'route', title: 'r', points: 1, predicate: { type: 'route' as const, node: 'r1', dest: '192.168.5.77/24', gateway: '172.16.0.2' } },
        { id: 'addr', title: 'a', points: 1, predicate: { type: 'address' as const, node: 'r1', subnet: '172.16.0.0/12' } },
        { id: 'not', title: 'n', points: 1, predicate: { type: 'address' as const, node: 'r1', iface: 'eth1', subnet: '192.168.0.0/16' } },
      ],
    };
    const r = gradeNetwork(lab, net, net);
    expect(r.checks.map((c) => [c.id, c.passed, c.detail])).toEqual([
      ['route', true, 'r1 routes 192.168.5.0/24 via 172.16.0.2'],
      ['addr', true, 'r1 has 172.16.0.1/30 (on eth1), inside 172.16.0.0/12'],
      ['not', false, 'r1 eth1 has 172.16.0.1/30 on eth1; none is inside 192.168.0.0/16'],
    ]);
  });
});

describe('a network stuck in a frame storm', () => {
  it('fails the checks that need a command with the reason, after one stall only', () => {
    const start = load('arp-switching.vnet');
    const work = load('arp-switching.answer.vnet');
    // A hub looped on itself and hung off sw1: hubs have no loop detection (lanswitches mute a
    // looping port as ng_bridge does), so broadcasts circle at zero delay and time stands still.
    const sw = work.nodes.find((n) => n.name === 'sw1')!;
    sw.interfaces.push({ name: 'e3', type: 'phys', ipv4: [], ipv6: [] });
    const hubIfaces = ['e0', 'e1', 'e2'].map((name) => ({ name, type: 'phys' as const, ipv4: [], ipv6: [] }));
    work.nodes.push({ ...structuredClone(sw), id: 'hub9', name: 'hub9', kind: 'hub', interfaces: hubIfaces });
    work.links.push({ ...structuredClone(work.links[0]!), id: 'loop', a: { node: 'hub9', iface: 'e0' }, b: { node: 'hub9', iface: 'e1' } });
    work.links.push({ ...structuredClone(work.links[0]!), id: 'uplink', a: { node: 'hub9', iface: 'e2' }, b: { node: sw.id, iface: 'e3' } });
    const r = gradeNetwork(start.lab!, start, work);
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    expect(byId.get('ping')!.detail).toMatch(/^`ping -c 2 10\.0\.0\.20` was stopped: the network was stuck in a frame storm/);
    expect(byId.get('arpcache')!.detail).toMatch(/^the network was stuck in a frame storm/);
    expect(r.score).toBe(0);
  }, 30_000);
});

describe('student version and hints', () => {
  it('strips hidden fields and submission metadata from the answer', () => {
    const start = load('static-routing.vnet');
    const answer = load('static-routing.answer.vnet');
    const teacher = { ...answer, lab: { ...start.lab!, student: 'key', results: { score: 10 } } };
    const v = studentVersion(teacher);
    expect(v.nodes.find((n) => n.name === 'r1')!.interfaces.find((f) => f.name === 'eth1')!.ipv4).toEqual([]);
    expect(v.nodes.find((n) => n.name === 'r1')!.routes4).toEqual([]);
    expect(v.nodes.find((n) => n.name === 'r1')!.interfaces.find((f) => f.name === 'eth0')!.ipv4).toEqual(['10.0.1.1/24']);
    expect(v.lab!.student).toBeUndefined();
    expect(v.lab!.results).toBeUndefined();
    expect(gradeNetwork(start.lab!, start, v).score).toBe(0);
    expect(teacher.nodes.find((n) => n.name === 'r1')!.routes4).toHaveLength(1);
  });

  it('releases a hint only after its number of failures', () => {
    const lab = load('static-routing.vnet').lab!;
    expect(releasedHints(lab, {})).toEqual([]);
    expect(releasedHints(lab, { r1addr: 1 }).map((h) => h.check)).toEqual(['r1addr']);
    expect(releasedHints(lab, { r1addr: 1, r1route: 2 }).map((h) => h.check)).toEqual(['r1addr', 'r1route']);
  });
});

describe('the engine request lab/grade', () => {
  it('grades a network with shell work in a separate headless run, and refuses a malformed lab', async () => {
    const { Engine } = await import('../engine/engine');
    const engine = new Engine(() => undefined);
    const start = load('static-routing.vnet');
    const commands = [
      { node: 'r1', command: 'ifconfig eth1 inet 10.0.12.1/30' },
      { node: 'r2', command: 'ifconfig eth1 inet 10.0.12.2/30' },
    ];
    const r = await engine.handle({ type: 'lab/grade', lab: start.lab!, start, work: start, commands });
    expect(r.checks.filter((c) => c.passed).map((c) => c.id)).toEqual(['r1addr', 'r2addr']);
    expect(r.score).toBe(2);
    expect(engine.world).toBeNull();
    const bad = engine.handleSync({ type: 'lab/grade', lab: { ...start.lab!, checks: 'all' }, start, work: start });
    expect(bad.ok ? '' : bad.error.message).toMatch(/^lab\/grade: "lab": /);
  });
});
