// Learning bridge vs hub: a frame for a learned MAC reaches one port on a switch and all
// other ports on a hub; unknown and broadcast destinations flood; entries age after 15 minutes (ng_bridge maxStaleness).
import { describe, expect, it } from 'vitest';
import { Bridge, LOOP_TIMEOUT_NS, MAC_AGING_NS, MAC_TABLE_MAX, MIN_STABLE_AGE_NS, vlanPortsFromDoc } from './bridge';
import { Hub } from './hub';
import { Scheduler } from '../sim/scheduler';

function eth(dst: number, src: number): Uint8Array {
  const f = new Uint8Array(60);
  for (let i = 0; i < 6; i++) {
    f[i] = Math.floor(dst / 2 ** (8 * (5 - i))) & 0xff;
    f[6 + i] = Math.floor(src / 2 ** (8 * (5 - i))) & 0xff;
  }
  f[12] = 0x08;
  return f;
}

const A = 0x4200aa000001;
const B = 0x4200aa000002;
const C = 0x4200aa000003;
const BCAST = 0xffffffffffff;

function make(kind: 'switch' | 'hub') {
  const sim = new Scheduler();
  const out: number[] = [];
  const transmit = (port: number) => out.push(port);
  const node = kind === 'switch' ? new Bridge({ sim, ports: ['e0', 'e1', 'e2'], transmit }) : new Hub({ ports: ['e0', 'e1', 'e2'], transmit });
  return { sim, node, out };
}

describe('lanswitch', () => {
  it('floods unknown, then forwards a learned MAC to exactly one port', () => {
    const { node, out } = make('switch');
    node.input(0, eth(B, A)); // B unknown → flood to 1, 2
    expect(out.splice(0)).toEqual([1, 2]);
    node.input(1, eth(A, B)); // A learned on port 0
    expect(out.splice(0)).toEqual([0]);
    node.input(2, eth(B, C)); // B learned on port 1
    expect(out.splice(0)).toEqual([1]);
    expect((node as Bridge).macTable().map((e) => [e.mac, e.port])).toEqual([
      ['42:00:aa:00:00:01', 'e0'],
      ['42:00:aa:00:00:02', 'e1'],
      ['42:00:aa:00:00:03', 'e2'],
    ]);
    expect(node.counters[1].flooded).toBe(1);
    expect(node.counters[1].txPackets).toBe(2);
  });

  it('floods broadcast and filters frames for the ingress port', () => {
    const { node, out } = make('switch');
    node.input(0, eth(BCAST, A));
    expect(out.splice(0)).toEqual([1, 2]);
    node.input(0, eth(A, C)); // A is on port 0, same as ingress: filtered
    expect(out.splice(0)).toEqual([]);
    expect(node.counters[0].filtered).toBe(1);
  });

  it('ages entries after 15 minutes, as ng_bridge does, and forgets a port that lost carrier', () => {
    const { sim, node, out } = make('switch');
    const br = node as Bridge;
    node.input(0, eth(BCAST, A));
    out.length = 0;
    expect(MAC_AGING_NS).toBe(900e9);
    sim.runUntil(MAC_AGING_NS - 1);
    node.input(1, eth(A, B));
    expect(out.splice(0)).toEqual([0]);
    expect(br.macTable().find((e) => e.mac === '42:00:aa:00:00:01')?.ageNs).toBe(MAC_AGING_NS - 1);
    sim.runUntil(MAC_AGING_NS);
    expect(br.macTable().map((e) => e.mac)).toEqual(['42:00:aa:00:00:02']);
    node.input(1, eth(A, B));
    expect(out.splice(0)).toEqual([0, 2]);
    node.setCarrier(1, false);
    expect(br.lookup(B)).toBe(-1);
    node.input(0, eth(B, A)); // port 1 down: flood reaches only port 2
    expect(out.splice(0)).toEqual([2]);
  });
});

describe('hub', () => {
  it('sends every frame to all other ports, even for a known MAC', () => {
    const { node, out } = make('hub');
    node.input(0, eth(B, A));
    node.input(1, eth(A, B));
    expect(out.splice(0)).toEqual([1, 2, 0, 2]);
    node.input(2, eth(A, C));
    expect(out.splice(0)).toEqual([0, 1]);
    expect(node.counters[2].rxPackets).toBe(1);
  });
});

// ---- 802.1Q VLAN filtering (IMUNES lanswitch with vlan_filtering) ----------------------

function tagged(dst: number, src: number, vid: number): Uint8Array {
  const u = eth(dst, src);
  const f = new Uint8Array(64);
  f.set(u.subarray(0, 12), 0);
  f[12] = 0x81;
  f[14] = vid >> 8;
  f[15] = vid & 0xff;
  f.set(u.subarray(12), 16);
  return f;
}

