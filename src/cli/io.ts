// Where the CLI writes: stdout and stderr, injectable so tests can call main() directly
// and capture both. Also the one place that turns a user error into `virtnet: …` + code.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * A reader that stops early (`virtnet validate big.vnet | head -1`) closes the pipe: the
 * next write fails with EPIPE, which is not an error of ours. End quietly with the status
 * so far instead of an unhandled 'error' event and its stack trace.
 */
function onPipeError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
}

export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners('error').includes(onPipeError)) continue;
    stream.on('error', onPipeError);
  }
}

/** Exit statuses of the `virtnet` command (DESIGN "CLI" contract). */
export const CLI_EXIT = {
  OK: 0,
  COMMAND_FAILED: 1,
  BAD_INPUT: 2,
  /** A bug in virtnet (EX_SOFTWARE), reported in one line. */
  INTERNAL: 70,
} as const;

/** A user error: one line on stderr, exit 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = CLI_EXIT.BAD_INPUT,
  ) {
    super(message);
  }
}
