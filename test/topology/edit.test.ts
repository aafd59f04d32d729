import { describe, expect, it } from 'vitest';
import { builder } from '../scenarios/topologies';
import fc from 'fast-check';
import { emptyDocument, type TopologyDoc } from '../../src/emulator/topology/document';
import {
  setStartup,
  addAnnotation, addLink, addNode, alignNodes, duplicateNodes, removeAnnotations, removeLinks, removeNodes, renameNode, setForwarding, setNodePositions,
  setInterfaceAddresses, setInterfaceDhcp, setInterfaceMac, setInterfaceMtu, setLinkParams, setRoutes, updateAnnotation, validateLinkParam,
} from '../../src/emulator/topology/edit';
import { checkDocument } from '../../src/emulator/topology/check';

function ok<T extends object>(r: T | { error: string }): T {
  if ('error' in r) throw new Error(r.error);
  return r;
}

function build(kinds: string[], links: [number, number][]): { doc: TopologyDoc; ids: string[] } {
  let doc = emptyDocument();
  const ids: string[] = [];
  kinds.forEach((k, i) => {
    const r = addNode(doc, k, { x: 100 * i, y: 100 });
    doc = r.doc;
    ids.push(r.nodeId);
  });
  for (const [a, b] of links) doc = ok(addLink(doc, ids[a]!, ids[b]!)).doc;
  return { doc, ids };
}

const node = (doc: TopologyDoc, name: string) => doc.nodes.find((n) => n.name === name)!;

describe('addNode', () => {
  it('names nodes as IMUNES does and never mutates the input', () => {
    const start = emptyDocument();
    const frozen = JSON.stringify(start);
    const { doc } = build(['pc', 'pc', 'host', 'router', 'lanswitch', 'hub', 'router'], []);
    expect(doc.nodes.map((n) => `${n.id}:${n.name}`)).toEqual(['n0:pc1', 'n1:pc2', 'n2:host1', 'n3:router1', 'n4:switch1', 'n5:hub1', 'n6:router2']);
    expect(node(doc, 'router1').forwarding).toBe(true);
    expect(node(doc, 'pc1').forwarding).toBeUndefined();
    expect(node(doc, 'pc1').interfaces).toEqual([]);
    expect(JSON.stringify(start)).toBe(frozen);
  });

  it('reuses the lowest free number after a removal', () => {
    const { doc } = build(['pc', 'pc', 'pc'], []);
    const r = addNode(removeNodes(doc, ['n1']), 'pc', { x: 0, y: 0 });
    expect(r.nodeId).toBe('n1');
    expect(node(r.doc, 'pc2')).toBeDefined();
  });
});

