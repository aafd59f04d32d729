// IMUNES labs run in VirtNet: each example whose end nodes reach each other over
// connected routes alone is loaded by the real CLI, started, and pinged end to end; the
// reply TTL proves the path (64 on one LAN, 63 through one router; RFC 791 §3.2, RFC 1812
// §5.3.1). A RIP lab starts too: LAN pings work, remote ones fail cleanly, and the CLI
// warns once per router about the routing daemon it does not run. No src/ is touched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES, daemonWarnings, notRunWarnings, parsePing, runJson } from './cli-run';

interface PingCase {
  /** Node that runs ping (by name, as the .imn names it). */
  from: string;
  to: string;
  ttl: number;
}

const COUNT = 3;

/** Files under ../shared/imunes-examples and the pings their addressing allows. */
const LABS: Record<string, PingCase[]> = {
  'p-p.imn': [
    { from: 'pc1', to: '10.0.0.21', ttl: 64 },
    { from: 'pc2', to: '10.0.0.20', ttl: 64 },
  ],
  'p-s-p.imn': [
    { from: 'pc1', to: '10.0.0.21', ttl: 64 },
    { from: 'pc2', to: '10.0.0.20', ttl: 64 },
  ],
  'h-s-h.imn': [
    { from: 'host1', to: '10.0.0.11', ttl: 64 },
    { from: 'host2', to: '10.0.0.10', ttl: 64 },
  ],
  'p-r-p.imn': [
    { from: 'pc1', to: '10.0.1.20', ttl: 63 },
    { from: 'pc2', to: '10.0.0.20', ttl: 63 },
    { from: 'pc1', to: '10.0.0.1', ttl: 64 },
    // The router's far interface is its own address: it answers, no hop is taken.
    { from: 'pc1', to: '10.0.1.1', ttl: 64 },
  ],
  'h-r-h.imn': [
    { from: 'host1', to: '10.0.1.10', ttl: 63 },
    { from: 'host2', to: '10.0.0.10', ttl: 63 },
  ],
  'services.imn': [
    { from: 'PC', to: '10.0.0.10', ttl: 64 },
    { from: 'PC', to: '10.0.0.11', ttl: 64 },
    { from: 'PC', to: '10.0.0.12', ttl: 64 },
    { from: 'TELNET', to: '10.0.0.20', ttl: 64 },
  ],
  'empty.imn': [{ from: 'pc1', to: '10.0.0.1', ttl: 64 }],
  // Three PCs/hosts around router0's LAN and router7's LAN: reachable without RIP.
  'ping.imn': [
    { from: 'pc1', to: '10.0.0.20', ttl: 64 },
    { from: 'pc2', to: '10.0.1.2', ttl: 64 },
    { from: 'server', to: '10.0.8.1', ttl: 64 },
  ],
  'traceroute.imn': [
    { from: 'pc1', to: '10.0.0.20', ttl: 64 },
    { from: 'server', to: '10.0.7.2', ttl: 64 },
  ],
  'p-3r-p.imn': [{ from: 'pc1', to: '10.0.1.1', ttl: 64 }],
  // The same labs in IMUNES 2.x Tcl-block format.
  'legacy/p-p.imn': [{ from: 'pc1', to: '10.0.0.21', ttl: 64 }],
  'legacy/p-s-p.imn': [{ from: 'pc1', to: '10.0.0.21', ttl: 64 }],
  'legacy/h-s-h.imn': [{ from: 'host1', to: '10.0.0.11', ttl: 64 }],
  'legacy/p-r-p.imn': [{ from: 'pc1', to: '10.0.1.20', ttl: 63 }],
  'legacy/h-r-h.imn': [{ from: 'host1', to: '10.0.1.10', ttl: 63 }],
  // Pairwise JSON-v1 test topologies: two parallel segments between the same two nodes.
  'combinations/pc-pc_topo.imn': [
    { from: 'pc1', to: '10.0.0.21', ttl: 64 },
    { from: 'pc1', to: '10.0.1.21', ttl: 64 },
  ],
  'combinations/pc-lanswitch_topo.imn': [
    { from: 'pc1', to: '10.0.0.21', ttl: 64 },
    { from: 'pc1', to: '10.0.1.21', ttl: 64 },
  ],
  'combinations/pc-hub_topo.imn': [
    { from: 'pc1', to: '10.0.0.21', ttl: 64 },
    { from: 'pc1', to: '10.0.1.21', ttl: 64 },
  ],
  'combinations/host-hub_topo.imn': [{ from: 'pc1', to: '10.0.1.21', ttl: 64 }],
  'combinations/router-lanswitch_topo.imn': [{ from: 'pc1', to: '10.0.0.21', ttl: 64 }],
};

describe('IMUNES labs ping end to end through `virtnet run --json`', () => {
  for (const [file, cases] of Object.entries(LABS)) {
    it(`${file}: ${cases.map((c) => `${c.from}→${c.to}`).join(', ')}`, async () => {
      const run = await runJson(
        join(IMUNES_EXAMPLES, file),
        cases.map((c) => `${c.from}: ping -c ${COUNT} ${c.to}`),
        ['--seed', '1'],
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.results).toHaveLength(cases.length);
      cases.forEach((c, i) => {
        const r = run.results[i];
        const label = `${file} ${c.from}: ping ${c.to}\n${r.output}`;
        expect(r.exitCode, label).toBe(0);
        const p = parsePing(r.output);
        expect(p, label).toEqual({
          transmitted: COUNT,
          received: COUNT,
          replyTtls: Array(COUNT).fill(c.ttl),
          replyFrom: Array(COUNT).fill(c.to),
        });
        expect(r.output, label).toMatch(/0\.0% packet loss/);
      });
    });
  }
});