const vidOf = (f: Uint8Array) => (f[12] === 0x81 && f[13] === 0 ? ((f[14] << 8) | f[15]) & 0xfff : -1);

/** e0 access 4, e1 access 6, e2 trunk, e3 access 4 — the IMUNES lab plus a second VLAN-4 port. */
function makeVlan() {
  const sim = new Scheduler();
  const out: { port: number; frame: Uint8Array }[] = [];
  const br = new Bridge({
    sim,
    ports: ['e0', 'e1', 'e2', 'e3'],
    transmit: (port, frame) => out.push({ port, frame }),
    vlans: [{ mode: 'access', vid: 4 }, { mode: 'access', vid: 6 }, { mode: 'trunk' }, { mode: 'access', vid: 4 }],
  });
  const take = () => out.splice(0).map((o) => [o.port, vidOf(o.frame), o.frame.length]);
  return { sim, br, out, take };
}

describe('lanswitch with VLAN filtering', () => {
  it('floods an access frame only within its VLAN, tagged on the trunk and untagged on access ports', () => {
    const { br, out, take } = makeVlan();
    const f = eth(BCAST, A);
    br.input(0, f);
    const sent = out.slice();
    expect(take()).toEqual([[2, 4, 64], [3, -1, 60]]);
    expect(sent[1].frame).toBe(f); // access → access: the same bytes
    // Tag is TPID 0x8100, PCP 0, VID 4; the rest of the frame is unchanged after it.
    expect([...sent[0].frame.subarray(12, 18)]).toEqual([0x81, 0x00, 0x00, 0x04, 0x08, 0x00]);
    expect([...sent[0].frame.subarray(0, 12)]).toEqual([...f.subarray(0, 12)]);
    expect(f[12]).toBe(0x08); // input never mutated
  });

  it('isolates VLAN 4 from VLAN 6 (no frame crosses, even for a learned MAC)', () => {
    const { br, take } = makeVlan();
    br.input(1, eth(BCAST, B)); // B learned in VLAN 6 on e1
    expect(take()).toEqual([[2, 6, 64]]);
    br.input(0, eth(B, A)); // A in VLAN 4 looks for B: unknown in VLAN 4 → flood VLAN 4 only
    expect(take()).toEqual([[2, 4, 64], [3, -1, 60]]);
    expect(br.lookupVlan(6, B)).toBe(1);
    expect(br.lookupVlan(4, B)).toBe(-1);
  });

  it('untags trunk frames to the access ports of their VLAN and learns per (VLAN, MAC)', () => {
    const { br, take } = makeVlan();
    br.input(2, tagged(BCAST, C, 4)); // C behind the trunk, VLAN 4
    expect(take()).toEqual([[0, -1, 60], [3, -1, 60]]);
    br.input(2, tagged(BCAST, C, 6)); // the same MAC in VLAN 6 is another station
    expect(take()).toEqual([[1, -1, 60]]);
    br.input(0, eth(C, A)); // known in VLAN 4: unicast to the trunk, tagged
    expect(take()).toEqual([[2, 4, 64]]);
    br.input(2, tagged(A, C, 4)); // back: unicast to e0 only
    expect(take()).toEqual([[0, -1, 60]]);
    expect(br.macTable().map((e) => [e.vlan, e.mac, e.port])).toEqual([
      [4, '42:00:aa:00:00:01', 'e0'],
      [4, '42:00:aa:00:00:03', 'e2'],
      [6, '42:00:aa:00:00:03', 'e2'],
    ]);
    expect(br.counters[2].flooded).toBe(0);
  });

  it('drops tagged frames on access ports and untagged, VID 0 and unknown-VLAN-only frames on trunks', () => {
    const { br, take } = makeVlan();
    br.input(0, tagged(BCAST, A, 6)); // tagged on an access port: discarded
    br.input(2, eth(BCAST, C)); // untagged on a trunk: no native VLAN
    br.input(2, tagged(BCAST, C, 0)); // priority-tagged on a trunk
    br.input(2, tagged(BCAST, C, 9)); // a VLAN with no other member: nowhere to go
    expect(take()).toEqual([]);
    br.input(0, tagged(BCAST, A, 4).subarray(0, 16)); // TPID but no room for the tag
    expect(br.counters[0].filtered).toBe(2);
    expect(br.counters[2].filtered).toBe(2);
    // A priority-tagged frame on an access port joins the port's VLAN (802.1Q §6.9).
    br.input(0, tagged(BCAST, A, 0));
    expect(take()).toEqual([[2, 4, 64], [3, -1, 60]]);
  });

  it('forwards tagged frames between trunks unchanged', () => {
    const sim = new Scheduler();
    const out: { port: number; frame: Uint8Array }[] = [];
    const br = new Bridge({ sim, ports: ['e0', 'e1'], transmit: (port, frame) => out.push({ port, frame }), vlans: [{ mode: 'trunk' }, { mode: 'trunk' }] });
    const f = tagged(BCAST, A, 100);
    br.input(0, f);
    expect(out.map((o) => o.port)).toEqual([1]);
    expect(out[0].frame).toBe(f);
  });

  it('without vlan_filtering tags mean nothing: the switch bridges every port as before', () => {
    const { node, out } = make('switch');
    node.input(0, tagged(BCAST, A, 4));
    expect(out.splice(0)).toEqual([1, 2]);
    expect((node as Bridge).macTable()[0]).toEqual({ mac: '42:00:aa:00:00:01', port: 'e0', ageNs: 0 });
  });

  it('reads IMUNES port settings: access tag, trunk, VLAN 1 default, bad tags reported', () => {
    const problems: string[] = [];
    const ports = [
      { name: 'e0', extra: { vlan_tag: '4' } },
      { name: 'e1', extra: { vlan_type: 'trunk' } },
      { name: 'e2' },
      { name: 'e3', extra: { vlan_tag: '5000' } },
    ];
    expect(vlanPortsFromDoc(undefined, ports, problems)).toBeNull();
    expect(vlanPortsFromDoc('0', ports, problems)).toBeNull();
    expect(vlanPortsFromDoc('1', ports, problems)).toEqual([
      { mode: 'access', vid: 4 },
      { mode: 'trunk' },
      { mode: 'access', vid: 1 },
      { mode: 'access', vid: 1 },
    ]);
    expect(problems).toEqual(['port e3: VLAN tag 5000 is not in 1–4094; using VLAN 1']);
  });
});