describe('addLink autoconfiguration', () => {
  it('pc–switch–pc shares 10.0.0.0/24 with .20 and .21', () => {
    const { doc } = build(['pc', 'lanswitch', 'pc'], [[0, 1], [2, 1]]);
    expect(node(doc, 'pc1').interfaces).toEqual([{ name: 'eth0', type: 'phys', mac: '42:00:aa:00:00:00', ipv4: ['10.0.0.20/24'], ipv6: ['fc00::20/64'] }]);
    expect(node(doc, 'pc2').interfaces[0]!.ipv4).toEqual(['10.0.0.21/24']);
    expect(node(doc, 'switch1').interfaces.map((i) => [i.name, i.mac, i.ipv4.length])).toEqual([['eth0', undefined, 0], ['eth1', undefined, 0]]);
    expect(node(doc, 'pc1').routes4).toEqual([]);
  });

  it('pc–router–pc gives two /24s, router .1 both sides, default routes via .1', () => {
    const { doc } = build(['pc', 'router', 'pc'], [[0, 1], [1, 2]]);
    expect(node(doc, 'router1').interfaces.map((i) => i.ipv4[0])).toEqual(['10.0.0.1/24', '10.0.1.1/24']);
    expect(node(doc, 'router1').interfaces.map((i) => i.ipv6[0])).toEqual(['fc00::1/64', 'fc00:1::1/64']);
    expect(node(doc, 'pc1').interfaces[0]!.ipv4).toEqual(['10.0.0.20/24']);
    expect(node(doc, 'pc2').interfaces[0]!.ipv4).toEqual(['10.0.1.20/24']);
    expect(node(doc, 'pc1').routes4).toEqual([{ dest: '0.0.0.0/0', gateway: '10.0.0.1' }]);
    expect(node(doc, 'pc2').routes4).toEqual([{ dest: '0.0.0.0/0', gateway: '10.0.1.1' }]);
    expect(node(doc, 'pc2').routes6).toEqual([{ dest: '::/0', gateway: 'fc00:1::1' }]);
    expect(node(doc, 'router1').routes4).toEqual([]);
  });

  it('a router joining a switch domain later gives the pcs default routes', () => {
    const { doc } = build(['pc', 'lanswitch', 'host', 'router'], [[0, 1], [2, 1], [3, 1]]);
    expect(node(doc, 'host1').interfaces[0]!.ipv4).toEqual(['10.0.0.10/24']);
    expect(node(doc, 'router1').interfaces[0]!.ipv4).toEqual(['10.0.0.1/24']);
    expect(node(doc, 'pc1').routes4).toEqual([{ dest: '0.0.0.0/0', gateway: '10.0.0.1' }]);
    expect(node(doc, 'host1').routes4).toEqual([{ dest: '0.0.0.0/0', gateway: '10.0.0.1' }]);
  });

  it('domains span switch–hub chains; a new node joins the existing subnet', () => {
    const { doc } = build(['pc', 'lanswitch', 'hub', 'pc', 'pc'], [[0, 1], [1, 2], [3, 2]]);
    expect(node(doc, 'pc2').interfaces[0]!.ipv4).toEqual(['10.0.0.21/24']);
    const { doc: d2 } = build(['pc', 'pc', 'pc', 'pc'], [[0, 1], [2, 3]]);
    expect(d2.nodes.map((n) => n.interfaces[0]!.ipv4[0])).toEqual(['10.0.0.20/24', '10.0.0.21/24', '10.0.1.20/24', '10.0.1.21/24']);
  });

  it('removing a link frees interfaces and the subnet is reused', () => {
    const { doc, ids } = build(['pc', 'router', 'pc'], [[0, 1], [1, 2]]);
    const d = removeLinks(doc, ['l0']);
    expect(node(d, 'pc1').interfaces).toEqual([]);
    expect(node(d, 'router1').interfaces.map((i) => i.name)).toEqual(['eth1']);
    const again = ok(addLink(d, ids[0]!, ids[1]!));
    expect(node(again.doc, 'router1').interfaces.map((i) => `${i.name}=${i.ipv4[0]}`)).toEqual(['eth1=10.0.1.1/24', 'eth0=10.0.0.1/24']);
    const gone = removeNodes(doc, [ids[1]!]);
    expect(gone.links).toEqual([]);
    expect(gone.nodes.every((n) => n.interfaces.length === 0)).toBe(true);
  });

  it('refuses self links and unknown nodes', () => {
    const { doc } = build(['pc'], []);
    expect(addLink(doc, 'n0', 'n0')).toEqual({ error: 'cannot link pc1 to itself' });
    expect(addLink(doc, 'n0', 'n9')).toEqual({ error: 'no node with id "n9"' });
  });
});

