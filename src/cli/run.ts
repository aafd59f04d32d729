// `virtnet run`: load a topology, start the World, run each --exec on its node's shell
// as fast as possible in virtual time, run on to --until, write --pcap captures
// atomically, with --keep-files the document with the node files the run changed, and
// print outputs (or one JSON object). Validates every argument before
// anything runs (capture paths included) so a bad invocation exits 2 with one line and
// no partial output.

import { parseArgs } from 'node:util';
import { World } from '../emulator/engine/world';
import { SimStall } from '../emulator/sim/scheduler';
import type { Capture } from '../emulator/engine/capture';
import { formatDiagnostic, serializeTopology } from '../emulator/topology/formats';
import type { TopologyDoc } from '../emulator/topology/document';

type ScenarioDoc = NonNullable<TopologyDoc['scenario']>;
type ScenarioExec = ScenarioDoc['inputs'][number];
import { openShell, runLine } from '../emulator/shell';
import type { ShellSession } from '../emulator/shell';
import { writeFileAtomicSync } from '../shared/node/atomic-write';
import { CLI_EXIT, CliError, type CliIo } from './io';
import { loadTopology } from './load';
import { checkDistinctOutputs, checkOutputPath } from './outputs';
import { runStartup } from '../emulator/engine/startup';
import { TRACE_RECORDS_DEFAULT, TRACE_RECORDS_MAX, TraceWriter } from './trace-out';

interface ExecSpec {
  raw: string;
  node: string;
  command: string;
  /** Replay: run the world to this many events first. */
  afterEvents?: number;
}

interface PcapSpec {
  raw: string;
  node: string;
  iface: string;
  out: string;
  format: 'pcap' | 'pcapng';
}

export interface RunResult {
  node: string;
  command: string;
  exitCode: number;
  output: string;
}

function parseExec(raw: string): ExecSpec {
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new CliError(`--exec '${raw}': expected 'NODE: COMMAND'`);
  const node = raw.slice(0, colon).trim();
  const command = raw.slice(colon + 1).trim();
  if (!node || !command) throw new CliError(`--exec '${raw}': expected 'NODE: COMMAND'`);
  return { raw, node, command };
}

function parsePcap(raw: string): PcapSpec {
  const m = /^([^:=]+):([^=]+)=(.+)$/.exec(raw);
  if (!m) throw new CliError(`--pcap '${raw}': expected NODE:IFACE=OUT.pcap`);
  const out = m[3];
  const format = out.toLowerCase().endsWith('.pcapng') ? 'pcapng' : 'pcap';
  return { raw, node: m[1].trim(), iface: m[2].trim(), out, format };
}

function parseNumber(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new CliError(`${flag} '${text}': expected a ${integer ? 'non-negative integer' : 'non-negative number of seconds'}`);
  }
  return n;
}

