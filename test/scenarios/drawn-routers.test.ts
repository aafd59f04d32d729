// Routers drawn in the editor get IMUNES's default routing (model frr, router_config
// "rip 1 ripng 1 …": getRouterProtocolCfg's RIP section), so pc1 — router1 — router2 —
// router3 — pc2 drawn with the editor's own operations pings after RIP converges. Without
// it (static routing, as the samples keep) the far subnet is unreachable.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { addLink, addNode, type Refused } from '../../src/emulator/topology/edit';
import { emptyDocument } from '../../src/emulator/topology/document';
import type { TopologyDoc } from '../../src/emulator/topology/document';

const S = 1_000_000_000;

function draw(defaultRouting: boolean): TopologyDoc {
  let doc = emptyDocument();
  const ids: string[] = [];
  for (const [k, kind] of (['pc', 'router', 'router', 'router', 'pc'] as const).entries()) {
    const r = addNode(doc, kind, { x: 100 * k, y: 100 }, { defaultRouting });
    doc = r.doc;
    ids.push(r.nodeId);
  }
  for (let k = 0; k + 1 < ids.length; k++) {
    const r = addLink(doc, ids[k]!, ids[k + 1]!);
    if ((r as Refused).error !== undefined) throw new Error((r as Refused).error);
    doc = (r as { doc: TopologyDoc }).doc;
  }
  return doc;
}

describe('routers drawn in the editor', () => {
  it('run RIP as IMUNES configures a new router, and the drawing routes end to end', () => {
    const doc = draw(true);
    const r1 = doc.nodes.find((n) => n.name === 'router1')!;
    expect(r1.extra).toEqual({ model: 'frr', router_config: 'rip 1 ripng 1 ospf 0 ospf6 0 bgp 0' });
    expect(r1.frrConf).toBe('router rip\n redistribute static\n redistribute connected\n redistribute ospf\n network 0.0.0.0/0\n!\n');
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(40 * S);
    const pc2 = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    expect(runCommand(world, 'pc1', `ping -c 1 ${pc2}`).output).toContain('1 packets received');
    expect(runCommand(world, 'router1', "vtysh -c 'show ip route'").output).toMatch(/^R>\* 10\.0\.3\.0\/24 \[120\/3\]/m);
  });

  it('without default routing (what every drawn router had before) the far subnet is unreachable', () => {
    const doc = draw(false);
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(40 * S);
    const pc2 = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    expect(runCommand(world, 'pc1', `ping -c 1 -t 2 ${pc2}`).output).toContain('0 packets received');
  });
});
