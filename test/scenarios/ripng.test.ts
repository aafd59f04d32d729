// RIPng as IMUNES labs run it (its default router config runs ripngd with `network ::/0`):
// convergence on the IMUNES p-3r-p example with link-local next hops and UG1 routes, ping6
// across three routers, a link cut, a silent neighbor timing out after 180 s, vtysh's IPv6
// views, determinism and tshark. RFC 2080 §2.3, §2.4.2, §2.5.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { route6List } from '../../src/emulator/stack/route6';
import { formatIpv6 } from '../../src/emulator/wire/ipv6-addr';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';

const S = 1_000_000_000;

function p3rp(): TopologyDoc {
  const file = join(IMUNES_EXAMPLES, 'p-3r-p.imn');
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

const at = (world: World, seconds: number) => world.sim.runUntil(seconds * S);

/** `prefix via gateway iface` of a node's RIPng routes. */
function ripngRoutes(world: World, node: string): string[] {
  return route6List(world.nodeByName(node)!.stack!)
    .filter((r) => r.kind === 'ripng')
    .map((r) => `${formatIpv6(r.dest)}/${r.prefixLen} via ${r.gatewayText} ${r.iface}`);
}

describe('RIPng on the IMUNES p-3r-p example', () => {
  it('converges: every router learns the remote prefixes via link-local next hops, pc1 reaches pc2 with ping6', () => {
    const world = new World(p3rp(), { seed: 1 });
    expect(world.warnings.filter((w) => /RIPng|ripng/.test(w))).toEqual([]);
    at(world, 10);
    expect(ripngRoutes(world, 'router1')).toEqual([
      'fc00:2::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
      'fc00:3::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
    ]);
    expect(ripngRoutes(world, 'router2').map((r) => r.split(' via ')[0])).toEqual(['fc00::/64', 'fc00:3::/64']);
    expect(runCommand(world, 'router1', 'netstat -rn -f inet6').output).toMatch(/^fc00:3::\/64 +fe80::4000:aaff:fe00:3%eth1 +UG1 +eth1$/m);
    const ping = runCommand(world, 'pc1', 'ping6 -c 2 fc00:3::20').output;
    expect(ping).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(ping).toContain('hlim=61');
  });

  it('vtysh shows the IPv6 table and ripngd database in FRR format', () => {
    const world = new World(p3rp(), { seed: 1 });
    at(world, 60);
    const route = runCommand(world, 'router1', "vtysh -c 'show ipv6 route'").output.split('\n');
    expect(route[0]).toBe('Codes: K - kernel route, C - connected, S - static, R - RIPng,');
    expect(route).toContain('C>* fc00::/64 is directly connected, eth0, 00:01:00');
    expect(route.find((l) => l.startsWith('R>* fc00:3::/64'))).toMatch(/^R>\* fc00:3::\/64 \[120\/3\] via fe80::4000:aaff:fe00:3, eth1, 00:00:5\d$/);
    const db = runCommand(world, 'router1', "vtysh -c 'sh ipv6 ripng'").output.split('\n');
    expect(db).toContain('C(i) fc00::/64');
    const k = db.indexOf('R(n) fc00:3::/64');
    expect(k).toBeGreaterThan(0);
    expect(db[k + 1]).toMatch(/^ {22}fe80::4000:aaff:fe00:3 +eth1 +3 +0 0[23]:\d\d$/);
  });

  it('a link cut withdraws the routes through it at once, the far side learns it by a triggered update, and the link coming back re-converges in seconds', () => {
    const world = new World(p3rp(), { seed: 1 });
    at(world, 30);
    expect(ripngRoutes(world, 'router1')).toHaveLength(2);
    world.setLinkUp('l2', false); // router2 — router3
    at(world, 30.01);
    expect(ripngRoutes(world, 'router2').map((r) => r.split(' via ')[0])).toEqual(['fc00::/64']);
    at(world, 36); // router2's triggered update (metric 16) reaches router1 within its hold-down
    expect(ripngRoutes(world, 'router1')).toEqual([]); // fc00:2::/64 was router2's own, on the cut link
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:3::20').output).toMatch(/1 packets transmitted, 0 packets received/);
    world.setLinkUp('l2', true);
    at(world, world.sim.now() / S + 10); // ping6 ran on in virtual time; DAD, then a request and answers
    expect(ripngRoutes(world, 'router1')).toHaveLength(2);
  });

  it('a silent neighbor (all frames lost) times out after 180 s', () => {
    const world = new World(p3rp(), { seed: 1 });
    at(world, 60);
    world.setLinkParams('l1', { lossPercent: 100 }); // router1 — router2
    at(world, 60 + 140);
    expect(ripngRoutes(world, 'router1')).toHaveLength(2); // the last update heard was at most 35 s before
    at(world, 60 + 181);
    expect(ripngRoutes(world, 'router1')).toEqual([]);
  });

  it('the same seed gives the same trace', () => {
    const run = () => {
      const world = new World(p3rp(), { seed: 7 });
      at(world, 90);
      return world.traceHash();
    };
    expect(run()).toBe(run());
  });
});

describe.skipIf(!tsharkAvailable())('tshark on RIPng traffic', () => {
  it('decodes RIPng to ff02::9 from link-local sources with zero malformed packets and zero bad checksums', async () => {
    const world = new World(p3rp(), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'router2', iface: 'eth0' });
    at(world, 70);
    cap.finish();
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-ripng-'));
    const file = join(dir, 'ripng.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const rows = (await runTshark(['-r', file, '-Y', 'ripng', '-T', 'fields', '-e', 'ripng.version', '-e', 'ripng.cmd', '-e', 'ipv6.dst', '-e', 'ipv6.hlim'])).trim().split('\n');
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows)).toContain('1\t2\tff02::9\t255');
    expect(new Set(rows)).toContain('1\t1\tff02::9\t255');
    const src = (await runTshark(['-r', file, '-Y', 'ripng', '-T', 'fields', '-e', 'ipv6.src'])).trim().split('\n');
    expect(src.every((s) => s.startsWith('fe80::'))).toBe(true);
    const info = (await runTshark(['-r', file, '-Y', 'ripng.cmd == 2', '-T', 'fields', '-e', '_ws.col.Info'])).trim().split('\n')[0];
    const { summarizeFrame } = await import('../../src/emulator/wire/decode');
    const first = cap.frames.find((f) => summarizeFrame(f.frame).info.startsWith('Command Response'));
    expect(first && summarizeFrame(first.frame).info).toBe(info);
  }, 60_000);
});
