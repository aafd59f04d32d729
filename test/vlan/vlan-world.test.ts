// 802.1Q in a running World: a VLAN-filtering switch (access ports 4 and 6, one trunk)
// with a router-on-a-stick whose vlan sub-interfaces route between the VLANs. Proves
// isolation within one subnet, inter-VLAN routing through tagged frames, per-VLAN MAC
// learning, and that a capture of the trunk is tshark-clean with the right VLAN IDs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { Capture } from '../../src/emulator/engine/capture';
import { Bridge } from '../../src/emulator/node/bridge';
import { icmpOpen, ifaceGet, ipSend } from '../../src/emulator/stack';
import { parseIpv4 } from '../../src/emulator/wire/addr';
import { buildIcmp, icmpEchoRequest, ICMP_TYPE } from '../../src/emulator/wire/icmp';
import type { NodeDoc, TopologyDoc } from '../../src/emulator/topology/document';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { doc, node } from '../scenarios/topologies';

const mac = (k: number) => `42:00:aa:00:00:${k.toString(16).padStart(2, '0')}`;

function vlanIface(name: string, dev: string, tag: number, ipv4: string[]) {
  return { name, type: 'vlan', ipv4, ipv6: [], extra: { vlan_dev: dev, vlan_tag: String(tag) } };
}

/**
 * a4 (10.0.4.20) and b4 (10.0.4.21) on access VLAN 4, c6 (10.0.4.22, same subnet!) and
 * d6 (10.0.6.20) on access VLAN 6, router r1 on the trunk with vlan4 = 10.0.4.1 and
 * vlan6 = 10.0.6.1 (sub-interfaces of eth0).
 */
function routerOnAStick(): TopologyDoc {
  const gw4 = [{ dest: '0.0.0.0/0', gateway: '10.0.4.1' }];
  const sw: NodeDoc = node('n0', 'lanswitch', 'sw', [{ name: 'e0' }, { name: 'e1' }, { name: 'e2' }, { name: 'e3' }, { name: 'e4' }]);
  sw.extra = { vlan_filtering: '1' };
  const tags = ['4', '4', '6', '6'];
  tags.forEach((t, k) => (sw.interfaces[k].extra = { vlan_tag: t }));
  sw.interfaces[4].extra = { vlan_type: 'trunk' };
  const r1 = node('n5', 'router', 'r1', [{ name: 'eth0', mac: mac(9) }]);
  r1.interfaces.push(vlanIface('vlan4', 'eth0', 4, ['10.0.4.1/24']), vlanIface('vlan6', 'eth0', 6, ['10.0.6.1/24']));
  return doc(
    [
      sw,
      node('n1', 'pc', 'a4', [{ name: 'eth0', ipv4: ['10.0.4.20/24'], mac: mac(1) }], gw4),
      node('n2', 'pc', 'b4', [{ name: 'eth0', ipv4: ['10.0.4.21/24'], mac: mac(2) }], gw4),
      node('n3', 'pc', 'c6', [{ name: 'eth0', ipv4: ['10.0.4.22/24'], mac: mac(3) }]),
      node('n4', 'pc', 'd6', [{ name: 'eth0', ipv4: ['10.0.6.20/24'], mac: mac(4) }], [{ dest: '0.0.0.0/0', gateway: '10.0.6.1' }]),
      r1,
    ],
    [
      ['n1', 'eth0', 'n0', 'e0'],
      ['n2', 'eth0', 'n0', 'e1'],
      ['n3', 'eth0', 'n0', 'e2'],
      ['n4', 'eth0', 'n0', 'e3'],
      ['n5', 'eth0', 'n0', 'e4'],
    ],
  );
}

/** Echo replies (with their TTL) that `from` gets for one ping to `to`. */
function ping(world: World, from: string, to: string): number[] {
  const stack = world.nodeByName(from)!.stack!;
  const ttls: number[] = [];
  const close = icmpOpen(stack, (m) => void (m.type === ICMP_TYPE.ECHO_REPLY && ttls.push(m.ttl)));
  ipSend(stack, { dst: parseIpv4(to)!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, 1, new Uint8Array(56))) });
  world.sim.runUntil(world.sim.now() + 5_000_000_000);
  close();
  return ttls;
}

