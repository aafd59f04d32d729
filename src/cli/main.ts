// The `virtnet` command line (DESIGN "CLI" contract): run, convert, validate, bench,
// --help, --version. Dispatch and error reporting only; each subcommand has its file.
// User errors print one `virtnet: …` line and exit 2; they never print a stack trace.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCommand } from './bench';
import { convertCommand, validateCommand } from './files';
import { CLI_EXIT, CliError, processIo, type CliIo } from './io';
import { runCommandLine } from './run';

export const HELP = `usage: virtnet <command> [options]

  virtnet run FILE [--exec 'NODE: COMMAND']... [--until SECONDS] [--seed N]
                   [--pcap NODE:IFACE=OUT.pcap]... [--json]
      Start the network in FILE (.vnet or IMUNES .imn), run each command in the
      named node's shell in virtual time, run on until --until seconds, write the
      captures (.pcap or .pcapng) and print the outputs (or one JSON object).
      A command still running after one virtual hour is interrupted (Ctrl-C).
  virtnet convert IN OUT      Convert between .vnet and .imn (by extension).
  virtnet validate FILE       Report every problem in FILE with its line.
  virtnet bench [--routers N] [--packets K] [--json]
  virtnet bench --tcp [--routers N] [--mbytes M] [--json]
      Measure packet-hops/s, events/s and memory per idle node.
  virtnet --help | --version

Exit status: 0 ok, 1 a command failed, 2 bad file or arguments.
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (cmd === undefined ? io.stderr : io.stdout)(HELP);
        return cmd === undefined ? CLI_EXIT.BAD_INPUT : CLI_EXIT.OK;
      case '--version':
      case '-V':
        io.stdout(`virtnet ${version()}\n`);
        return CLI_EXIT.OK;
      case 'run':
        return runCommandLine(rest, io);
      case 'convert':
        return convertCommand(rest, io);
      case 'validate':
        return validateCommand(rest, io);
      case 'bench':
        return benchCommand(rest, io);
      default:
        throw new CliError(`unknown command '${cmd}' (try 'virtnet --help')`);
    }
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`virtnet: ${err.message}\n`);
      return err.code;
    }
    // node:util parseArgs reports unknown options and missing values as TypeErrors with a code.
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`virtnet: ${(err as Error).message}\n`);
      return CLI_EXIT.BAD_INPUT;
    }
    throw err;
  }
}
