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
