// VirtNet's multi-area OSPF against real FRR (zebra, ospfd, staticd from /usr/lib/frr) in
// network namespaces: the same three-area topology (backbone with two ABRs, areas 1 and
// 0.0.0.2, an ASBR in area 2) and the same frr.conf in both; every router's OSPF routes in
// the kernel table and the summary-LSAs each area holds must agree, once as it is and once
// with area 1 totally stubby and area 0.0.0.2 summarized by a range. Needs root, iproute2
// and FRR; elsewhere it skips with one line saying why.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { routeList } from '../../src/emulator/stack/route';
import { formatCidr, formatIpv4 } from '../../src/emulator/wire/addr';
import { LSA_TYPE } from '../../src/emulator/wire/ospf';
import { NetnsLab, netnsUnavailable, removeStaleNamespaces, removeTree } from './netns';
import { ifacesOf, virtnetDoc, type RefTopology } from './ref-topology';

const FRR = '/usr/lib/frr';
const S = 1_000_000_000;

function frrUnavailable(): string | null {
  const why = netnsUnavailable();
  if (why !== null) return why;
  for (const d of ['zebra', 'ospfd', 'staticd']) if (!existsSync(join(FRR, d))) return `${FRR}/${d} not found (Debian package frr)`;
  try {
    execFileSync('id', ['frr'], { stdio: 'ignore' });
  } catch {
    return 'no frr user (Debian package frr)';
  }
  return null;
}

/** The three-area topology of test/scenarios/ospf-areas.test.ts, as a reference spec. */
const THREE_AREAS: RefTopology = {
  name: 'three-areas',
  nodes: [...['r1', 'abr1', 'c0', 'abr2', 'r2'].map((name) => ({ name, kind: 'router' as const })), ...['pc1', 'pc2', 'pc0'].map((name) => ({ name, kind: 'pc' as const }))],
  links: [
    { a: ['r1', '10.1.1.1/24'], b: ['pc1', '10.1.1.20/24'] },
    { a: ['r1', '10.1.12.1/24'], b: ['abr1', '10.1.12.2/24'] },
    { a: ['abr1', '10.0.1.2/24'], b: ['c0', '10.0.1.3/24'] },
    { a: ['c0', '10.0.2.3/24'], b: ['abr2', '10.0.2.4/24'] },
    { a: ['abr1', '10.0.3.2/24'], b: ['abr2', '10.0.3.4/24'] },
    { a: ['abr2', '10.2.12.4/24'], b: ['r2', '10.2.12.5/24'] },
    { a: ['r2', '10.2.2.1/24'], b: ['pc2', '10.2.2.20/24'] },
    { a: ['c0', '10.0.100.1/24'], b: ['pc0', '10.0.100.20/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.1.1.1' },
    { node: 'pc2', dest: '0.0.0.0/0', gateway: '10.2.2.1' },
    { node: 'pc0', dest: '0.0.0.0/0', gateway: '10.0.100.1' },
  ],
  probes: [],
};

/**
 * The two configurations compared: `plain` (areas 1 and 0.0.0.2 normal), and `stub` (area 1
 * totally stubby: `stub` on r1, `stub no-summary` on abr1; abr2 summarizing area 0.0.0.2 as
 * `range 10.2.0.0/16`).
 */
type Variant = 'plain' | 'stub';

/** Each router's frr.conf, the same text for FRR and VirtNet: fast hellos so both converge in seconds. */
function frrConf(router: string, variant: Variant): string {
  const ifaces = ifacesOf(THREE_AREAS).get(router)!;
  const timers = ifaces.map(([name]) => `interface ${name}\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n!\n`).join('');
  const extra: Record<string, string[]> = variant === 'stub' ? { r1: ['area 1 stub'], abr1: ['area 1 stub no-summary'], abr2: ['area 0.0.0.2 range 10.2.0.0/16'] } : {};
  const ospf = (id: number, lines: string[]) => `router ospf\n ospf router-id ${id}.${id}.${id}.${id}\n${[...lines, ...(extra[router] ?? [])].map((l) => ` ${l}\n`).join('')}!\n`;
  switch (router) {
    case 'r1':
      return timers + ospf(1, ['network 10.1.0.0/16 area 1']);
    case 'abr1':
      return timers + 'interface eth2\n ip ospf cost 100\n!\n' + ospf(2, ['network 10.1.0.0/16 area 1', 'network 10.0.0.0/16 area 0']);
    case 'c0':
      return timers + ospf(3, ['network 10.0.0.0/16 area 0.0.0.0']);
    case 'abr2':
      return timers + 'interface eth1\n ip ospf cost 100\n!\n' + ospf(4, ['network 10.0.0.0/16 area 0', 'network 10.2.0.0/16 area 0.0.0.2']);
    case 'r2':
      return 'ip route 192.168.50.0/24 10.2.2.20\n' + timers + ospf(5, ['network 10.2.0.0/16 area 0.0.0.2', 'redistribute static']);
    default:
      throw new Error(router);
  }
}

const ROUTERS = ['r1', 'abr1', 'c0', 'abr2', 'r2'];

/** `dest via gateway iface` for every OSPF route of a router, sorted. */
function virtnetRoutes(world: World, node: string): string[] {
  return routeList(world.nodeByName(node)!.stack!).filter((r) => r.kind === 'ospf').map((r) => `${formatCidr(r.dest, r.prefixLen)} via ${formatIpv4(r.gateway!)} ${r.iface}`).sort();
}

function virtnetSummaries(world: World, node: string, area: number): string[] {
  return [...world.nodeByName(node)!.daemons!.ospf!.lsdb.values()].filter((l) => l.area === area && l.hdr.type === LSA_TYPE.SUMMARY && l.hdr.age < 3600).map((l) => `${formatIpv4(l.hdr.id)} by ${formatIpv4(l.hdr.adv)}`).sort();
}

/** The summary-LSAs of one area in FRR's `show ip ospf database` (Link ID and ADV Router columns). */
function frrSummaries(db: string, area: string): string[] {
  const m = new RegExp(`Summary Link States \\(Area ${area.replace(/\./g, '\\.')}( \\[Stub\\])?\\)`).exec(db);
  const at = m === null ? -1 : m.index;
  if (at < 0) return [];
  const rows = db.slice(at).split('\n').slice(3);
  const out: string[] = [];
  for (const row of rows) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\s+(\d+\.\d+\.\d+\.\d+)\s/.exec(row);
    if (m === null) break;
    out.push(`${m[1]} by ${m[2]}`);
  }
  return out.sort();
}

