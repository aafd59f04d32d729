// The `virtnet` command line (DESIGN "CLI" contract): run, convert, validate, grade, bench,
// --help, --version. Dispatch and error reporting only; each subcommand has its file.
// User errors print one `virtnet: …` line and exit 2; nothing prints a stack trace
// (an internal error is one line and exit 70; VIRTNET_DEBUG=1 adds the stack).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCommand } from './bench';
import { gradeCommand } from './grade';
import { convertCommand, validateCommand } from './files';
import { oneLine } from '../emulator/topology/diagnostics';
import { CLI_EXIT, CliError, processIo, quietOnClosedPipe, type CliIo } from './io';
import { runCommandLine } from './run';

export const HELP = `usage: virtnet <command> [options]

  virtnet run FILE [--exec 'NODE: COMMAND']... [--until SECONDS] [--seed N]
                   [--pcap NODE:IFACE=OUT.pcap]... [--trace OUT.jsonl [--trace-max N]]
                   [--record-scenario OUT.vnet | --replay] [--keep-files OUT.vnet] [--json]
      Start the network in FILE (.vnet or IMUNES .imn), run each command in the
      named node's shell in virtual time, run on until --until seconds, write the
      captures (.pcap or .pcapng) and print the outputs (or one JSON object).
      --trace writes every traffic record with the node's decision (route, ARP,
      switch, TTL, firewall, socket) and a sentence explaining it, one JSON object
      per line (at most N lines, default 1,000,000).
      --record-scenario OUT.vnet saves the document with the run's commands, the
      virtual time and event count each was typed at, and the seed; virtnet run
      OUT.vnet --replay runs them again, exactly (the same trace hash).
      --keep-files OUT.vnet saves the document with the files the run changed on
      each node (shell edits, services' files), as Stop in the app keeps them.
      A command still running after one virtual hour is interrupted (Ctrl-C).
  virtnet convert IN OUT      Convert between .vnet and .imn (by extension).
  virtnet validate FILE       Report every problem in FILE with its line.
  virtnet grade LAB SUBMISSION... [--csv OUT]
      Re-run every check of the lab in LAB on each submission (a .vnet or .imn
      network; its own lab section is ignored) and write the gradebook as CSV
      (student, score, max, one column per check, time, error) to OUT or stdout;
      with --csv, stdout gets each student's checks and why they failed. A bad
      submission gets its error in its row and grading goes on (exit status 2).
  virtnet bench [--routers N] [--packets K] [--ipv6] [--explain] [--json]
  virtnet bench --tcp [--routers N] [--mbytes M] [--omit-mbytes W] [--json]
      Measure packet-hops/s, events/s and memory per idle node; --tcp: data
      segments/s of one connection, cold (its first M MB, default 50) and warm
      (M MB after W more not measured, default 2×M; 0: cold only). --cpu-time
      times by this process's CPU time.
  virtnet --help | --version

Exit status: 0 ok, 1 a command failed, 2 bad file or arguments (70: a bug in virtnet).
Topology files are at most 64 MiB; names at most 256 characters, labels 64 KiB.
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
  if (io === processIo) quietOnClosedPipe();
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
      case 'grade':
        return gradeCommand(rest, io);
      case 'bench':
        return benchCommand(rest, io);
      default:
        throw new CliError(`unknown command '${cmd}' (try 'virtnet --help')`);
    }
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`virtnet: ${oneLine(err.message, 2000)}\n`);
      return err.code;
    }
    // node:util parseArgs reports unknown options and missing values as TypeErrors with a code.
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`virtnet: ${oneLine((err as Error).message, 2000)}\n`);
      return CLI_EXIT.BAD_INPUT;
    }
    // A bug, not a user error: still one line (the stack only on request).
    const e = err as Error;
    io.stderr(`virtnet: internal error: ${oneLine(String(e?.message ?? e), 2000)} (please report it; VIRTNET_DEBUG=1 prints the stack)\n`);
    if (process.env.VIRTNET_DEBUG) io.stderr(`${String(e?.stack ?? e)}\n`);
    return CLI_EXIT.INTERNAL;
  }
}
