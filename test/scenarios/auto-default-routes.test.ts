// IMUNES `auto_default_routes`: pcs and hosts with it enabled get a default route toward
// the router of their subnet (through switches), as IMUNES's getDefaultRoutesConfig does;
// without it, or with a static default, nothing is added.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { imunesDefaultGateways } from '../../src/emulator/topology/imunes/default-routes';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { builder } from './topologies';

function lab(auto: 'enabled' | 'disabled'): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const sw = b.node('lanswitch', 'switch1');
  const r = b.node('router', 'router1');
  const pc2 = b.node('host', 'host1');
  b.link(pc1, sw, { aIp: '10.0.0.20/24' });
  b.link(sw, r, { bIp: '10.0.0.1/24' });
  b.link(r, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.10/24' });
  for (const n of [pc1, pc2]) n.extra = { auto_default_routes: auto };
  return b.doc;
}

describe('IMUNES auto_default_routes', () => {
  it('finds the router of each subnet, through a switch', () => {
    const doc = lab('enabled');
    expect(imunesDefaultGateways(doc, doc.nodes[0])).toEqual(['10.0.0.1']);
    expect(imunesDefaultGateways(doc, doc.nodes[3])).toEqual(['10.0.1.1']);
    expect(imunesDefaultGateways(doc, doc.nodes[2])).toEqual([]); // routers: only ext gateways
  });

  it('enabled: pcs and hosts get the default route and reach across the router', () => {
    const world = new World(lab('enabled'));
    expect(runCommand(world, 'pc1', 'netstat -rn').output).toContain('default            10.0.0.1           UGS        eth0');
    expect(runCommand(world, 'pc1', 'ping -c 2 10.0.1.10').output).toContain('2 packets received');
  });

  it('disabled: no default route is added', () => {
    const world = new World(lab('disabled'));
    expect(runCommand(world, 'pc1', 'netstat -rn').output).not.toContain('default');
  });

  it('a static default route of the node is kept', () => {
    const doc = lab('enabled');
    doc.nodes[0].routes4.push({ dest: '0.0.0.0/0', gateway: '10.0.0.99' });
    const world = new World(doc);
    expect(runCommand(world, 'pc1', 'netstat -rn').output).toContain('default            10.0.0.99');
  });
});
