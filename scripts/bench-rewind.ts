// Step back's figure (issue 16): the 200-node RIP lab (test/scenarios/topologies.ts
// ripGridLab: 40 routers, 40 switches, 120 pcs) with two pcs pinging across it, run to 600 s
// of virtual time through the Engine; then "back one traffic event" and "back one scheduler
// event", each timed with the checkpoints built (ticks while paused), several in a row with
// no ticks between (each uses up a checkpoint), and with none (replay from the start); and
// the checkpoints' heap. Usage: node --expose-gc --import tsx scripts/bench-rewind.ts [runs]
import { Engine } from '../src/emulator/engine/engine';
import { ripGridLab } from '../test/scenarios/topologies';

const RUNS = Number(process.argv[2] ?? 7);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function lab(checkpoints: boolean): Promise<Engine> {
  const engine = new Engine(() => {}, { clock: () => performance.now(), checkpoints: checkpoints ? {} : { max: 0 } });
  await engine.handle({ type: 'net/start', doc: ripGridLab(), seed: 1 });
  for (const [node, dest] of [['pc1-1', '10.2.39.20'], ['pc40-3', '10.2.0.21']]) {
    const { session } = await engine.handle({ type: 'shell/open', node });
    await engine.handle({ type: 'shell/exec', session, line: `ping -c 600 ${dest}` });
  }
  await engine.handle({ type: 'sim/run-until', untilNs: 600e9 });
  return engine;
}

/** Tick while paused until no checkpoint is left to build; the wall time it took. */
function warm(engine: Engine): number {
  const t0 = performance.now();
  while (engine.checkpointState().building) engine.tick();
  return performance.now() - t0;
}

/** `rewarm`: every checkpoint built again between two steps back; a number: that many paused ticks (16 ms each in the app). */
async function backs(engine: Engine, to: 'traffic' | 'event', rewarm: boolean | number): Promise<[number[], number[]]> {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (rewarm === true) warm(engine);
    else if (rewarm !== false) for (let t = 0; t < rewarm; t++) engine.tick();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await engine.handle({ type: 'sim/rewind', back: 1, to });
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return [ms, cpu];
}

void (async () => {
  const base = heapMb();
  const engine = await lab(true);
  const w = engine.world!;
  const liveMb = heapMb() - base;
  console.log(`lab: ${w.nodes.length} nodes, ${w.links.length} links; at ${w.sim.now() / 1e9} s: ${w.sim.executed()} events, ${w.traffic.total} traffic records; live world heap ${liveMb.toFixed(1)} MB`);
  const before = heapMb();
  const warmMs = warm(engine);
  const cpsMb = heapMb() - before;
  const at = engine.checkpointState().positions;
  console.log(`checkpoints at events ${at.join(', ')} (built in ${warmMs.toFixed(0)} ms of paused ticks); their heap ${cpsMb.toFixed(1)} MB (${(cpsMb / at.length).toFixed(1)} MB each)`);
  for (const to of ['traffic', 'event'] as const) {
    const [ms, cpu] = await backs(engine, to, true);
    console.log(`back one ${to === 'event' ? 'scheduler' : to} event, checkpoints: median ${median(ms).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (wall: ${ms.map((x) => x.toFixed(0)).join(' ')})`);
  }
  for (const ticks of [0, 10]) {
    warm(engine);
    const [ms, cpu] = await backs(engine, 'traffic', ticks);
    console.log(`back one traffic event ${RUNS} times in a row, ${ticks} paused ticks between: ${cpu.map((x) => x.toFixed(0)).join(' ')} ms CPU (wall: ${ms.map((x) => x.toFixed(0)).join(' ')})`);
  }
  const none = await lab(false);
  for (const to of ['traffic', 'event'] as const) {
    const [ms, cpu] = await backs(none, to, false);
    console.log(`back one ${to === 'event' ? 'scheduler' : to} event, replay from the start: median ${median(ms).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (wall: ${ms.map((x) => x.toFixed(0)).join(' ')})`);
  }
})();
