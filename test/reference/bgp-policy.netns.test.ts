// VirtNet's bgpd against real FRR bgpd (8.x, in network namespaces) on one routing-policy
// case: r (AS 65001) hears 10.99.0.0/24 from p1 (AS 65002) and p2 (AS 65003); p1 prepends
// and sets a MED outbound, r's prefix list drops p1's own LAN, r's route-map on p2 raises
// the local preference of the server LAN and denies the rest (implicit deny). The BGP table
// on r (`show ip bgp`: every path with its next hop, metric, local preference, weight, path
// and which is best) and the prefix counts must agree. Needs root, iproute2 and FRR;
// elsewhere it skips with one line saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { NetnsLab, netnsUnavailable, removeStaleNamespaces } from './netns';
import { frrUnavailable, FrrLab } from './frr';
import { virtnetDoc, type RefTopology } from './ref-topology';

const why = netnsUnavailable() ?? frrUnavailable();
if (why !== null) console.warn(`BGP policy reference vs FRR skipped: ${why}`);

const TOPOLOGY: RefTopology = {
  name: 'bgp-policy',
  nodes: [{ name: 'r', kind: 'router' }, { name: 'p1', kind: 'router' }, { name: 'p2', kind: 'router' }],
  links: [
    { a: ['r', '10.0.1.1/24'], b: ['p1', '10.0.1.2/24'] },
    { a: ['r', '10.0.2.1/24'], b: ['p2', '10.0.2.2/24'] },
    { a: ['p1', '10.99.0.1/24'], b: ['p2', '10.99.0.2/24'] },
  ],
  routes: [],
  probes: [],
};

const CONF: Record<string, string> = {
  r: `ip prefix-list NOT-P1-LAN seq 5 deny 10.0.1.0/24
ip prefix-list NOT-P1-LAN seq 10 permit any
ip prefix-list SERVERS seq 5 permit 10.99.0.0/16 le 24
!
route-map FROM-P2 permit 10
 match ip address prefix-list SERVERS
 set local-preference 200
!
router bgp 65001
 bgp router-id 1.1.1.1
 neighbor 10.0.1.2 remote-as 65002
 neighbor 10.0.2.2 remote-as 65003
 address-family ipv4 unicast
  neighbor 10.0.1.2 prefix-list NOT-P1-LAN in
  neighbor 10.0.2.2 route-map FROM-P2 in
 exit-address-family
!
`,
  p1: `route-map TO-R permit 10
 set as-path prepend 65002 65002
 set metric 50
 set community 65002:7 no-export
!
router bgp 65002
 bgp router-id 2.2.2.2
 no bgp ebgp-requires-policy
 neighbor 10.0.1.1 remote-as 65001
 address-family ipv4 unicast
  network 10.0.1.0/24
  network 10.99.0.0/24
  neighbor 10.0.1.1 route-map TO-R out
 exit-address-family
!
`,
  p2: `router bgp 65003
 bgp router-id 3.3.3.3
 no bgp ebgp-requires-policy
 neighbor 10.0.2.1 remote-as 65001
 address-family ipv4 unicast
  network 10.0.2.0/24
  network 10.99.0.0/24
 exit-address-family
!
`,
};

/** The same topology and configuration in VirtNet, 30 virtual seconds after Start. */
function virtnetRun(): World {
  const doc = virtnetDoc(TOPOLOGY);
  for (const n of doc.nodes) n.frrConf = CONF[n.name];
  const world = new World(doc, { seed: 1 });
  world.sim.runUntil(30e9);
  return world;
}

/** The live change, as vtysh commands: a network and an outbound route-map toward p1. */
const RECONFIGURE = ['conf t', 'route-map TO-P1 permit 10', 'set as-path prepend 65001 65001', 'exit', 'router bgp 65001', 'address-family ipv4 unicast', 'network 10.0.2.0/24', 'neighbor 10.0.1.2 route-map TO-P1 out', 'end'];
/** …then p2 removed. */
const UNPEER = ['conf t', 'router bgp 65001', 'no neighbor 10.0.2.2', 'end'];

async function waitFor(get: () => string, ok: (t: string) => boolean): Promise<string> {
  let t = '';
  for (let i = 0; i < 40 && !ok((t = get())); i++) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 1500));
  return get();
}

/** `show ip bgp` path lines as records (the network carried down to its later paths), sorted. */
function bgpPaths(text: string): string[] {
  const out: string[] = [];
  let net = '';
  for (const line of text.split('\n')) {
    const m = /^([*s>=ir ]{3})(\S+)?\s+(\d+\.\d+\.\d+\.\d+)\s+(.*)$/.exec(line);
    if (m === null || !line.startsWith('*')) continue;
    if (m[2] !== undefined) net = m[2];
    // Metric, LocPrf and Weight sit in fixed columns; the path follows.
    const rest = line.slice(40);
    out.push(`${m[1]!.trim()} ${net} via ${m[3]} metric=${rest.slice(0, 6).trim()} locprf=${rest.slice(7, 13).trim()} weight=${rest.slice(14, 20).trim()} path=${rest.slice(21).trim()}`);
  }
  return out.sort();
}

