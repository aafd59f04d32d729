// VirtNet's ripd against real FRR ripd (8.x, with zebra and staticd, in network namespaces)
// on the same topology and the same frr.conf: four routers in a ring, a fifth chained to r3,
// a pc on a stub of each edge router (r2's stub passive), a static route on r4 redistributed,
// IMUNES's default `router rip` section with short `timers basic`. After convergence every
// router's RIP routes in the kernel table (destination, next hop, interface) and its RIP
// database (`show ip rip`: destination, next hop, metric) must agree, and so must the full
// updates on the wire (tcpdump vs VirtNet's capture, decoded by tshark) and r5's vtysh text;
// then the r1–r2 ring link is cut on both sides: the withdrawals (metric 16) and the
// re-converged tables must agree again. Equal-cost alternatives: RIP keeps the path it heard
// first (RFC 2453 §3.9.2, FRR without allow-ecmp), so either side may hold either one.
// Needs root, iproute2, tcpdump, tshark and FRR; elsewhere it skips with one line saying why.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { routeList } from '../../src/emulator/stack/route';
import { formatCidr, formatIpv4 } from '../../src/emulator/wire/addr';
import { IMUNES_RIP_SECTION } from '../../src/emulator/topology/imunes/frr-conf';
import { NetnsLab, netnsUnavailable, removeStaleNamespaces, removeTree } from './netns';
import { frrUnavailable, FrrLab } from './frr';
import { ifacesOf, virtnetDoc, type RefTopology } from './ref-topology';
import { tsharkAvailable, tsharkFields } from '../support/tshark';

const S = 1_000_000_000;
/** `timers basic UPDATE TIMEOUT GARBAGE`: FRR's smallest update interval, so wall-clock FRR converges in seconds. */
const TIMERS = { updateS: 5, timeoutS: 15, garbageS: 10 };

function tcpdumpUnavailable(): string | null {
  try {
    execFileSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'tcpdump not found (Debian package tcpdump)';
  }
}

const why = netnsUnavailable() ?? frrUnavailable(['ripd', 'staticd']) ?? tcpdumpUnavailable() ?? (tsharkAvailable() ? null : 'tshark not found (Debian package tshark)');
if (why !== null) console.warn(`RIP reference vs FRR skipped: ${why}`);

const ROUTERS = ['r1', 'r2', 'r3', 'r4', 'r5'];

