// Property (issue 9 §4): random topologies — loops, parallel links, hubs and switches —
// with random traffic (broadcast and unicast pings, raw frames) never exceed a memory
// ceiling, and the engine's queues stay within their bounds (runCase checks those).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KINDS, runCase, type FuzzAction, type FuzzCase } from './run-fuzz';

/** Heap growth allowed for one case: a world of ≤ 8 nodes and ≤ 12 links at its bounds. */
const CEILING = 64 * 1024 * 1024;

const params = fc.record(
  {
    delayUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
    jitterUs: fc.integer({ min: 0, max: 2000 }),
    lossPercent: fc.integer({ min: 0, max: 50 }),
    dupPercent: fc.integer({ min: 0, max: 30 }),
    bandwidthBps: fc.oneof(fc.constant(0), fc.integer({ min: 64_000, max: 1_000_000_000 })),
    queuePackets: fc.integer({ min: 1, max: 200 }),
  },
  { requiredKeys: [] },
);

const action: fc.Arbitrary<FuzzAction> = fc.record({
  afterUs: fc.integer({ min: 0, max: 3_000_000 }),
  kind: fc.constantFrom('shell', 'shell', 'frame', 'link-down', 'link-up', 'link-params') as fc.Arbitrary<FuzzAction['kind']>,
  node: fc.nat(63),
  text: fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 10, max: 70 })).map(([s, h]) => `ping -c 3 10.0.${s}.${h}`),
    fc.integer({ min: 0, max: 2 }).map((s) => `ping -c 5 -i 0.2 10.0.${s}.255`),
    fc.constant('arp -an'),
    fc.string({ maxLength: 20 }),
  ),
  bytes: fc.array(fc.nat(255), { maxLength: 300 }),
  params,
});

const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .array(fc.constantFrom(...KINDS), { minLength: 2, maxLength: 8 })
  .chain((kinds) =>
    fc.record({
      kinds: fc.constant(kinds),
      links: fc.array(
        fc.record({ a: fc.nat(kinds.length - 1), b: fc.nat(kinds.length - 1), params }).map((l) => ({ ...l, b: l.a === l.b ? (l.a + 1) % kinds.length : l.b })),
        { minLength: 1, maxLength: 12 },
      ),
      actions: fc.array(action, { minLength: 1, maxLength: 20 }),
    }),
  );

describe('memory ceiling', () => {
  it('random topologies with random traffic stay under the ceiling', () => {
    let peak = 0;
    const runs = Number(process.env.FUZZ_RUNS ?? 25);
    fc.assert(
      fc.property(fuzzCase, fc.nat(1000), (c, seed) => {
        const out = runCase(c, seed, { events: 300_000, zeroProgressEvents: 50_000 });
        peak = Math.max(peak, out.heapGrowthBytes);
        expect(out.heapGrowthBytes).toBeLessThan(CEILING);
      }),
      { numRuns: runs },
    );
    console.log(`memory property: ${runs} random networks, largest heap growth ${(peak / 1048576).toFixed(1)} MiB (ceiling ${CEILING / 1048576} MiB)`);
  });
});