export function runCommandLine(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      exec: { type: 'string', multiple: true, short: 'e' },
      until: { type: 'string' },
      seed: { type: 'string' },
      pcap: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      trace: { type: 'string' },
      'trace-max': { type: 'string' },
      'record-scenario': { type: 'string' },
      replay: { type: 'boolean' },
      'keep-files': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'run: missing FILE (usage: virtnet run FILE [--exec \'NODE: COMMAND\']…)' : `run: one FILE expected, got ${positionals.length}`);
  const file = positionals[0];
  if (values.replay && (values.exec !== undefined || values.seed !== undefined || values.until !== undefined)) {
    throw new CliError('--replay: the scenario in FILE gives the commands, seed and end time (no --exec, --seed or --until)');
  }
  if (values.replay && values['record-scenario'] !== undefined) throw new CliError('--replay and --record-scenario: one at a time');
  let execs = (values.exec ?? []).map(parseExec);
  const pcaps = (values.pcap ?? []).map(parsePcap);
  const untilS = parseNumber('--until', values.until, false);
  let seed = parseNumber('--seed', values.seed, true) ?? 1;
  const traceMax = parseNumber('--trace-max', values['trace-max'], true) ?? TRACE_RECORDS_DEFAULT;
  if (traceMax < 1 || traceMax > TRACE_RECORDS_MAX) throw new CliError(`--trace-max ${values['trace-max']}: expected 1 to ${TRACE_RECORDS_MAX.toLocaleString('en-US')} records`);
  if (values['trace-max'] !== undefined && values.trace === undefined) throw new CliError('--trace-max: only with --trace OUT.jsonl');
  // Every output is checked before the file is even read: a typo costs one line, not a run.
  for (const p of pcaps) checkOutputPath(`--pcap '${p.raw}'`, p.out, [file]);
  if (values.trace !== undefined) checkOutputPath(`--trace '${values.trace}'`, values.trace, [file]);
  const record = values['record-scenario'];
  if (record !== undefined) {
    if (!record.toLowerCase().endsWith('.vnet')) throw new CliError(`--record-scenario '${record}': the scenario is saved in a .vnet document`);
    checkOutputPath(`--record-scenario '${record}'`, record, [file]);
  }
  const keepFiles = values['keep-files'];
  if (keepFiles !== undefined) {
    if (!keepFiles.toLowerCase().endsWith('.vnet')) throw new CliError(`--keep-files '${keepFiles}': the files are kept in a .vnet document`);
    checkOutputPath(`--keep-files '${keepFiles}'`, keepFiles, [file]);
  }
  checkDistinctOutputs([
    ...(keepFiles !== undefined ? [{ label: `--keep-files '${keepFiles}'`, out: keepFiles }] : []),
    ...pcaps.map((p) => ({ label: `--pcap '${p.raw}'`, out: p.out })),
    ...(values.trace !== undefined ? [{ label: `--trace '${values.trace}'`, out: values.trace }] : []),
    ...(record !== undefined ? [{ label: `--record-scenario '${record}'`, out: record }] : []),
  ]);
  const { doc, warnings } = loadTopology(file);
  let replay: ScenarioDoc | null = null;
  let replayUntilS = untilS;
  if (values.replay) {
    if (doc.scenario === undefined) throw new CliError(`${file}: --replay: the document has no scenario (record one with --record-scenario)`);
    replay = doc.scenario;
    seed = replay.seed;
    execs = replay.inputs.map((x, i) => {
      if (!doc.nodes.some((n) => n.name === x.node)) throw new CliError(`${file}: scenario.inputs.${i}: no node named ${x.node}`);
      return { raw: `${x.node}: ${x.exec}`, node: x.node, command: x.exec, afterEvents: x.afterEvents };
    });
    replayUntilS = replay.untilNs === undefined ? undefined : replay.untilNs / 1e9;
  }
  const captures: { spec: PcapSpec; cap: Capture }[] = [];
  let trace: TraceWriter | null = null;
  const recorded: ScenarioExec[] = [];
  try {
    // Captures start as soon as the links exist, so they hold the boot-time gratuitous ARPs.
    const world = startWorld(file, doc, seed, (w) => {
      for (const p of pcaps) {
        const node = w.nodeByName(p.node);
        if (!node) throw new CliError(`--pcap '${p.raw}': no node named ${p.node}`);
        let cap: Capture;
        try {
          cap = w.startCapture({ kind: 'iface', node: node.id, iface: p.iface });
        } catch (err) {
          throw new CliError(`--pcap '${p.raw}': ${(err as Error).message}`);
        }
        captures.push({ spec: p, cap });
      }
      if (values.trace !== undefined) trace = startTrace(w, values.trace, traceMax);
    });
    const filesBase = world.filesBaseline();
    for (const e of execs) {
      const node = world.nodeByName(e.node);
      if (!node) throw new CliError(`--exec '${e.raw}': no node named ${e.node}`);
      if (!node.stack && !node.bridge) throw new CliError(`--exec '${e.raw}': node ${e.node} (kind ${node.kind}) is not emulated`);
    }
    // Printed once, after the arguments are known to be good.
    for (const w of warnings) io.stderr(`virtnet: ${formatDiagnostic(w)}\n`);
    for (const w of engineWarnings(world.warnings, warnings.map((d) => d.message))) io.stderr(`virtnet: warning: ${w}\n`);

    let results: RunResult[];
    try {
      results = runExecs(world, execs, values.json ? null : io, recorded);
      if (replayUntilS !== undefined) {
        const untilNs = Math.round(replayUntilS * 1e9);
        if (untilNs > world.sim.now()) world.sim.runUntil(untilNs);
      }
    } catch (err) {
      // A zero-delay loop or an event flood stops the run: one line naming the seed, exit 1.
      if (err instanceof SimStall) throw new CliError(`${file}: the run stopped: ${err.message} (replay with --seed ${seed})`, CLI_EXIT.COMMAND_FAILED);
      throw err;
    }
    for (const n of world.takeNotices()) io.stderr(`virtnet: warning: ${n}\n`);
    for (const { spec, cap } of captures) {
      cap.finish();
      const bytes = spec.format === 'pcapng' ? cap.toPcapng() : cap.toPcap();
      try {
        writeFileAtomicSync(spec.out, bytes);
      } catch (err) {
        throw new CliError(`${spec.out}: cannot write: ${(err as Error).message}`);
      }
    }
    if (trace !== null) finishTrace(trace, values.trace!);
    if (record !== undefined) {
      const scenario: ScenarioDoc = { seed, inputs: recorded };
      if (untilS !== undefined) scenario.untilNs = Math.round(untilS * 1e9);
      try {
        writeFileAtomicSync(record, serializeTopology({ ...doc, scenario }, record));
      } catch (err) {
        throw new CliError(`${record}: cannot write: ${(err as Error).message}`);
      }
    }
    if (keepFiles !== undefined) writeKeptFiles(world, filesBase, doc, keepFiles, io);
    if (values.json) io.stdout(JSON.stringify({ results, stats: runStats(world, seed) }) + '\n');
    return results.every((r) => r.exitCode === 0) ? CLI_EXIT.OK : CLI_EXIT.COMMAND_FAILED;
  } catch (err) {
    // A failed run leaves no trace file (nor its temporary): the old OUT, if any, stays.
    (trace as TraceWriter | null)?.abandon();
    throw err;
  }
}

