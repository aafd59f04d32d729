// A datagram a router cannot forward because the outgoing link is down is charged to that
// outgoing interface (router1:eth1), with reason link-down — not to the one it came in on.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { hostRouterHost } from '../scenarios/topologies';

describe('drop attribution', () => {
  it('a link-down drop at a router names the interface whose link is down', () => {
    const w = new World(hostRouterHost());
    w.sim.runUntil(1e9);
    w.setLinkUp('l1', false); // router1:eth1 — pc2:eth0
    const drops: TrafficEvent[] = [];
    w.onTraffic((e) => e.action === 'drop' && drops.push(e));
    runCommand(w, 'pc1', 'ping -c 1 10.0.1.20');
    const atRouter = drops.filter((e) => e.node === w.nodeByName('router1')!.id);
    expect(atRouter.length).toBeGreaterThan(0);
    expect(atRouter.map((e) => `${e.iface} ${e.reason}`)).toEqual(atRouter.map(() => 'eth1 link-down'));
    expect(w.linkLabel(w.link('l1')!)).toBe('router1:eth1 — pc2:eth0');
  });
});