function routerNames(file: string): string[] {
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in parsed) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return parsed.doc.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
}

describe('a RIP lab (RIP.imn) runs RIP', () => {
  const file = join(IMUNES_EXAMPLES, 'RIP.imn');
  const routers = routerNames(file);

  it('fails across at boot, then every LAN reaches every other once RIP has converged', async () => {
    const execs = [
      'host5: ping -c 1 10.0.8.2', // t = 0: router2 has no route to 10.0.8/24 yet
      'pc7: sleep 60',
      'host5: ping -c 2 10.0.8.2',
      'pc7: ping -c 2 10.0.8.2',
      'host6: ping -c 2 10.0.9.1',
      'router0: ping -c 1 10.0.8.2',
    ];
    const run = await runJson(file, execs, ['--seed', '1']);
    expect(run.code, run.stderr).toBe(1); // the first ping fails, as documented
    const [boot, , h5, p7, h6, r0] = run.results;
    expect(boot.output).toMatch(/from router2 \(10\.0\.7\.1\): Destination Net Unreachable/);
    expect(parsePing(h5.output).replyTtls, h5.output).toEqual([62, 62]);
    expect(parsePing(p7.output).replyTtls, p7.output).toEqual([62, 62]);
    expect(parsePing(h6.output).replyTtls, h6.output).toEqual([62, 62]);
    expect(r0.exitCode, r0.output).toBe(0);
  });

  it('does not warn about RIP: it runs (only RIPng, where configured, would be named)', async () => {
    const run = await runJson(file, ['host5: ping -c 1 10.0.7.1'], ['--seed', '1']);
    expect(routers).toEqual(['router0', 'router1', 'router2', 'router3', 'router4']);
    for (const r of routers) {
      expect(daemonWarnings(run.stderr, r), `warnings about ${r} in stderr:\n${run.stderr}`).toEqual([]);
      expect(notRunWarnings(run.stderr, r), `warnings about ${r} in stderr:\n${run.stderr}`).toEqual([]);
    }
    for (const n of ['host5', 'host6', 'pc7']) expect(notRunWarnings(run.stderr, n)).toEqual([]);
  });
});

describe('an OSPF lab (OSPF.imn) runs ospfd on every router', () => {
  it('does not warn that OSPF does not run, and pings across routers once OSPF converged', async () => {
    const run = await runJson(join(IMUNES_EXAMPLES, 'OSPF.imn'), ['pc7: sleep 50', 'pc7: ping -c 1 10.0.8.2'], ['--seed', '1']);
    expect(run.code, run.stderr).toBe(0);
    // The router names come from the file, so a router the CLI forgets is caught.
    const routers = routerNames(join(IMUNES_EXAMPLES, 'OSPF.imn'));
    expect(routers).toHaveLength(5);
    for (const r of routers) {
      expect(daemonWarnings(run.stderr, r), `warnings about ${r}:\n${run.stderr}`).toEqual([]);
      expect(notRunWarnings(run.stderr, r), `warnings about ${r}:\n${run.stderr}`).toEqual([]);
    }
    expect(run.results[1]!.output).toContain('1 packets received');
  });
});

describe('a multi-router lab (p-3r-p.imn) running RIP', () => {
  it('fails across at boot, then pings at TTL 61 and traces 4 hops; a static route where RIP has one is refused', async () => {
    const run = await runJson(
      join(IMUNES_EXAMPLES, 'p-3r-p.imn'),
      ['pc1: ping -c 1 10.0.3.20', 'pc1: sleep 30', 'router1: route add -net 10.0.3.0/24 10.0.1.2', 'pc1: ping -c 2 10.0.3.20', 'pc2: ping -c 2 10.0.0.20', 'pc1: traceroute -n 10.0.3.20'],
      ['--seed', '3'],
    );
    const [before, , add, there, back, trace] = run.results;
    expect(before.exitCode, before.output).not.toBe(0);
    expect(before.output).toMatch(/from router1 \(10\.0\.0\.1\): Destination Net Unreachable/);
    expect(add.output).toMatch(/route already in table/); // FreeBSD: RIP's route (UG1) holds the prefix
    expect(parsePing(there.output).replyTtls, there.output).toEqual([61, 61]);
    expect(parsePing(back.output).replyTtls, back.output).toEqual([61, 61]);
    expect(trace.exitCode, trace.output).toBe(0);
    const hops = [...trace.output.matchAll(/^ ?(\d+) {2}([\d.]+) /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(hops, trace.output).toEqual(['1 10.0.0.1', '2 10.0.1.2', '3 10.0.2.2', '4 10.0.3.20']);
  });

  it('p-r-p.imn: traceroute -n shows the router then the far PC', async () => {
    const run = await runJson(join(IMUNES_EXAMPLES, 'p-r-p.imn'), ['pc1: traceroute -n 10.0.1.20']);
    const hops = [...run.results[0].output.matchAll(/^ ?(\d+) {2}([\d.]+) /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(hops, run.results[0].output).toEqual(['1 10.0.0.1', '2 10.0.1.20']);
  });
});