/**
 * --keep-files OUT.vnet: the document with the files of every node whose files changed
 * during the run (as the app's Stop dialog keeps them), one stderr line per node.
 */
function writeKeptFiles(world: World, base: ReturnType<World['filesBaseline']>, doc: TopologyDoc, out: string, io: CliIo): void {
  const changes = new Map(world.changedFiles(base).map((c) => [c.node, c]));
  for (const c of changes.values()) io.stderr(`virtnet: kept the files of ${c.name}: ${c.changed.join(', ')}\n`);
  const nodes = doc.nodes.map((n) => {
    const c = changes.get(n.id);
    if (c === undefined) return n;
    const { files: _old, ...rest } = n;
    return Object.keys(c.files).length > 0 ? { ...rest, files: c.files } : rest;
  });
  try {
    writeFileAtomicSync(out, serializeTopology({ ...doc, nodes }, out));
  } catch (err) {
    throw new CliError(`${out}: cannot write: ${(err as Error).message}`);
  }
}

function startTrace(world: World, out: string, max: number): TraceWriter {
  try {
    return new TraceWriter(world, out, max);
  } catch (err) {
    throw new CliError(`${out}: cannot write: ${(err as Error).message}`);
  }
}

function finishTrace(trace: TraceWriter, out: string): void {
  try {
    trace.finish();
  } catch (err) {
    trace.abandon();
    throw new CliError(`${out}: cannot write: ${(err as Error).message}`);
  }
}

