// Step back by replay (engine/rewind.ts, checkpoints.ts). Property: for random topologies,
// commands and link changes, from the start or from the nearest checkpoint,
// the run rebuilt at event k has the trace hash the original had at k, and going on from
// there gives the original's final trace hash. Also: a branch (a route changed at k)
// diverges from the original, and shells show their output up to k.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rerun, type TimedInput } from '../../src/emulator/engine/rewind';
import { Checkpoints } from '../../src/emulator/engine/checkpoints';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { builder, ripGridLab } from '../scenarios/topologies';

/** pc1 — router1 — … — routerN — pc2, or with a switch and a third pc on the first LAN. */
function topology(routers: number, withSwitch: boolean): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const rs = Array.from({ length: routers }, (_, i) => b.node('router', `router${i + 1}`));
  const pc2 = b.node('pc', 'pc2');
  if (withSwitch) {
    const sw = b.node('lanswitch', 'switch1');
    const pc3 = b.node('pc', 'pc3');
    b.link(pc1, sw, { aIp: '10.0.0.20/24' });
    b.link(pc3, sw, { aIp: '10.0.0.21/24' });
    b.link(rs[0], sw, { aIp: '10.0.0.1/24' });
    b.route(pc3, '0.0.0.0/0', '10.0.0.1');
  } else b.link(pc1, rs[0], { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
  for (let i = 0; i + 1 < routers; i++) b.link(rs[i], rs[i + 1], { aIp: `10.1.${i}.1/24`, bIp: `10.1.${i}.2/24` });
  b.link(rs[routers - 1], pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24' });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  for (let i = 0; i < routers; i++) {
    if (i + 1 < routers) b.route(rs[i], '10.0.1.0/24', `10.1.${i}.2`);
    if (i > 0) b.route(rs[i], '10.0.0.0/24', `10.1.${i - 1}.1`);
  }
  return b.doc;
}

const COMMANDS = ['ping -c 2 10.0.1.20', 'ping -c 1 -t 2 10.9.9.9', 'traceroute -m 4 10.0.1.20', 'arp -an', 'netstat -rn', 'ping -c 1 10.0.0.1'];

const afterEvents = fc.integer({ min: 0, max: 400 });
/** A shell line, a link set down or up, or a link's delay changed (links l0 and l1 exist in every topology here). */
const anyInput: fc.Arbitrary<TimedInput> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ afterEvents, node: fc.constantFrom('pc1', 'pc2', 'router1'), line: fc.constantFrom(...COMMANDS) }) },
  fc.record({ kind: fc.constant('link-up' as const), afterEvents, link: fc.constantFrom('l0', 'l1'), up: fc.boolean() }),
  fc.record({ kind: fc.constant('link-params' as const), afterEvents, link: fc.constantFrom('l0', 'l1'), params: fc.record({ delayUs: fc.integer({ min: 0, max: 5000 }) }), direction: fc.constantFrom('ab' as const, 'ba' as const, 'both' as const) }),
);

/** What a run looks like at one moment: trace hash, clock, events and every shell's output. */
const stateOf = (r: Rerun) => ({ hash: r.world.traceHash(), now: r.world.sim.now(), events: r.events, out: [...r.transcripts] });

const END_EVENTS = 900;

/**
 * For a random topology, seed, inputs and k: the run `rebuild` gives at k (it may start
 * anywhere at or before k) equals the original at k, and goes on to the original's end.
 */
function stepBackProperty(rebuild: (doc: TopologyDoc, seed: number, ins: TimedInput[], k: number, spacing: number) => Rerun, numRuns: number): void {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 1000 }),
      fc.array(anyInput, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 1, max: 64 }),
      (routers, sw, seed, inputs, k, spacing) => {
        const doc = topology(routers, sw);
        const ins = inputs.slice().sort((a, b) => a.afterEvents - b.afterEvents);
        const original = new Rerun(doc, seed, ins);
        original.runTo(k);
        const atK = stateOf(original);
        original.runTo(END_EVENTS);
        const back = rebuild(doc, seed, ins, k, spacing);
        back.runTo(k);
        expect(stateOf(back)).toEqual(atK);
        back.runTo(END_EVENTS);
        expect(back.world.traceHash()).toBe(original.world.traceHash());
        expect(back.events).toBe(original.events);
      },
    ),
    { numRuns },
  );
}