const TOPOLOGY: RefTopology = {
  name: 'rip-ring',
  nodes: [...ROUTERS.map((name) => ({ name, kind: 'router' as const })), ...['pc1', 'pc2', 'pc4', 'pc5'].map((name) => ({ name, kind: 'pc' as const }))],
  links: [
    { a: ['r1', '10.0.12.1/24'], b: ['r2', '10.0.12.2/24'] }, // l0: the link that is cut
    { a: ['r2', '10.0.23.2/24'], b: ['r3', '10.0.23.3/24'] },
    { a: ['r3', '10.0.34.3/24'], b: ['r4', '10.0.34.4/24'] },
    { a: ['r4', '10.0.41.4/24'], b: ['r1', '10.0.41.1/24'] },
    { a: ['r3', '10.0.35.3/24'], b: ['r5', '10.0.35.5/24'] },
    { a: ['r1', '10.0.1.1/24'], b: ['pc1', '10.0.1.20/24'] },
    { a: ['r2', '10.0.2.1/24'], b: ['pc2', '10.0.2.20/24'] }, // r2 eth2: passive
    { a: ['r4', '10.0.4.1/24'], b: ['pc4', '10.0.4.20/24'] },
    { a: ['r5', '10.0.5.1/24'], b: ['pc5', '10.0.5.20/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.0.1.1' },
    { node: 'pc2', dest: '0.0.0.0/0', gateway: '10.0.2.1' },
    { node: 'pc4', dest: '0.0.0.0/0', gateway: '10.0.4.1' },
    { node: 'pc5', dest: '0.0.0.0/0', gateway: '10.0.5.1' },
  ],
  probes: [],
};
const CUT = { link: 'l0', ends: [['r1', 'eth0'], ['r2', 'eth0']] as const };
/**
 * Where the updates on the wire are compared: links no equal-cost choice touches (what split
 * horizon poisons depends on the path kept). r3→r5: routes learned from r5 and r3's own subnet
 * there; r4→pc4: the static route's next hop; r2→pc2: passive, so nothing.
 */
const WIRE = [['r3', 'eth2'], ['r4', 'eth2'], ['r2', 'eth2']] as const;
/** Where the withdrawals after the cut are compared: each cut router toward the rest of the ring. */
const POISON = [['r2', 'eth1'], ['r1', 'eth1']] as const;

/** Each router's frr.conf, the same text for FRR and VirtNet: IMUNES's RIP section plus timers (and passive on r2's stub). */
function frrConf(router: string): string {
  const extra = [` timers basic ${TIMERS.updateS} ${TIMERS.timeoutS} ${TIMERS.garbageS}`, ...(router === 'r2' ? [' passive-interface eth2'] : [])];
  const rip = [...IMUNES_RIP_SECTION.slice(0, -1), ...extra, '!'];
  const statics = router === 'r4' ? ['ip route 192.168.50.0/24 10.0.4.20', '!'] : [];
  return [`hostname ${router}`, '!', ...statics, ...rip, ''].join('\n');
}

/** One router's RIP view: kernel routes `dest → hop dev`, and the database `dest → code hop metric` (metric-16 rows apart). */
interface RipView {
  kernel: Map<string, string>;
  db: Map<string, { code: string; hop: string; metric: number }>;
  /** Destinations held at metric 16 (deleted, waiting for garbage collection): timing-dependent, reported only. */
  dead: string[];
}

/** `show ip rip` rows (FRR's format, which VirtNet prints too). */
function parseShowIpRip(text: string): Pick<RipView, 'db' | 'dead'> {
  const db: RipView['db'] = new Map();
  const dead: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Z]\(\w\))\s+(\d+\.\d+\.\d+\.\d+\/\d+)\s+(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s/.exec(line);
    if (m === null) continue;
    const metric = Number(m[4]);
    if (metric >= 16) dead.push(m[2]!);
    else db.set(m[2]!, { code: m[1]!, hop: m[3]!, metric });
  }
  return { db, dead };
}

type Views = Map<string, RipView>;

function virtnetViews(world: World): Views {
  return new Map(
    ROUTERS.map((r) => {
      const kernel = new Map(routeList(world.nodeByName(r)!.stack!).filter((x) => x.kind === 'rip').map((x) => [formatCidr(x.dest, x.prefixLen), `${formatIpv4(x.gateway!)} ${x.iface}`]));
      return [r, { kernel, ...parseShowIpRip(runCommand(world, r, "vtysh -c 'show ip rip'").output) }];
    }),
  );
}

function frrViews(lab: NetnsLab, daemons: FrrLab): Views {
  return new Map(
    ROUTERS.map((r) => {
      const json = JSON.parse(execFileSync('ip', ['-j', '-n', lab.ns(r), 'route', 'show', 'proto', 'rip'], { encoding: 'utf8' })) as { dst: string; gateway?: string; dev?: string; nexthops?: unknown[] }[];
      const kernel = new Map(json.map((x) => [x.dst.includes('/') ? x.dst : `${x.dst}/32`, x.nexthops !== undefined ? `ecmp ${JSON.stringify(x.nexthops)}` : `${x.gateway} ${x.dev}`]));
      return [r, { kernel, ...parseShowIpRip(daemons.vtysh(lab.ns(r), 'show ip rip')) }];
    }),
  );
}

/** Router owning each interface address, for the equal-cost check. */
const OWNER = new Map([...ifacesOf(TOPOLOGY)].flatMap(([node, ifs]) => ifs.map(([, cidr]) => [cidr.split('/')[0]!, node] as const)));

/**
 * The differences between two sets of views, as readable lines (empty: they agree). A
 * differing next hop is accepted when both are equal-cost: each hop's router holds the
 * destination one less (in `ref`'s database, its own connected subnet counting 1).
 */