/** `show ip bgp PREFIX`: the header lines, then each path's lines as one block, sorted. */
function detailBlocks(text: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^\s+Last update:/.test(l)).map((l) => l.replace(/, version \d+$/, '').replace(/, best #\d+,/, ', best #N,'));
  const head: string[] = [];
  const blocks: string[] = [];
  for (const l of lines) {
    if (/^  \S/.test(l) && !/^  (Advertised|Not advertised)/.test(l) && head.length >= 3) blocks.push(l);
    else if (blocks.length > 0) blocks[blocks.length - 1] += `\n${l}`;
    else head.push(l);
  }
  return [...head, ...blocks.sort()];
}

function pfxRcd(summary: string): string[] {
  return summary.split('\n').filter((l) => /^\d+\.\d+\.\d+\.\d+ +4 /.test(l)).map((l) => { const w = l.trim().split(/\s+/); return `${w[0]} ${w[9]}`; });
}

describe.skipIf(why !== null)('BGP policy: VirtNet bgpd vs FRR bgpd (network namespaces)', () => {
  let frr: { table: string; summary: string; others: Record<string, string>; reconfigured: string; unpeered: string; detail: string } | null = null;
  let last = '';
  const lab = new NetnsLab('bgp');
  const daemons = new FrrLab();

  beforeAll(async () => {
    removeStaleNamespaces();
    try {
      lab.build(TOPOLOGY);
      for (const n of TOPOLOGY.nodes) daemons.start(lab.ns(n.name), CONF[n.name]!);
      // FRR converges in a few seconds: wait until r has both paths to the server LAN.
      for (let i = 0; i < 60; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const table = daemons.vtysh(lab.ns('r'), 'show ip bgp');
        last = table;
        if (bgpPaths(table).filter((l) => l.includes('10.99.0.0/24')).length === 2) {
          await new Promise((r) => setTimeout(r, 2000));
          const others = Object.fromEntries(['p1', 'p2'].map((n) => [n, daemons.vtysh(lab.ns(n), 'show ip bgp')]));
          const table0 = daemons.vtysh(lab.ns('r'), 'show ip bgp');
          const summary = daemons.vtysh(lab.ns('r'), 'show ip bgp summary');
          const detail = daemons.vtysh(lab.ns('r'), 'show ip bgp 10.99.0.0/24');
          daemons.vtysh(lab.ns('r'), RECONFIGURE);
          const reconfigured = await waitFor(() => daemons.vtysh(lab.ns('p1'), 'show ip bgp'), (t) => t.includes('10.0.2.0/24'));
          daemons.vtysh(lab.ns('r'), UNPEER);
          const unpeered = await waitFor(() => daemons.vtysh(lab.ns('r'), 'show ip bgp'), (t) => !t.includes('65003'));
          frr = { table: table0, summary, others, reconfigured, unpeered, detail };
          break;
        }
      }
    } finally {
      daemons.destroy();
      lab.destroy();
    }
  }, 120_000);

  afterAll(() => {
    daemons.destroy();
    lab.destroy();
  });

  it('r holds the same paths with the same attributes and best path; the same prefix counts', () => {
    expect(frr, `FRR converged within 60 s; r's table was:\n${last}`).not.toBeNull();
    const world = virtnetRun();
    expect(world.warnings).toEqual([]);
    const table = runCommand(world, 'r', "vtysh -c 'show ip bgp'").output;
    const summary = runCommand(world, 'r', "vtysh -c 'show ip bgp summary'").output;
    console.log(`FRR bgpd on r:\n${bgpPaths(frr!.table).join('\n')}\nVirtNet on r:\n${bgpPaths(table).join('\n')}`);
    expect(bgpPaths(table)).toEqual(bgpPaths(frr!.table));
    expect(bgpPaths(table)).toContain('*> 10.99.0.0/24 via 10.0.2.2 metric=0 locprf=200 weight=0 path=65003 i');
    expect(pfxRcd(summary)).toEqual(pfxRcd(frr!.summary));
    // The detail view: paths in any order (FRR lists the newest first, so "best #N" follows the
    // arrival order; the best path is still named by its block's "best (reason)"), FRR's
    // wall-clock "Last update" and the version left out.
    const detail = runCommand(world, 'r', "vtysh -c 'show ip bgp 10.99.0.0/24'").output;
    console.log(`FRR detail:\n${frr!.detail}\nVirtNet detail:\n${detail}`);
    expect(detailBlocks(detail)).toEqual(detailBlocks(frr!.detail));
    expect(detail).toContain('      Community: 65002:7 no-export');
  });

  it('p1 and p2 hold the same tables (r sends them nothing: no outbound policy, RFC 8212)', () => {
    expect(frr).not.toBeNull();
    const world = virtnetRun();
    for (const n of ['p1', 'p2']) expect(bgpPaths(runCommand(world, n, "vtysh -c 'show ip bgp'").output), n).toEqual(bgpPaths(frr!.others[n]!));
  });

  it('configure terminal on the running r: p1 gets the new network with the prepended path; removing p2 leaves the same table', () => {
    expect(frr).not.toBeNull();
    const world = virtnetRun();
    const vtysh = (node: string, cmds: string[]) => runCommand(world, node, `vtysh ${cmds.map((c) => `-c '${c}'`).join(' ')}`).output;
    expect(vtysh('r', RECONFIGURE)).toBe('');
    world.sim.runUntil(35e9);
    const p1 = vtysh('p1', ['show ip bgp']);
    console.log(`after the change, FRR on p1:\n${bgpPaths(frr!.reconfigured).join('\n')}\nVirtNet on p1:\n${bgpPaths(p1).join('\n')}`);
    expect(bgpPaths(p1)).toEqual(bgpPaths(frr!.reconfigured));
    expect(bgpPaths(p1)).toContain('*> 10.0.2.0/24 via 10.0.1.1 metric=0 locprf= weight=0 path=65001 65001 65001 i');
    vtysh('r', UNPEER);
    world.sim.runUntil(40e9);
    expect(bgpPaths(vtysh('r', ['show ip bgp']))).toEqual(bgpPaths(frr!.unpeered));
  });
});
