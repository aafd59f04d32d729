// The node shell: one interpreter for GUI terminals and `virtnet run --exec` (DESIGN
// decision 5). See session.ts; run-command.ts drives a line to completion in virtual time.
export { openShell } from './session';
export type { ShellIo, ShellSession } from './types';
export { tokenize } from './tokenize';
export { runCommand, runLine, COMMAND_LIMIT_NS, type CommandRun } from './run-command';