function differences(virtnet: Views, frr: Views, equalCostSeen: string[] = []): string[] {
  const out: string[] = [];
  const equalCost = (dest: string, metric: number, hops: string[]) => hops.every((h) => frr.get(OWNER.get(h) ?? '')?.db.get(dest)?.metric === metric - 1);
  for (const r of ROUTERS) {
    const v = virtnet.get(r)!;
    const f = frr.get(r)!;
    for (const dest of new Set([...v.db.keys(), ...f.db.keys()])) {
      const a = v.db.get(dest);
      const b = f.db.get(dest);
      const show = (x: typeof a) => (x === undefined ? 'none' : `${x.code} via ${x.hop} metric ${x.metric}`);
      if (a === undefined || b === undefined || a.code !== b.code || a.metric !== b.metric || (a.hop !== b.hop && !equalCost(dest, a.metric, [a.hop, b.hop]))) out.push(`${r} show ip rip ${dest}: VirtNet ${show(a)}, FRR ${show(b)}`);
      else if (a.hop !== b.hop) equalCostSeen.push(`${r} ${dest} metric ${a.metric}: VirtNet via ${a.hop}, FRR via ${b.hop}`);
    }
    for (const dest of new Set([...v.kernel.keys(), ...f.kernel.keys()])) {
      const a = v.kernel.get(dest);
      const b = f.kernel.get(dest);
      const hops = [a, b].map((x) => x?.split(' ')[0] ?? '');
      const metric = f.db.get(dest)?.metric ?? -1;
      if (a === undefined || b === undefined || (a !== b && !equalCost(dest, metric, hops))) out.push(`${r} kernel ${dest}: VirtNet ${a ?? 'none'}, FRR ${b ?? 'none'}`);
    }
  }
  return out;
}

/** The views as text, for the log and for spotting the moment a side stops changing. */
function snapshot(v: Views): string {
  return ROUTERS.map((r) => {
    const x = v.get(r)!;
    return `${r}: ${[...x.db].map(([d, e]) => `${d} ${e.code} ${e.hop} ${e.metric}`).sort().join(', ')} | ${[...x.kernel].map(([d, h]) => `${d} ${h}`).sort().join(', ')}`;
  }).join('\n');
}

/** Runs VirtNet from `fromNs` for `forS` seconds in 100 ms steps: the views at the end and when they last changed (ns). */
function virtnetSettle(world: World, fromNs: number, forS: number): { views: Views; settledNs: number } {
  let last = snapshot(virtnetViews(world));
  let settledNs = fromNs;
  for (let t = fromNs + S / 10; t <= fromNs + forS * S; t += S / 10) {
    world.sim.runUntil(t);
    const now = snapshot(virtnetViews(world));
    if (now !== last) settledNs = t;
    last = now;
  }
  return { views: virtnetViews(world), settledNs };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls FRR until it agrees with `want` and stays so for two update intervals (at most
 * `limitS`): the views then, and the wall time (ms since `t0`) of FRR's last change.
 */
async function frrSettle(lab: NetnsLab, daemons: FrrLab, want: Views, t0: number, limitS: number): Promise<{ views: Views; settledMs: number; agreed: boolean }> {
  let views = frrViews(lab, daemons);
  let last = snapshot(views);
  let settledMs = Date.now() - t0;
  let agreeSince = -1;
  while (Date.now() - t0 < limitS * 1000) {
    await sleep(250);
    views = frrViews(lab, daemons);
    const now = snapshot(views);
    if (now !== last) settledMs = Date.now() - t0;
    last = now;
    if (differences(want, views).length > 0) agreeSince = -1;
    else if (agreeSince < 0) agreeSince = Date.now();
    else if (Date.now() - agreeSince > 2 * TIMERS.updateS * 1000) return { views, settledMs, agreed: true };
  }
  return { views, settledMs, agreed: false };
}

/** What r5's vtysh prints that is compared as text. */
const SHOWN = ['show ip rip', 'show ip rip status'];

/**
 * Text without what depends on the clock (the Time column, "next due in", a neighbor's Last
 * Update) and the per-interface rows of `status`, whose timing differs. The Gateway rows keep only the address.
 */
function clockless(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/ +\d\d:\d\d(:\d\d)?$/, '').replace(/next due in \d+ seconds/, 'next due in N seconds').trimEnd());
}