const why = frrUnavailable();
if (why !== null) console.warn(`OSPF areas reference vs FRR skipped: ${why}`);

for (const variant of ['plain', 'stub'] as const)
describe.skipIf(why !== null)(`multi-area OSPF${variant === 'stub' ? ' with a totally stubby area and an area range' : ''}: VirtNet vs FRR ospfd (network namespaces)`, () => {
  const lab = new NetnsLab(variant === 'stub' ? 'ospfs' : 'ospfa');
  const dir = why === null ? mkdtempSync(join(tmpdir(), 'virtnet-frr-')) : '';
  const pids: number[] = [];

  beforeAll(() => {
    removeStaleNamespaces();
    chmodSync(dir, 0o777); // the daemons drop to the frr user
    lab.build(THREE_AREAS);
    for (const r of ROUTERS) {
      const d = join(dir, r);
      mkdirSync(d);
      chmodSync(d, 0o777);
      writeFileSync(join(d, 'frr.conf'), frrConf(r, variant));
      for (const daemon of ['zebra', 'staticd', 'ospfd']) {
        const pidFile = join(d, `${daemon}.pid`);
        execFileSync('ip', ['netns', 'exec', lab.ns(r), join(FRR, daemon), '-d', '-f', join(d, 'frr.conf'), '-i', pidFile, '-z', join(d, 'zserv.api'), '-u', 'frr', '-g', 'frr', '-P', '0', '--vty_socket', d], { stdio: 'ignore', timeout: 20_000 });
        for (let k = 0; k < 50 && !existsSync(pidFile); k++) execFileSync('sleep', ['0.1']);
        pids.push(Number(readFileSync(pidFile, 'utf8').trim()));
      }
    }
  }, 120_000);

  afterAll(() => {
    for (const pid of pids) {
      try {
        process.kill(pid);
      } catch {
        /* already gone */
      }
    }
    lab.destroy();
    if (dir !== '') removeTree(dir);
  });

  it('every router installs the same OSPF routes, and each area holds the same summary-LSAs', () => {
    const doc = virtnetDoc(THREE_AREAS);
    for (const n of doc.nodes) if (n.kind === 'router') n.frrConf = frrConf(n.name, variant);
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(40 * S);
    const want = new Map(ROUTERS.map((r) => [r, virtnetRoutes(world, r)]));
    // An equal-cost route FRR installs with all its next hops (`via a eth0|b eth1`); VirtNet
    // installs one path, which must be one of them.
    const frrRoutes = (r: string): string[] => {
      type Hop = { gateway?: string; dev?: string };
      const json = JSON.parse(execFileSync('ip', ['-j', '-n', lab.ns(r), 'route', 'show', 'proto', 'ospf'], { encoding: 'utf8' })) as ({ dst: string; type?: string; nexthops?: Hop[] } & Hop)[];
      // FRR's discard route for an active area range (a blackhole at the ABR), which VirtNet does not install.
      return json.filter((x) => x.type !== 'blackhole').map((x) => `${x.dst === 'default' ? '0.0.0.0/0' : x.dst.includes('/') ? x.dst : `${x.dst}/32`} via ${(x.nexthops ?? [x]).map((h) => `${h.gateway} ${h.dev}`).join('|')}`).sort();
    };
    const agrees = (virtnet: string[], frr: string[]) =>
      virtnet.length === frr.length && virtnet.every((v, k) => {
        const [dest, hop] = v.split(' via ');
        const [fdest, fhops] = frr[k]!.split(' via ');
        return dest === fdest && fhops!.split('|').includes(hop!);
      });
    // FRR converges in wall time (a loaded machine delays its adjacencies): look every second
    // for at most 90 s; after 20 s, its table once unchanged for 5 s is its answer; sooner when it agrees.
    let frr = new Map<string, string[]>();
    let sameFor = 0;
    for (let k = 0; k < 90 && !(sameFor >= 5 && k >= 20); k++) {
      execFileSync('sleep', ['1']);
      const now = new Map(ROUTERS.map((r) => [r, frrRoutes(r)]));
      sameFor = ROUTERS.every((r) => (frr.get(r) ?? []).join() === now.get(r)!.join()) ? sameFor + 1 : 0;
      frr = now;
      if (ROUTERS.every((r) => agrees(want.get(r)!, now.get(r)!))) break;
    }
    for (const r of ROUTERS) expect.soft(agrees(want.get(r)!, frr.get(r)!), `${r}'s OSPF routes: VirtNet ${want.get(r)!.join(', ')}; FRR ${frr.get(r)!.join(', ')}`).toBe(true);
    if (variant === 'plain') {
      expect(want.get('r1')).toContain('10.2.2.0/24 via 10.1.12.2 eth1');
      expect(want.get('r1')).toContain('192.168.50.0/24 via 10.1.12.2 eth1');
    } else {
      expect(want.get('r1')).toEqual(['0.0.0.0/0 via 10.1.12.2 eth1']);
      expect(want.get('c0')).toContain('10.2.0.0/16 via 10.0.2.4 eth1');
    }
    const vtysh = (r: string, cmd: string) => execFileSync('vtysh', ['--vty_socket', join(dir, r), '-c', cmd], { encoding: 'utf8' });
    for (const [r, area, id] of [['r1', '0.0.0.1', 1], ['c0', '0.0.0.0', 0], ['r2', '0.0.0.2', 2]] as const) {
      const theirs = frrSummaries(vtysh(r, 'show ip ospf database'), area);
      expect(theirs.length, `${r}: FRR lists summary-LSAs in area ${area}`).toBeGreaterThan(variant === 'plain' ? 3 : r === 'r1' ? 0 : 2);
      if (variant === 'stub' && r === 'r1') expect(theirs).toEqual(['0.0.0.0 by 2.2.2.2']);
      expect.soft(virtnetSummaries(world, r, id), `${r}: summaries in area ${area}`).toEqual(theirs);
    }
    const ecmp = ROUTERS.flatMap((r) => frr.get(r)!.filter((x) => x.includes('|')).map((x) => `${r}: ${x}`));
    console.log(`OSPF areas reference (${variant}): FRR's routes ${ROUTERS.map((r) => `${r} ${frr.get(r)!.length}`).join(', ')}; equal-cost (VirtNet installs one of the paths): ${ecmp.join('; ') || 'none'}`);
  }, 180_000);
});