describe('802.1Q VLANs in a World', () => {
  it('isolates VLANs within one subnet and routes between them over the trunk', () => {
    const world = new World(routerOnAStick(), { seed: 1 });
    expect(world.warnings).toEqual([]);
    expect(ping(world, 'a4', '10.0.4.21')).toEqual([64]); // same VLAN
    expect(ping(world, 'a4', '10.0.4.22')).toEqual([]); // same subnet, other VLAN: isolated
    expect(ping(world, 'a4', '10.0.4.1')).toEqual([64]); // router's vlan4 over the trunk
    expect(ping(world, 'a4', '10.0.6.20')).toEqual([63]); // routed VLAN 4 → VLAN 6
    const br = world.nodeByName('sw')!.bridge as Bridge;
    const rows = br.macTable().map((e) => `${e.vlan} ${e.mac} ${e.port}`);
    // The router's MAC is learned on the trunk in both VLANs; c6 never spoke in VLAN 4.
    expect(rows).toContain(`4 ${mac(9)} e4`);
    expect(rows).toContain(`6 ${mac(9)} e4`);
    expect(rows.filter((r) => r.startsWith('4 ') && r.includes(mac(3)))).toEqual([]);
    const r1 = world.nodeByName('r1')!.stack!;
    expect(ifaceGet(r1, 'vlan4')!.counters.rxPackets).toBeGreaterThan(0);
    expect(ifaceGet(r1, 'vlan6')!.counters.txPackets).toBeGreaterThan(0);
    expect(ifaceGet(r1, 'vlan4')!.mac).toBe(ifaceGet(r1, 'eth0')!.mac);
  });

  it('a sub-interface follows its parent: no carrier when the trunk link is down', () => {
    const d = routerOnAStick();
    d.links[4].up = false;
    const world = new World(d, { seed: 1 });
    const r1 = world.nodeByName('r1')!.stack!;
    expect(ifaceGet(r1, 'vlan4')!.carrier).toBe(false);
    expect(ping(world, 'a4', '10.0.4.1')).toEqual([]);
    world.setLinkUp('l4', true);
    expect(ifaceGet(r1, 'vlan6')!.carrier).toBe(true);
    // b4 (a4 now holds a "host is down" ARP entry for 10.0.4.1, as FreeBSD would).
    expect(ping(world, 'b4', '10.0.4.1')).toEqual([64]);
  });

  it('warns about a vlan interface without a usable parent and keeps running', () => {
    const d = routerOnAStick();
    d.nodes[5].interfaces.push(vlanIface('vlan9', 'eth7', 9, []));
    const world = new World(d, { seed: 1 });
    expect(world.warnings).toEqual(['node r1: VLAN interface vlan9 (vlan_dev eth7, vlan_tag 9) has no usable parent or tag; it stays unlinked']);
    expect(ping(world, 'a4', '10.0.6.20')).toEqual([63]);
  });

  it('refuses a capture on a sub-interface and points at its parent', () => {
    const world = new World(routerOnAStick(), { seed: 1 });
    expect(() => world.startCapture({ kind: 'iface', node: 'r1', iface: 'vlan4' })).toThrow('r1:vlan4 is a VLAN interface with no link of its own: capture on r1:eth0 to see its tagged frames');
    expect(typeof world.startCapture({ kind: 'iface', node: 'r1', iface: 'eth0' })).toBe('object');
  });

  it('is deterministic: the same seed gives the same trace hash', () => {
    const run = () => {
      const world = new World(routerOnAStick(), { seed: 7 });
      ping(world, 'a4', '10.0.6.20');
      ping(world, 'a4', '10.0.4.22');
      return world.traceHash();
    };
    expect(run()).toBe(run());
  });

  it('the trunk capture is tshark-clean: tagged frames with VID 4 and 6, TPID 0x8100', async () => {
    const caps: Capture[] = [];
    const world = new World(routerOnAStick(), { seed: 1, onWired: (w) => void caps.push(w.startCapture({ kind: 'link', link: 'l4' })) });
    ping(world, 'a4', '10.0.6.20');
    ping(world, 'd6', '10.0.4.21');
    const cap = caps[0];
    if (cap === undefined) throw new Error('no capture');
    const bytes = cap.toPcap();
    if (!tsharkAvailable()) return;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'virtnet-vlan-')), 'trunk.pcap');
    writeFileSync(file, bytes);
    const v = await validateCapture(file);
    expect(v).toMatchObject({ malformed: 0, badChecksums: 0, expertLines: [] });
    expect(v.packets).toBeGreaterThan(10);
    const rows = await tsharkFields(file, ['vlan.id', 'eth.type', 'vlan.priority']);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['4', '6']));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['0x8100']));
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['0']));
  });
});