describe('validation refusals', () => {
  const { doc } = build(['pc', 'router', 'pc'], [[0, 1], [1, 2]]);
  it('link params refuse with reasons, never clamp', () => {
    expect(validateLinkParam('lossPercent', 101)).toMatch(/between 0 and 100/);
    expect(validateLinkParam('delayUs', -1)).toMatch(/0 µs or more/);
    expect(validateLinkParam('bandwidthBps', 1.5)).toMatch(/whole number/);
    expect(validateLinkParam('berOneIn', 0.5)).toMatch(/N ≥ 1/);
    expect(validateLinkParam('queuePackets', 0)).toMatch(/at least 1/);
    expect(validateLinkParam('dupPercent', 50)).toBeNull();
    expect(setLinkParams(doc, 'l0', { lossPercent: 200 })).toEqual({ error: 'loss must be between 0 and 100 %' });
    const d = ok(setLinkParams(doc, 'l0', { delayUs: 5000, bandwidthBps: 10_000_000 })).doc;
    expect(d.links[0]!.params).toMatchObject({ delayUs: 5000, bandwidthBps: 10_000_000 });
    expect(d.links[0]!.paramsBA).toBeUndefined();
    const asym = ok(setLinkParams(d, 'l0', { delayUs: 10 }, 'ba')).doc;
    expect(asym.links[0]!.params.delayUs).toBe(5000);
    expect(asym.links[0]!.paramsBA!.delayUs).toBe(10);
    expect(doc.links[0]!.params.delayUs).toBe(0);
  });
  it('rename refuses duplicates, empty and bad characters', () => {
    expect(renameNode(doc, 'n0', 'pc2')).toEqual({ error: 'another node is already named "pc2"' });
    expect(renameNode(doc, 'n0', '')).toEqual({ error: 'name must not be empty' });
    expect('error' in renameNode(doc, 'n0', 'pc 1')).toBe(true);
    expect(ok(renameNode(doc, 'n0', 'alice')).doc.nodes[0]!.name).toBe('alice');
  });
  it('interfaces refuse bad or duplicate addresses, MACs and MTUs', () => {
    expect(setInterfaceAddresses(doc, 'n0', 'eth0', ['10.0.0.300/24'])).toHaveProperty('error');
    expect(setInterfaceAddresses(doc, 'n0', 'eth0', ['10.0.0.1/24'])).toEqual({ error: '10.0.0.1 is already used by another interface' });
    expect(setInterfaceAddresses(doc, 'n0', 'eth9', ['10.0.0.5/24'])).toEqual({ error: 'pc1 has no interface eth9' });
    expect(ok(setInterfaceAddresses(doc, 'n0', 'eth0', ['10.0.0.5/24'])).doc.nodes[0]!.interfaces[0]!.ipv4).toEqual(['10.0.0.5/24']);
    expect(setInterfaceMac(doc, 'n0', 'eth0', 'zz')).toHaveProperty('error');
    expect(setInterfaceMac(doc, 'n0', 'eth0', doc.nodes[1]!.interfaces[0]!.mac!)).toHaveProperty('error');
    expect(setInterfaceMtu(doc, 'n0', 'eth0', 20)).toHaveProperty('error');
    expect(ok(setInterfaceMtu(doc, 'n0', 'eth0', 9000)).doc.nodes[0]!.interfaces[0]!.mtu).toBe(9000);
    expect(setRoutes(doc, 'n0', [{ dest: '10.1.0.0/16', gateway: 'nope' }])).toHaveProperty('error');
  });
  it('IPv6 addresses and routes: bad text, a duplicate in any spelling, and a good edit', () => {
    expect(setInterfaceAddresses(doc, 'n0', 'eth0', ['10.0.0.20/24'], ['fc00::zz/64'])).toHaveProperty('error');
    const d = ok(setInterfaceAddresses(doc, 'n1', 'eth0', doc.nodes[1]!.interfaces[0]!.ipv4, ['fc00:0:0::1/64'])).doc;
    expect(setInterfaceAddresses(d, 'n0', 'eth0', ['10.0.0.20/24'], ['fc00::1/64'])).toEqual({ error: 'fc00::1 is already used by another interface' });
    const e = ok(setInterfaceAddresses(d, 'n0', 'eth0', ['10.0.0.20/24'], ['fc00::20/64'])).doc;
    expect(e.nodes[0]!.interfaces[0]!.ipv6).toEqual(['fc00::20/64']);
    expect(e.nodes[0]!.interfaces[0]!.ipv4).toEqual(['10.0.0.20/24']);
    expect(setRoutes(e, 'n0', [{ dest: '::/0', gateway: '10.0.0.1' }], true)).toHaveProperty('error');
    expect(ok(setRoutes(e, 'n0', [{ dest: '::/0', gateway: 'fc00::1' }], true)).doc.nodes[0]!.routes6).toEqual([{ dest: '::/0', gateway: 'fc00::1' }]);
  });
  it('addresses use the engine rules: leading zeros refused, loopback never clashes across nodes', () => {
    expect(setInterfaceAddresses(doc, 'n0', 'eth0', ['010.0.0.5/24'])).toHaveProperty('error');
    // Every node has its own lo0 127.0.0.1/8 (IMUNES files always do).
    const lo = (d: TopologyDoc, id: string) => ({ ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, interfaces: [...n.interfaces, { name: 'lo0', type: 'lo', ipv4: ['127.0.0.1/8'], ipv6: [] }] } : n)) });
    const withLo = lo(lo(doc, 'n0'), 'n1');
    expect(ok(setInterfaceAddresses(withLo, 'n0', 'lo0', ['127.0.0.1/8', '127.0.0.2/8'])).doc.nodes[0]!.interfaces.at(-1)!.ipv4).toEqual(['127.0.0.1/8', '127.0.0.2/8']);
  });
});