describe('lanswitch loop detection (ng_bridge)', () => {
  function makeLoop() {
    const sim = new Scheduler();
    const out: number[] = [];
    const drops: [number, string][] = [];
    const notices: string[] = [];
    const br = new Bridge({ sim, ports: ['e0', 'e1', 'e2'], transmit: (p) => out.push(p), drop: (p, _f, r) => drops.push([p, r]), notice: (m) => notices.push(m) });
    return { sim, br, out, drops, notices };
  }

  it('a MAC that moves ports within minStableAge mutes the new port for the loop timeout', () => {
    const { sim, br, out, drops, notices } = makeLoop();
    br.input(0, eth(BCAST, A)); // A placed on e0
    expect(out.splice(0)).toEqual([1, 2]);
    br.input(1, eth(BCAST, A)); // the same broadcast came back around a loop on e1
    expect(out.splice(0)).toEqual([]);
    expect(drops).toEqual([[1, 'loop-detected']]);
    expect(br.isMuted(1)).toBe(true);
    expect(br.counters[1].loopDetects).toBe(1);
    expect(notices[0]).toMatch(/loop detected on e1.*muted for 60 s/);
    // While muted, e1 receives nothing, even from other stations.
    br.input(1, eth(BCAST, B));
    expect(out.splice(0)).toEqual([]);
    expect(drops.at(-1)).toEqual([1, 'loop-detected']);
    expect(br.counters[1].loopDrops).toBe(2);
    expect(br.counters[1].drops).toBe(2);
    // After LOOP_TIMEOUT_NS the port is back.
    sim.runUntil(LOOP_TIMEOUT_NS);
    expect(br.isMuted(1)).toBe(false);
    br.input(1, eth(BCAST, B));
    expect(out.splice(0)).toEqual([0, 2]);
  });

  it('a host that moves after minStableAge is simply re-learned (no loop)', () => {
    const { sim, br, drops } = makeLoop();
    br.input(0, eth(BCAST, A));
    sim.runUntil(MIN_STABLE_AGE_NS);
    br.input(2, eth(BCAST, A));
    expect(drops).toEqual([]);
    expect(br.lookup(A)).toBe(2);
  });

  it('learning is bounded: a MAC flood fills the table once, reports it once, and still forwards', () => {
    const { br, out, notices } = makeLoop();
    for (let k = 0; k < MAC_TABLE_MAX + 100; k++) br.input(0, eth(BCAST, 0x020000000000 + k));
    expect(br.macTable().length).toBe(MAC_TABLE_MAX);
    expect(notices.filter((m) => m.includes('MAC table full'))).toHaveLength(1);
    expect(out.length).toBe(2 * (MAC_TABLE_MAX + 100));
  });
});
