// Step back after any input (issue 16): stdin text, Ctrl-C, a shell closed, a link set down
// or up and a link's parameters changed are timed inputs too, so a run stepped back to after
// them and played on reaches the same end (trace hash, events) — from the start or from a
// checkpoint — while one stepped back to before them (which forgets them) does not. Ctrl-Z
// is kept and replayed too (counted on every shell's suspend(); its effect is the shell's tests').
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineClient } from '../../src/worker/client';
import { createMemoryPortPair } from '../../src/worker/memory-port';
import { serveEngine, type ServedEngine } from '../../src/worker/serve';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { chain } from '../scenarios/topologies';

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

/** suspend() calls on any shell, live or rebuilt by a step back (the shells are the real ones). */
const suspends = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/emulator/shell', async (importOriginal) => {
  const shell = await importOriginal<typeof import('../../src/emulator/shell')>();
  return {
    ...shell,
    openShell: (...args: Parameters<typeof shell.openShell>) => {
      const s = shell.openShell(...args);
      const suspend = s.suspend.bind(s);
      s.suspend = () => {
        suspends.count++;
        suspend();
      };
      return s;
    },
  };
});

const S = 1_000_000_000;
const END_NS = 12 * S;

function connect(checkpoints: boolean, clockMs?: { t: number }, stepBackInputsMax?: number) {
  const [a, b] = createMemoryPortPair();
  served = serveEngine(b, { tickMs: 0, clock: clockMs ? () => clockMs.t : undefined, checkpoints: checkpoints ? { spacingEvents: 16 } : { max: 0 }, stepBackInputsMax });
  const client = new EngineClient(a);
  const events: EngineEvent[] = [];
  client.onEvents((e) => events.push(...e));
  return { client, events, served };
}

type Client = EngineClient;
/** Gives its inputs; calls `before()` just before the input under test and `mark()` right after its inputs. */
type Script = (c: Client, before: () => void, mark: () => void) => Promise<void>;

const outputOf = (events: EngineEvent[], session: number) =>
  events
    .filter((e) => e.type === 'shell/output' && e.session === session)
    .map((e) => (e.type === 'shell/output' ? e.text : ''))
    .join('');

/**
 * Runs `script` to END_NS, with r1 pinging pc2 all along (so events go on after the
 * inputs); steps back to the event count `mark()`ed and plays on: the same end. Steps back
 * to before the input under test: a different end (it mattered). Returns the first run's
 * events for further checks.
 */
async function sameEndAfterStepBack(script: Script, checkpoints: boolean): Promise<EngineEvent[]> {
  const { client, events, served } = connect(checkpoints);
  await client.request({ type: 'net/start', doc: chain(1, { delayUs: 1000 }), seed: 7 });
  const w = () => served.engine.world!;
  let first = -1;
  let marked = -1;
  const bg = await open(client, 'r1');
  await client.request({ type: 'shell/exec', session: bg, line: 'ping -c 11 10.0.1.20' });
  await script(
    client,
    () => {
      first = w().sim.executed();
    },
    () => {
      marked = w().sim.executed();
    },
  );
  await client.request({ type: 'sim/run-until', untilNs: END_NS });
  const end = { hash: w().traceHash(), events: w().sim.executed() };
  const seen = events.slice();
  expect(marked).toBeGreaterThanOrEqual(first);
  expect(first).toBeGreaterThan(0);
  expect(end.events).toBeGreaterThan(marked);
  for (let i = 0; i < 40; i++) served.tick(); // paused: checkpoints get built
  if (checkpoints) expect(served.engine.checkpointState().positions.length).toBeGreaterThan(0);
  const r = await client.request({ type: 'sim/rewind', back: end.events - marked });
  expect(r.events).toBe(marked);
  await client.request({ type: 'sim/run-until', untilNs: END_NS });
  expect({ hash: w().traceHash(), events: w().sim.executed() }).toEqual(end);
  // Back before the inputs: they are forgotten, and the end differs.
  await client.request({ type: 'sim/rewind', back: w().sim.executed() - (first - 1) });
  expect(w().sim.executed()).toBe(first - 1);
  await client.request({ type: 'sim/run-until', untilNs: END_NS });
  expect(w().traceHash()).not.toBe(end.hash);
  return seen;
}

async function open(c: Client, node: string): Promise<number> {
  return (await c.request({ type: 'shell/open', node })).session;
}

/** pc1 — r1 — pc2 started, and each [node, line] typed into a new shell there: the sessions. */
async function startRunning(c: Client, ...lines: [string, string][]): Promise<number[]> {
  await c.request({ type: 'net/start', doc: chain(1, { delayUs: 1000 }), seed: 7 });
  const sessions: number[] = [];
  for (const [node, line] of lines) {
    const session = await open(c, node);
    await c.request({ type: 'shell/exec', session, line });
    sessions.push(session);
  }
  return sessions;
}

/** pc1 runs `line` (a ping), then at `atS` seconds `act` gives the input under test. */
const pingThen =
  (line: string, atS: number, act: (c: Client, session: number) => Promise<unknown>): Script =>
  async (c, before, mark) => {
    const sh = await open(c, 'pc1');
    await c.request({ type: 'shell/exec', session: sh, line });
    await c.request({ type: 'sim/run-until', untilNs: atS * S });
    before();
    await act(c, sh);
    mark();
  };