/** The address of `node`'s `iface`. */
function addrOf(node: string, iface: string): string {
  return ifacesOf(TOPOLOGY).get(node)!.find(([n]) => n === iface)![1].split('/')[0]!;
}

/** Each RIP response `sender` sent in a capture, as sorted `dest/len metric M next-hop H` lines. */
async function responses(file: string, sender: string): Promise<string[][]> {
  const rows = (await tsharkFields(file, ['ip.src', 'rip.command', 'rip.ip', 'rip.netmask', 'rip.next_hop', 'rip.metric'])).filter((r) => r[0] === sender && r[1] === '2');
  const prefixLen = (mask: string) => mask.split('.').reduce((n, o) => n + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
  return rows.map(([, , ips, masks, hops, metrics]) => {
    const [ip, mask, hop, metric] = [ips, masks, hops, metrics].map((x) => (x ?? '').split(','));
    return ip!.map((a, k) => `${a}/${prefixLen(mask![k]!)} metric ${metric![k]} next-hop ${hop![k]}`).sort();
  });
}

/** The last full update `sender` sent (the response with the most entries, the latest of those); how many responses it sent. */
async function lastFullUpdate(file: string, sender: string): Promise<{ responses: number; entries: string[] }> {
  const all = await responses(file, sender);
  let best: string[] = [];
  for (const entries of all) if (entries.length >= best.length) best = entries;
  return { responses: all.length, entries: best };
}

/** Every destination `sender` advertised as unreachable (metric 16) in a capture, sorted. */
async function poisoned(file: string, sender: string): Promise<string[]> {
  const dests = (await responses(file, sender)).flat().filter((e) => e.includes(' metric 16 ')).map((e) => e.split(' ')[0]!);
  return [...new Set(dests)].sort();
}

describe.skipIf(why !== null)('RIPv2: VirtNet ripd vs FRR ripd on a ring with stubs (network namespaces)', () => {
  const lab = new NetnsLab('rip');
  const daemons = new FrrLab();
  let world: World;
  let virtnetTexts = new Map<string, string>();
  let virtnet: { before: Views; beforeS: number; after: Views; afterS: number };
  const dir = why === null ? mkdtempSync(join(tmpdir(), 'virtnet-rip-')) : '';
  const pcap = (side: string, node: string, iface: string) => join(dir, `${side}-${node}-${iface}.pcap`);
  const dumps: ChildProcess[] = [];
  let frr: { before: Views; beforeMs: number; beforeAgreed: boolean; after: Views; afterMs: number; afterAgreed: boolean; texts: Map<string, string> } | null = null;

  beforeAll(async () => {
    removeStaleNamespaces();
    // VirtNet first: its tables are what FRR is polled against.
    const doc = virtnetDoc(TOPOLOGY);
    for (const n of doc.nodes) if (n.kind === 'router') n.frrConf = frrConf(n.name);
    world = new World(doc, { seed: 1 });
    /** Captures on `where` while `run` runs, written as pcap('virtnet' + `tag`, …). */
    const captured = <T,>(tag: string, where: readonly (readonly [string, string])[], run: () => T): T => {
      const caps = where.map(([node, iface]) => world.startCapture({ kind: 'iface', node, iface }));
      const out = run();
      caps.forEach((c, k) => {
        c.finish();
        writeFileSync(pcap(`virtnet${tag}`, where[k]![0], where[k]![1]), c.toPcapng());
      });
      return out;
    };
    const start = captured('', WIRE, () => virtnetSettle(world, 0, 40));
    virtnetTexts = new Map(SHOWN.map((c) => [c, runCommand(world, 'r5', `vtysh -c '${c}'`).output]));
    world.setLinkUp(CUT.link, false);
    const cut = captured('-cut', POISON, () => virtnetSettle(world, 40 * S, 60));
    virtnet = { before: start.views, beforeS: start.settledNs / S, after: cut.views, afterS: (cut.settledNs - 40 * S) / S };
    try {
      lab.build(TOPOLOGY);
      const tcpdump = (tag: string, where: readonly (readonly [string, string])[]) => {
        for (const [node, iface] of where) dumps.push(spawn('ip', ['netns', 'exec', lab.ns(node), 'tcpdump', '-i', iface, '-U', '-Z', 'root', '-w', pcap(`frr${tag}`, node, iface), 'udp port 520'], { stdio: 'ignore' }));
      };
      tcpdump('', WIRE);
      await sleep(500); // tcpdump listening
      const t0 = Date.now();
      for (const r of ROUTERS) daemons.start(lab.ns(r), frrConf(r), ['staticd', 'ripd']);
      const before = await frrSettle(lab, daemons, virtnet.before, t0, 60);
      const texts = new Map(SHOWN.map((c) => [c, daemons.vtysh(lab.ns('r5'), c)]));
      for (const p of dumps.splice(0)) p.kill('SIGINT');
      tcpdump('-cut', POISON);
      await sleep(500); // the first tcpdumps wrote their last packets, the others listen
      const t1 = Date.now();
      for (const [r, ifname] of CUT.ends) execFileSync('ip', ['-n', lab.ns(r), 'link', 'set', ifname, 'down']);
      const after = await frrSettle(lab, daemons, virtnet.after, t1, 90);
      for (const p of dumps.splice(0)) p.kill('SIGINT');
      await sleep(500);
      frr = { before: before.views, beforeMs: before.settledMs, beforeAgreed: before.agreed, after: after.views, afterMs: after.settledMs, afterAgreed: after.agreed, texts };
    } finally {
      daemons.destroy();
      lab.destroy();
    }
  }, 240_000);

  afterAll(() => {
    for (const p of dumps.splice(0)) p.kill('SIGINT');
    daemons.destroy();
    lab.destroy();
    if (dir !== '') removeTree(dir);
  });

  it('the same configuration loads without warnings in VirtNet', () => {
    expect(world.warnings).toEqual([]);
  });

  it('after convergence every router holds the same RIP routes and metrics', () => {
    expect(frr).not.toBeNull();
    console.log(`RIP reference, converged: VirtNet (virtual time, settled at ${virtnet.beforeS.toFixed(1)} s):\n${snapshot(virtnet.before)}\nFRR (wall time, settled at ${(frr!.beforeMs / 1000).toFixed(1)} s):\n${snapshot(frr!.before)}`);
    const equalCost: string[] = [];
    expect(differences(virtnet.before, frr!.before, equalCost)).toEqual([]);
    console.log(`RIP reference, equal-cost paths where each kept another first-heard one: ${equalCost.join('; ') || 'none'}`);
    // What the topology implies, so that the comparison cannot pass on two empty tables.
    expect(virtnet.before.get('r1')!.db.get('10.0.5.0/24')?.metric).toBe(4);
    expect(virtnet.before.get('r5')!.db.get('192.168.50.0/24')?.metric).toBe(3);
    expect(virtnet.before.get('r4')!.db.get('192.168.50.0/24')).toEqual({ code: 'S(r)', hop: '10.0.4.20', metric: 1 });
    expect(virtnet.before.get('r2')!.db.get('10.0.2.0/24')?.code).toBe('C(i)');
    expect(virtnet.before.get('r1')!.db.get('10.0.2.0/24')?.metric).toBe(2); // a passive stub is still advertised
  });

  it('converged, the same full updates go on the wire: split horizon toward r5, the static route\'s next hop toward pc4, nothing on the passive stub', async () => {
    expect(frr).not.toBeNull();
    for (const [node, iface] of WIRE) {
      const sender = addrOf(node, iface);
      const ours = await lastFullUpdate(pcap('virtnet', node, iface), sender);
      const theirs = await lastFullUpdate(pcap('frr', node, iface), sender);
      console.log(`RIP on the wire, ${node} ${iface}: FRR ${theirs.responses} responses, last full update ${theirs.entries.join(', ') || 'none'}; VirtNet ${ours.responses} responses, ${ours.entries.join(', ') || 'none'}`);
      expect.soft(ours.entries, `${node} ${iface}: the entries of the last full update`).toEqual(theirs.entries);
      expect.soft(ours.responses === 0, `${node} ${iface}: sends nothing`).toBe(theirs.responses === 0);
    }
    expect((await lastFullUpdate(pcap('virtnet', 'r4', 'eth2'), '10.0.4.1')).entries).toContain('192.168.50.0/24 metric 1 next-hop 10.0.4.20');
  });

  it('r5 (no equal-cost choice) prints show ip rip and show ip rip status as FRR does, but for the clocks', () => {
    expect(frr).not.toBeNull();
    // Both were read once converged; VirtNet's at 40 s virtual, before the cut.
    for (const c of SHOWN) {
      const ours = clockless(virtnetTexts.get(c)!);
      const theirs = clockless(frr!.texts.get(c)!);
      console.log(`RIP reference, r5 ${c}:\nFRR:\n${theirs.join('\n')}\nVirtNet:\n${ours.join('\n')}`);
      expect.soft(ours, c).toEqual(theirs);
    }
  });

  it('after the cut, each cut router withdraws toward the ring exactly the routes it lost, as FRR does (metric 16)', async () => {
    expect(frr).not.toBeNull();
    for (const [node, iface] of POISON) {
      const sender = addrOf(node, iface);
      const ours = await poisoned(pcap('virtnet-cut', node, iface), sender);
      const theirs = await poisoned(pcap('frr-cut', node, iface), sender);
      console.log(`RIP withdrawals after the cut, ${node} ${iface}: FRR ${theirs.join(', ')}; VirtNet ${ours.join(', ')}`);
      // Exactly what each lost: its routes through the cut interface (which of two equal-cost
      // paths each kept differs), and the cut link's own subnet.
      const cutIface = CUT.ends.find(([r]) => r === node)![1];
      const lost = (v: Views) => [...v.get(node)!.kernel].filter(([, hop]) => hop.endsWith(` ${cutIface}`)).map(([dest]) => dest).concat('10.0.12.0/24').sort();
      expect.soft(ours, `${node} ${iface}: VirtNet withdraws what it lost`).toEqual(lost(virtnet.before));
      expect.soft(theirs, `${node} ${iface}: FRR withdraws what it lost`).toEqual(lost(frr!.before));
    }
    expect(await poisoned(pcap('virtnet-cut', 'r2', 'eth1'), '10.0.23.2')).toContain('10.0.12.0/24');
  });

  it('after the r1–r2 link is cut on both sides, the re-converged tables agree again', () => {
    expect(frr).not.toBeNull();
    console.log(`RIP reference, after the cut: VirtNet (virtual time, settled ${virtnet.afterS.toFixed(1)} s after the cut):\n${snapshot(virtnet.after)}\nFRR (wall time, settled ${(frr!.afterMs / 1000).toFixed(1)} s after the cut):\n${snapshot(frr!.after)}`);
    console.log(`RIP re-convergence after the cut: VirtNet ${virtnet.afterS.toFixed(1)} s virtual, FRR ${(frr!.afterMs / 1000).toFixed(1)} s wall (timers basic ${TIMERS.updateS} ${TIMERS.timeoutS} ${TIMERS.garbageS}); initial convergence VirtNet ${virtnet.beforeS.toFixed(1)} s, FRR ${(frr!.beforeMs / 1000).toFixed(1)} s`);
    expect(differences(virtnet.after, frr!.after)).toEqual([]);
    expect(virtnet.after.get('r1')!.db.get('10.0.2.0/24')?.metric).toBe(4);
    expect(virtnet.after.get('r1')!.kernel.get('10.0.2.0/24')).toBe('10.0.41.4 eth1');
    expect(virtnet.after.get('r2')!.kernel.get('10.0.1.0/24')).toBe('10.0.23.3 eth1');
    // Both re-converge through triggered updates and the next regular update: within a few update intervals.
    expect(virtnet.afterS).toBeLessThan(3 * TIMERS.updateS);
  });
});
