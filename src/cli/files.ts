// `virtnet convert IN OUT` (format by extension, atomic write) and `virtnet validate FILE`
// (every problem with its location; exit 0 valid, 2 invalid). No engine run here.

import { parseArgs } from 'node:util';
import { World } from '../emulator/engine/world';
import { formatDiagnostic, formatDiagnostics, parseTopology, serializeTopology } from '../emulator/topology/formats';
import { writeFileAtomicSync } from '../shared/node/atomic-write';
import { CLI_EXIT, CliError, type CliIo } from './io';
import { loadTopology, readText } from './load';
import { engineWarnings } from './run';

const FORMATS = ['.vnet', '.imn'];

export function convertCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 2) throw new CliError('convert: usage: virtnet convert IN OUT (formats by extension: .vnet, .imn)');
  const [input, output] = positionals;
  if (!FORMATS.some((ext) => output.toLowerCase().endsWith(ext))) throw new CliError(`${output}: unknown output format (use .vnet or .imn)`);
  const { doc, warnings } = loadTopology(input);
  for (const w of warnings) io.stderr(`virtnet: ${formatDiagnostic(w)}\n`);
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
  try {
    const imported = r.warnings.map((d) => d.message);
    for (const w of engineWarnings(new World(r.doc).warnings, imported)) lines.push(`${file}: warning: ${w}`);
  } catch (err) {
    lines.push(`${file}: error: the engine cannot start this topology: ${(err as Error).message}`);
    io.stdout(lines.join('\n') + '\n');
    return CLI_EXIT.BAD_INPUT;
  }
  if (lines.length) io.stdout(lines.join('\n') + '\n');
  io.stdout(`${file}: valid (${r.doc.nodes.length} nodes, ${r.doc.links.length} links)\n`);
  return CLI_EXIT.OK;
}
