// Scenario tests: which address answers traceroute and `ping -m` on asymmetric topologies
// (asymmetric routes, a routing loop, a longest-prefix detour, no route back), against
// what the Linux kernel printed on the same topologies (test/reference, recorded in each
// probe's `expect`; icmp-source.netns.test.ts re-checks them live where it can run).
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/emulator/shell';
import { probeName, REFERENCE_TOPOLOGIES, NO_ROUTE_BACK } from '../reference/ref-topology';
import { virtnetAnswer, virtnetWorld } from '../reference/virtnet-probe';

describe('ICMP error source addresses on asymmetric topologies', () => {
  for (const t of REFERENCE_TOPOLOGIES) {
    it(`${t.name}: traceroute hops and ping -m answers match the kernel`, () => {
      const w = virtnetWorld(t);
      for (const p of t.probes) expect.soft(virtnetAnswer(w, p), probeName(t, p)).toEqual(p.expect);
    });
  }

  it('no route back: the router counts what it could not send (netstat -s)', () => {
    const w = virtnetWorld(NO_ROUTE_BACK);
    runCommand(w, 'pc1', 'ping -n -c 2 -m 2 10.3.2.20');
    expect(runCommand(w, 'r2', 'netstat -s').output).toContain('\t2 no return routes\n');
    expect(runCommand(w, 'r1', 'netstat -s').output).toContain('\t0 no return routes\n');
  });
});
