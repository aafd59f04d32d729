// Learning bridge vs hub: a frame for a learned MAC reaches one port on a switch and all
// other ports on a hub; unknown and broadcast destinations flood; entries age at 300 s.
import { describe, expect, it } from 'vitest';
import { Bridge, MAC_AGING_NS } from './bridge';
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
    expect(node.counters[1].floodedFrames).toBe(1);
    expect(node.counters[1].txFrames).toBe(2);
  });

  it('floods broadcast and filters frames for the ingress port', () => {
    const { node, out } = make('switch');
    node.input(0, eth(BCAST, A));
    expect(out.splice(0)).toEqual([1, 2]);
    node.input(0, eth(A, C)); // A is on port 0, same as ingress: filtered
    expect(out.splice(0)).toEqual([]);
    expect(node.counters[0].filteredFrames).toBe(1);
  });

  it('ages entries after 300 s and forgets a port that lost carrier', () => {
    const { sim, node, out } = make('switch');
    const br = node as Bridge;
    node.input(0, eth(BCAST, A));
    out.length = 0;
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
    expect(node.counters[2].rxFrames).toBe(1);
  });
});