const linkDownUp = pingThen('ping -c 8 10.0.1.20', 2.5, async (c) => {
  await c.request({ type: 'link/set-up', link: 'l1', up: false });
  await c.request({ type: 'sim/run-until', untilNs: 4.5 * S });
  await c.request({ type: 'link/set-up', link: 'l1', up: true });
});

const linkParams = pingThen('ping -c 6 10.0.1.20', 2.5, (c) => c.request({ type: 'link/set-params', link: 'l0', params: { delayUs: 40_000 }, direction: 'ab' }));

const stdinText: Script = async (c, before, mark) => {
  const server = await open(c, 'pc2');
  const client = await open(c, 'pc1');
  await c.request({ type: 'shell/exec', session: server, line: 'nc -l 5000' });
  await c.request({ type: 'sim/run-until', untilNs: 1 * S });
  await c.request({ type: 'shell/exec', session: client, line: 'nc 10.0.1.20 5000' });
  await c.request({ type: 'sim/run-until', untilNs: 2 * S });
  before();
  expect(await c.request({ type: 'shell/input', session: client, text: 'hello from pc1\n' })).toEqual({ accepted: true });
  await c.request({ type: 'sim/run-until', untilNs: 3 * S });
  mark();
};

const interrupt = pingThen('ping 10.0.1.20', 3.5, (c, session) => c.request({ type: 'shell/interrupt', session }));

const close = pingThen('ping 10.0.1.20 &', 3.5, (c, session) => c.request({ type: 'shell/close', session }));