describe('annotations, duplicate, align', () => {
  it('duplicates a group with fresh names, MACs and addresses', () => {
    const { doc, ids } = build(['pc', 'lanswitch', 'pc'], [[0, 1], [2, 1]]);
    const { doc: d, idMap } = duplicateNodes(doc, ids, { x: 0, y: 200 });
    expect(d.nodes.map((n) => n.name)).toEqual(['pc1', 'switch1', 'pc2', 'pc3', 'switch2', 'pc4']);
    expect(d.links).toHaveLength(4);
    expect(node(d, 'pc3').interfaces[0]!.ipv4).toEqual(['10.0.1.20/24']);
    expect(node(d, 'pc3').position).toEqual({ x: 0, y: 300 });
    expect(Object.keys(idMap)).toEqual(ids);
    expect(checkDocument(d)).toEqual([]);
  });
  it('adds, updates and removes annotations; aligns nodes', () => {
    const { doc } = build(['pc', 'pc', 'pc'], []);
    const a = addAnnotation(doc, { kind: 'rectangle', canvas: 'c0', coords: [0, 0, 10, 10], color: '#000' });
    const u = ok(updateAnnotation(a.doc, a.annotationId, { label: 'LAN' }));
    expect(u.doc.annotations[0]).toMatchObject({ id: 'a0', label: 'LAN', kind: 'rectangle' });
    expect(removeAnnotations(u.doc, ['a0']).annotations).toEqual([]);
    const moved = { ...doc, nodes: doc.nodes.map((n, i) => ({ ...n, position: { x: n.position.x, y: 10 * i } })) };
    expect(alignNodes(moved, ['n0', 'n1', 'n2'], 'top').nodes.map((n) => n.position.y)).toEqual([0, 0, 0]);
    expect(alignNodes(moved, ['n0', 'n1', 'n2'], 'distribute-x').nodes.map((n) => n.position.x)).toEqual([0, 100, 200]);
  });
});

