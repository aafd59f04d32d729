// `virtnet convert IN OUT` (format by extension, atomic write) and `virtnet validate FILE`
// (every problem with its location; exit 0 valid, 2 invalid). No engine run here.

import { parseArgs } from 'node:util';
import { World } from '../emulator/engine/world';
import { exportWarnings, formatDiagnostic, formatDiagnostics, parseTopology, serializeTopology } from '../emulator/topology/formats';
import { oneLine, quoteText } from '../emulator/topology/diagnostics';
import type { TopologyDoc } from '../emulator/topology/document';
import { writeFileAtomicSync } from '../shared/node/atomic-write';
import { CLI_EXIT, CliError, type CliIo } from './io';
import { loadTopology, readText } from './load';
import { checkOutputPath } from './outputs';
import { engineWarnings } from './run';

const FORMATS = ['.vnet', '.imn'];

export function convertCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 2) throw new CliError('convert: usage: virtnet convert IN OUT (formats by extension: .vnet, .imn)');
  const [input, output] = positionals;
  if (!FORMATS.some((ext) => output.toLowerCase().endsWith(ext))) throw new CliError(`${output}: unknown output format (use .vnet or .imn)`);
  checkOutputPath('convert', output, [input]);
  const { doc, warnings } = loadTopology(input);
  // What validate refuses, convert does not write.
  const engine = engineCheck(doc, input);
  if ('error' in engine) throw new CliError(engine.error);
  for (const w of [...warnings, ...exportWarnings(doc, output)]) io.stderr(`virtnet: ${formatDiagnostic(w)}\n`);
  const text = serializeTopology(doc, output);
  try {
    writeFileAtomicSync(output, text);
  } catch (err) {
    throw new CliError(`${output}: cannot write: ${(err as Error).message}`);
  }
  return CLI_EXIT.OK;
}

export function validateCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new CliError('validate: usage: virtnet validate FILE');
  const file = positionals[0];
  const text = readText(file);
  const r = parseTopology(text, file);
  if ('errors' in r) {
    io.stdout(formatDiagnostics(r.errors) + '\n');
    io.stderr(`virtnet: ${file}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}\n`);
    return CLI_EXIT.BAD_INPUT;
  }
  const lines = r.warnings.length ? [formatDiagnostics(r.warnings)] : [];
  // What the engine would say when starting it (kinds that do not run, bad addresses).
  const engine = engineCheck(r.doc, file);
  if ('error' in engine) {
    io.stdout([...lines, engine.error].join('\n') + '\n');
    io.stderr(`virtnet: ${file}: 1 error\n`);
    return CLI_EXIT.BAD_INPUT;
  }
  for (const w of engineWarnings(engine.warnings, r.warnings.map((d) => d.message))) lines.push(`${oneLine(file, 1000)}: warning: ${oneLine(w)}`);
  if (lines.length) io.stdout(lines.join('\n') + '\n');
  const lab = r.doc.lab ? `; lab ${quoteText(r.doc.lab.title, 60)}: ${r.doc.lab.checks.length} checks, ${r.doc.lab.checks.reduce((s, c) => s + c.points, 0)} points` : '';
  io.stdout(`${file}: valid (${r.doc.nodes.length} nodes, ${r.doc.links.length} links${lab})\n`);
  return CLI_EXIT.OK;
}

/**
 * What the engine says when it builds the network: its warnings, or (a validator gap, since
 * check.ts must catch whatever the engine trips on) one located line instead of a crash.
 */
export function engineCheck(doc: TopologyDoc, file: string): { warnings: readonly string[] } | { error: string } {
  try {
    return { warnings: new World(doc).warnings };
  } catch (err) {
    return { error: `${oneLine(file, 1000)}:1: the engine cannot start this topology: ${oneLine(String((err as Error)?.message ?? err))}` };
  }
}