describe('step back after any input', () => {
  for (const checkpoints of [false, true]) {
    const how = checkpoints ? 'from a checkpoint' : 'from the start';
    it(`a link set down then up is replayed (${how})`, async () => {
      const seen = await sameEndAfterStepBack(linkDownUp, checkpoints);
      expect(outputOf(seen, 2)).toMatch(/8 packets transmitted, [1-7] packets received/);
    });
    it(`a link parameter change is replayed (${how})`, async () => {
      const seen = await sameEndAfterStepBack(linkParams, checkpoints);
      expect(outputOf(seen, 2)).toMatch(/time=4\d\.\d+ ms/);
    });
    it(`text typed into a running command is replayed (${how})`, async () => {
      const seen = await sameEndAfterStepBack(stdinText, checkpoints);
      expect(outputOf(seen, 2)).toContain('hello from pc1');
    });
    it(`Ctrl-C is replayed (${how})`, async () => {
      const seen = await sameEndAfterStepBack(interrupt, checkpoints);
      expect(outputOf(seen, 2)).toMatch(/packets transmitted/);
    });
    it(`a shell closed (ending its background ping) is replayed (${how})`, () => sameEndAfterStepBack(close, checkpoints).then(() => undefined));
  }

  it('checkpoints follow a run played in real time, so a step back right after the pause is near', async () => {
    const clock = { t: 0 };
    const { client, served } = connect(true, clock);
    await client.request({ type: 'net/start', doc: chain(1, { delayUs: 1000 }), seed: 7 });
    const sh = await open(client, 'pc1');
    await client.request({ type: 'shell/exec', session: sh, line: 'ping -c 20 10.0.1.20' });
    await client.request({ type: 'sim/play', speed: 1 });
    for (let i = 0; i < 600; i++) {
      clock.t += 16;
      served.tick();
    }
    expect(served.engine.isRunning()).toBe(true);
    const live = served.engine.world!.sim.executed();
    const at = served.engine.checkpointState().positions;
    expect(at.length).toBeGreaterThan(1);
    expect(Math.max(...at)).toBeGreaterThan(live - 64);
    await client.request({ type: 'sim/pause' });
    const r = await client.request({ type: 'sim/rewind', back: 1 });
    expect(r.events).toBe(live - 1);
  });

  it('past the inputs a run keeps, step back is refused with the reason; a new run starts afresh', async () => {
    const { client } = connect(true, undefined, 3);
    await startRunning(client, ['pc1', 'ping -c 5 10.0.1.20']);
    await client.request({ type: 'sim/run-until', untilNs: 1 * S });
    for (const delayUs of [10, 20, 30]) await client.request({ type: 'link/set-params', link: 'l0', params: { delayUs } });
    await client.request({ type: 'sim/run-until', untilNs: 2 * S });
    await expect(client.request({ type: 'sim/rewind', back: 1 })).rejects.toThrow(/more than 3 inputs/);
    await startRunning(client, ['pc1', 'ping -c 5 10.0.1.20']);
    await client.request({ type: 'sim/run-until', untilNs: 1 * S });
    expect((await client.request({ type: 'sim/rewind', back: 1 })).events).toBeGreaterThan(0);
  });

  it('the links changed in the run come back as they were then', async () => {
    const { client, served } = connect(true);
    await client.request({ type: 'net/start', doc: chain(1, { delayUs: 1000 }), seed: 7 });
    const sh = await open(client, 'pc1');
    await client.request({ type: 'shell/exec', session: sh, line: 'ping -c 10 10.0.1.20' });
    await client.request({ type: 'sim/run-until', untilNs: 2 * S });
    const changed = served.engine.world!.sim.executed();
    await client.request({ type: 'link/set-params', link: 'l0', params: { delayUs: 40_000 }, direction: 'ab' });
    await client.request({ type: 'sim/run-until', untilNs: 4 * S });
    const mid = served.engine.world!.sim.executed() - 1; // before the link goes down
    await client.request({ type: 'link/set-up', link: 'l1', up: false });
    await client.request({ type: 'sim/run-until', untilNs: 6 * S });
    let r = await client.request({ type: 'sim/rewind', back: served.engine.world!.sim.executed() - mid });
    expect(r.links).toEqual([
      { link: 'l0', up: true, params: expect.objectContaining({ delayUs: 40_000 }), paramsBA: expect.objectContaining({ delayUs: 1000 }) },
      { link: 'l1', up: true, params: expect.objectContaining({ delayUs: 1000 }), paramsBA: expect.objectContaining({ delayUs: 1000 }) },
    ]);
    // Before the parameter change: the link's own delay (l1's change was forgotten by the first step back).
    r = await client.request({ type: 'sim/rewind', back: mid - (changed - 1) });
    expect(r.links?.map((l) => [l.link, l.up, l.params.delayUs])).toEqual([['l0', true, 1000]]);
    // Without a link change in the run, the field is left out (as before).
    await client.request({ type: 'net/start', doc: chain(1), seed: 7 });
    await client.request({ type: 'sim/run-until', untilNs: 1 * S });
    expect((await client.request({ type: 'sim/rewind', back: 1 })).links).toBeUndefined();
  });

  it('stepped back into a running nc, the terminal learns that typing goes to its standard input', async () => {
    const { client, events, served } = connect(true);
    const [bg, server] = await startRunning(client, ['r1', 'ping -c 10 10.0.1.20'], ['pc2', 'nc -l 5000']);
    await client.request({ type: 'sim/run-until', untilNs: 2 * S });
    await client.request({ type: 'shell/interrupt', session: server });
    await client.request({ type: 'sim/run-until', untilNs: 4 * S });
    events.length = 0;
    await client.request({ type: 'sim/rewind', back: served.engine.world!.sim.executed() - 10 });
    await new Promise((res) => setTimeout(res, 10));
    const stdin = events.filter((e) => e.type === 'shell/stdin');
    expect(stdin.at(-1)).toEqual({ type: 'shell/stdin', session: server, open: true });
    expect(stdin.filter((e) => e.type === 'shell/stdin' && e.session === bg).at(-1)).toMatchObject({ open: false });
    expect(await client.request({ type: 'shell/input', session: server, text: 'typed after the step back\n' })).toEqual({ accepted: true });
  });

  it('Ctrl-Z is kept and replayed by a step back to after it, and forgotten by one to before it', async () => {
    const { client, served } = connect(false); // no checkpoints: a step back replays every input kept
    const w = () => served.engine.world!;
    const [sh] = await startRunning(client, ['pc1', 'ping 10.0.1.20'], ['r1', 'ping -c 10 10.0.1.20']);
    await client.request({ type: 'sim/run-until', untilNs: 3.5 * S });
    const at = w().sim.executed();
    suspends.count = 0;
    await client.request({ type: 'shell/suspend', session: sh });
    expect(suspends.count).toBe(1);
    await client.request({ type: 'sim/run-until', untilNs: 6 * S });
    const end = { hash: w().traceHash(), events: w().sim.executed() };
    await client.request({ type: 'sim/rewind', back: 1 });
    expect(suspends.count).toBe(2);
    await expect(client.request({ type: 'sim/scenario' })).rejects.toThrow(/a command was stopped \(Ctrl-Z\)/);
    await client.request({ type: 'sim/run-until', untilNs: 6 * S });
    expect({ hash: w().traceHash(), events: w().sim.executed() }).toEqual(end);
    await client.request({ type: 'sim/rewind', back: w().sim.executed() - (at - 1) });
    expect(suspends.count).toBe(2);
    expect((await client.request({ type: 'sim/scenario' })).inputs.map((i) => i.exec)).toEqual(['ping 10.0.1.20', 'ping -c 10 10.0.1.20']);
  });

  it('the shell output up to then comes back with a step back after Ctrl-C', async () => {
    const { client, served } = connect(true);
    const [sh] = await startRunning(client, ['pc1', 'ping 10.0.1.20'], ['r1', 'ping -c 10 10.0.1.20']);
    await client.request({ type: 'sim/run-until', untilNs: 3.5 * S });
    await client.request({ type: 'shell/interrupt', session: sh });
    await client.request({ type: 'sim/run-until', untilNs: 6 * S });
    for (let i = 0; i < 40; i++) served.tick();
    const r = await client.request({ type: 'sim/rewind', back: 1 });
    expect(r.transcripts[0].text).toMatch(/--- 10\.0\.1\.20 ping statistics ---\n4 packets transmitted, 4 packets received/);
  });
});