/** The engine's warnings minus those the importer already gave for the same node. */
export function engineWarnings(engine: readonly string[], imported: readonly string[]): string[] {
  return engine.filter((w) => {
    const m = /^node (\S+) \(kind [^)]*\) will not run/.exec(w);
    if (m) return !imported.some((i) => i.includes(m[1]) && i.includes('will not run'));
    // A router's daemons that do not run: the importer already said so on the node's line.
    const r = /^router (\S+): .*will not run yet/.exec(w);
    return !r || !imported.some((i) => i.startsWith(`router ${r[1]}: `) && i.includes('will not run yet'));
  });
}

function startWorld(file: string, doc: ConstructorParameters<typeof World>[0], seed: number, onWired: (w: World) => void): World {
  let world: World;
  try {
    world = new World(doc, { seed, onWired });
  } catch (err) {
    if (err instanceof CliError) throw err;
    // The loader accepted the file but the engine could not build it: still a file problem.
    throw new CliError(`${file}:1: cannot start the network: ${(err as Error).message}`);
  }
  runStartup(world, doc); // startup configurations: failures are warnings, never a failed start
  return world;
}

/** Output kept per --exec command (what --json and the summary print); the rest is counted and cut. */
export const EXEC_OUTPUT_MAX = 16 * 1024 * 1024;

/** A text sink that keeps at most `max` characters and says how many it cut: memory stays bounded. */
export function boundedSink(max = EXEC_OUTPUT_MAX): { write(t: string): void; reset(): void; text(): string } {
  let text = '';
  let cut = 0;
  return {
    write(t) {
      const room = max - text.length;
      if (t.length <= room) text += t;
      else {
        if (room > 0) text += t.slice(0, room);
        cut += t.length - Math.max(0, room);
      }
    },
    reset() {
      text = '';
      cut = 0;
    },
    text: () => (cut > 0 ? `${text}\n[output cut: ${cut.toLocaleString('en-US')} more characters]\n` : text),
  };
}

/** One shell per node, reused across --exec so state typed earlier persists. */
function runExecs(world: World, execs: ExecSpec[], stream: CliIo | null, recorded: ScenarioExec[]): RunResult[] {
  const sessions = new Map<string, { session: ShellSession; sink: ReturnType<typeof boundedSink> }>();
  const results: RunResult[] = [];
  for (const e of execs) {
    let s = sessions.get(e.node);
    if (!s) {
      const sink = boundedSink();
      const node = world.nodeByName(e.node)!;
      const session = openShell(world, node.id, {
        write: (t) => {
          sink.write(t);
          stream?.stdout(t);
        },
      });
      s = { session, sink };
      sessions.set(e.node, s);
    }
    s.sink.reset();
    // A replayed command waits for the event count it was typed after (not just the time:
    // events at that same instant may not have run yet), so the run is the same, event for event.
    if (e.afterEvents !== undefined) while (world.sim.executed() < e.afterEvents && world.sim.step()) {}
    recorded.push({ atNs: world.sim.now(), afterEvents: world.sim.executed(), node: e.node, exec: e.command });
    const r = runLine(s.session, world, e.command);
    results.push({ node: e.node, command: e.command, exitCode: r.exitCode, output: s.sink.text() });
  }
  for (const s of sessions.values()) s.session.close();
  return results;
}

function runStats(world: World, seed: number) {
  let frames = 0;
  let bytes = 0;
  let drops = 0;
  for (let g = 0; g < world.ifaceCount(); g++) {
    const c = world.ifaceCounters(g);
    frames += c.txPackets;
    bytes += c.txBytes;
    drops += c.drops;
  }
  // Links count their own drops (per direction, by reason); the total includes them.
  for (const l of world.links) for (const d of [0, 1] as const) for (const n of Object.values(l.counters(d).drops)) drops += n ?? 0;
  const nowNs = world.sim.now();
  return {
    seed,
    virtualTimeNs: nowNs,
    virtualSeconds: nowNs / 1e9,
    events: world.sim.executed(),
    frames,
    bytes,
    drops,
    trafficRecords: world.traffic.total,
    traceHash: world.traceHash(),
    nodes: world.nodes.length,
    links: world.links.length,
  };
}