describe('step back by replay', () => {
  it('property: rebuilt at event k = the original at k, and the same from k on', () => {
    stepBackProperty((doc, seed, ins) => new Rerun(doc, seed, ins), 40);
  });

  it('property: on from the nearest checkpoint = the original at k, and the same from k on', () => {
    stepBackProperty((doc, seed, ins, k, spacing) => {
      // Checkpoints behind where the original ends (the live run), then the nearest one at or before k.
      const live = Rerun.at(doc, seed, ins, END_EVENTS).events;
      const cps = new Checkpoints(doc, seed, { spacingEvents: spacing, max: 4 });
      while (cps.wantsWork(live)) cps.warm(live, ins, 37);
      if (live > spacing) expect(cps.positions().length).toBeGreaterThan(0);
      const first = cps.positions()[0] ?? Number.POSITIVE_INFINITY;
      const taken = cps.take(k, ins);
      if (k >= first) expect(taken).not.toBeNull();
      if (taken !== null) expect(taken.events).toBeLessThanOrEqual(k);
      return taken ?? new Rerun(doc, seed, ins);
    }, 30);
  });

  it('checkpoints: spaced exponentially behind the live count, at most max, and forgotten on a branch', () => {
    const doc = topology(2, true);
    const ins: TimedInput[] = [{ afterEvents: 0, node: 'pc1', line: 'ping -c 20 10.0.1.20' }];
    const live = Rerun.at(doc, 1, ins, 1_000_000).events;
    expect(live).toBeGreaterThan(100);
    const cps = new Checkpoints(doc, 1, { spacingEvents: 10, max: 3 });
    while (cps.wantsWork(live)) cps.warm(live, ins, 50);
    expect(cps.positions()).toEqual([live - 40, live - 20, live - 10]);
    // A line typed at an event before the checkpoints makes them runs of other inputs.
    const branch = [...ins, { afterEvents: live - 30, node: 'pc2', line: 'ping -c 1 10.0.0.20' }];
    expect(cps.take(live - 25, branch)?.events).toBe(live - 40);
    cps.forget(branch);
    expect(cps.positions()).toEqual([]);
    // Fewer for larger labs: the worlds' heap grows with their nodes.
    expect(new Checkpoints(ripGridLab(), 1).max).toBe(8);
    expect(new Checkpoints(ripGridLab(10, 25, 2), 1).max).toBe(2);
  });

  it('a branch: delete a route at k and play on — the ping fails where the original succeeded', () => {
    const doc = topology(2, false);
    const inputs: TimedInput[] = [{ afterEvents: 0, node: 'pc1', line: 'ping -c 3 10.0.1.20' }];
    const original = Rerun.at(doc, 1, inputs, 1_000_000);
    expect(original.transcripts.get('pc1')).toContain('3 packets received');
    // Back to the moment after the first reply arrived (its output is there, the rest not yet).
    const probe = new Rerun(doc, 1, inputs);
    let k = 0;
    while (!(probe.transcripts.get('pc1') ?? '').includes('icmp_seq=0') && k < 10_000) probe.runTo(++k);
    expect(k).toBeGreaterThan(0);
    const branch = Rerun.at(doc, 1, inputs, k);
    expect(branch.transcripts.get('pc1')).not.toContain('icmp_seq=2');
    branch.type('router1', 'route delete 10.0.1.0/24');
    branch.runTo(1_000_000);
    expect(branch.transcripts.get('pc1')).toMatch(/3 packets transmitted, 1 packets received/);
    expect(branch.world.traceHash()).not.toBe(original.world.traceHash());
    // The branch's inputs rebuild the branch.
    const again = Rerun.at(doc, 1, branch.inputs, 1_000_000);
    expect(again.world.traceHash()).toBe(branch.world.traceHash());
  });
});