describe('random edit sequences keep the document valid', () => {
  it('unique names/MACs/addresses, every link endpoint exists', () => {
    const kinds = ['pc', 'host', 'router', 'lanswitch', 'hub'];
    const op = fc.oneof(
      fc.record({ t: fc.constant('node' as const), k: fc.constantFrom(...kinds) }),
      fc.record({ t: fc.constant('link' as const), a: fc.nat(20), b: fc.nat(20) }),
      fc.record({ t: fc.constant('rmnode' as const), a: fc.nat(20) }),
      fc.record({ t: fc.constant('rmlink' as const), a: fc.nat(20) }),
      fc.record({ t: fc.constant('dup' as const), a: fc.nat(20), b: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let doc = emptyDocument();
        for (const o of ops) {
          const ids = doc.nodes.map((n) => n.id);
          const pick = (i: number) => ids[i % Math.max(1, ids.length)];
          if (o.t === 'node') doc = addNode(doc, o.k, { x: 0, y: 0 }).doc;
          else if (o.t === 'link' && ids.length > 1) {
            const r = addLink(doc, pick(o.a)!, pick(o.b)!);
            if (!('error' in r)) doc = r.doc;
          } else if (o.t === 'rmnode' && ids.length) doc = removeNodes(doc, [pick(o.a)!]);
          else if (o.t === 'rmlink' && doc.links.length) doc = removeLinks(doc, [doc.links[o.a % doc.links.length]!.id]);
          else if (o.t === 'dup' && ids.length) doc = duplicateNodes(doc, [pick(o.a)!, pick(o.b)!], { x: 5, y: 5 }).doc;
        }
        // Errors only: a user may draw a loop of switches, which validate warns about (l2-loops.ts).
        expect(checkDocument(doc).filter((i) => i.severity === 'error')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('immutability', () => {
  function deepFreeze<T>(v: T): T {
    if (v && typeof v === 'object') {
      Object.values(v).forEach(deepFreeze);
      Object.freeze(v);
    }
    return v;
  }
  it('no operation mutates its input (frozen input does not throw)', () => {
    const { doc: built } = build(['pc', 'router', 'lanswitch', 'pc', 'host'], [[0, 1], [1, 2], [3, 2], [4, 2]]);
    const withAnn = addAnnotation(built, { kind: 'text', canvas: 'c0', coords: [1, 2], label: 'x' }).doc;
    const doc = deepFreeze(withAnn);
    const before = JSON.stringify(doc);
    addNode(doc, 'pc', { x: 1, y: 1 });
    removeNodes(doc, ['n1']);
    ok(addLink(doc, 'n0', 'n4'));
    removeLinks(doc, ['l0', 'l2']);
    ok(renameNode(doc, 'n0', 'alice'));
    setNodePositions(doc, { n0: { x: 5, y: 5 }, n1: { x: 6, y: 6 } });
    ok(setInterfaceAddresses(doc, 'n0', 'eth0', ['10.9.9.9/24'], ['fc00:9::9/64']));
    ok(setInterfaceMac(doc, 'n0', 'eth0', '42:00:aa:00:99:99'));
    ok(setInterfaceMtu(doc, 'n0', 'eth0', 1400));
    ok(setRoutes(doc, 'n0', [{ dest: '10.5.0.0/16', gateway: '10.0.0.1' }]));
    ok(setForwarding(doc, 'n0', true));
    ok(setLinkParams(doc, 'l0', { delayUs: 5 }, 'ba'));
    ok(updateAnnotation(doc, 'a0', { label: 'y' }));
    removeAnnotations(doc, ['a0']);
    duplicateNodes(doc, ['n0', 'n1', 'n2'], { x: 10, y: 10 });
    alignNodes(doc, ['n0', 'n1', 'n3'], 'distribute-y');
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('setStartup', () => {
  it('stores lines, removes them with [], and refuses what the schema refuses', () => {
    const { doc, ids } = build(['pc'], []);
    const set = ok(setStartup(doc, ids[0]!, ['ipfw add 100 deny icmp from any to any'])).doc;
    expect(set.nodes[0]!.startup).toEqual(['ipfw add 100 deny icmp from any to any']);
    expect('startup' in ok(setStartup(set, ids[0]!, [])).doc.nodes[0]!).toBe(false);
    expect(setStartup(doc, ids[0]!, Array.from({ length: 1001 }, () => 'true'))).toEqual({ error: 'startup has at most 1000 lines' });
    expect(setStartup(doc, ids[0]!, ['true', 'x'.repeat(4097)])).toEqual({ error: 'line 2: a startup line is at most 4096 characters' });
    expect(setStartup(doc, 'nope', [])).toEqual({ error: 'no node with id "nope"' });
    expect(checkDocument(set).filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('setInterfaceDhcp', () => {
  it('marks an Ethernet interface of a routed node, unmarks it, and refuses a switch port', () => {
    const b = builder();
    const pc = b.node('pc', 'pc1');
    const sw = b.node('lanswitch', 'sw');
    b.link(pc, sw);
    const on = setInterfaceDhcp(b.doc, pc.id, 'eth0', true);
    if ('error' in on) throw new Error(on.error);
    expect(on.doc.nodes[0].interfaces[0].dhcp).toBe(true);
    const off = setInterfaceDhcp(on.doc, pc.id, 'eth0', false);
    if ('error' in off) throw new Error(off.error);
    expect('dhcp' in off.doc.nodes[0].interfaces[0]).toBe(false);
    expect(setInterfaceDhcp(b.doc, sw.id, 'e0', true)).toEqual({ error: 'DHCP needs an Ethernet interface of a pc, host or router' });
  });
});
