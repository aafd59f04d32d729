// The seeded run fuzzer (VOPR-style, issue 10): random networks with loops, random link
// parameters, shell commands, link changes and raw frames. Invariants: no exception (a
// stall is a reported stop, not an exception), bounded memory and queues, virtual time
// never goes back and reaches each target while events remain, every frame accounted for
// (offered = delivered + dropped with a reason + in flight, and the traffic record agrees),
// and the same seed gives the same trace hash. A failure prints its one-line reproduction.
// Budget: FUZZ_CASES cases (default 30, a few seconds); SEED=n runs only that seed.
import { describe, expect, it } from 'vitest';
import { runCase, seededCase, type FuzzOutcome } from './run-fuzz';

const FILE = 'test/engine/run-fuzz.test.ts';
const CASES = Number(process.env.FUZZ_CASES ?? 30);
const BASE = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.SEED !== undefined ? Number(process.env.SEED) : null;
const LIMITS = { events: 200_000, zeroProgressEvents: 50_000 };
/** Heap growth one case may cause (its whole world included): far above need, far below a crash. */
const HEAP_CEILING = 64 * 1024 * 1024;

function check(seed: number): FuzzOutcome {
  const c = seededCase(seed);
  const first = runCase(c, seed, LIMITS);
  if (first.heapGrowthBytes > HEAP_CEILING) throw new Error(`heap grew ${first.heapGrowthBytes} bytes`);
  const again = runCase(c, seed, LIMITS);
  if (again.hash !== first.hash || again.nowNs !== first.nowNs || again.events !== first.events) {
    throw new Error(`same seed, different run: ${first.hash}/${first.nowNs}/${first.events} then ${again.hash}/${again.nowNs}/${again.events}`);
  }
  return first;
}

describe('run fuzzer', () => {
  it(`${ONLY !== null ? `seed ${ONLY}` : `${CASES} seeded cases from ${BASE}`}: invariants hold`, () => {
    const seeds = ONLY !== null ? [ONLY] : Array.from({ length: CASES }, (_, k) => BASE + k);
    let stalled = 0;
    let frames = 0;
    let events = 0;
    let peak = 0;
    for (const seed of seeds) {
      let out: FuzzOutcome;
      try {
        out = check(seed);
      } catch (err) {
        throw new Error(`run fuzzer: seed ${seed} failed: ${(err as Error).message}\nreproduce: SEED=${seed} npx vitest run --project unit ${FILE}`, { cause: err });
      }
      if (out.stalled) stalled++;
      frames += out.frames.offered;
      events += out.events;
      peak = Math.max(peak, out.heapGrowthBytes);
    }
    console.log(`run fuzzer: ${seeds.length} cases (each run twice), ${events} events, ${frames} frames offered to links, ${stalled} stopped as stalled, largest heap growth ${(peak / 1048576).toFixed(1)} MiB`);
    expect(frames).toBeGreaterThan(0);
  });
});
