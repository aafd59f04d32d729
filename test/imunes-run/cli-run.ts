// Test helper: drives the real `virtnet` entry point (src/cli/main.ts `main(argv, io)`)
// in-process and returns exit code, stdout, stderr and the parsed `--json` object.
// It must not reach into the engine: what it proves is what a user typing `virtnet` gets.
import { resolve } from 'node:path';
import { main } from '../../src/cli/main';

/** Repo root, then the IMUNES examples beside it (CI clones the repo next to `shared/`). */
export { IMUNES_EXAMPLES, REPO_ROOT } from '../support/paths';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecResult {
  node: string;
  command: string;
  exitCode: number;
  output: string;
}

export interface JsonRun extends CliRun {
  results: ExecResult[];
  stats: Record<string, unknown>;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}

/** `virtnet run FILE --exec 'NODE: CMD'… --json` plus extra flags; throws on non-JSON stdout. */
export async function runJson(file: string, execs: string[], extra: string[] = []): Promise<JsonRun> {
  const argv = ['run', file, ...execs.flatMap((e) => ['--exec', e]), ...extra, '--json'];
  const run = await runCli(argv);
  let parsed: { results?: ExecResult[]; stats?: Record<string, unknown> };
  try {
    parsed = JSON.parse(run.stdout) as typeof parsed;
  } catch {
    throw new Error(`virtnet ${argv.join(' ')} exited ${run.code} without JSON.\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
  return { ...run, results: parsed.results ?? [], stats: parsed.stats ?? {} };
}

export interface PingSummary {
  transmitted: number;
  received: number;
  /** TTL of every `64 bytes from … ttl=N` reply line, in order. */
  replyTtls: number[];
  /** Addresses that replied. */
  replyFrom: string[];
}

/** Reads FreeBSD ping output (`64 bytes from A: icmp_seq=0 ttl=63 …` and the summary). */
export function parsePing(output: string): PingSummary {
  const replyTtls: number[] = [];
  const replyFrom: string[] = [];
  for (const m of output.matchAll(/^\d+ bytes from ([\d.]+): icmp_seq=\d+ ttl=(\d+)/gm)) {
    replyFrom.push(m[1]);
    replyTtls.push(Number(m[2]));
  }
  const s = /^(\d+) packets transmitted, (\d+) packets received/m.exec(output);
  return { transmitted: s ? Number(s[1]) : -1, received: s ? Number(s[2]) : -1, replyTtls, replyFrom };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * stderr warnings whose subject is node `name` (`warning: router R: …`, `warning: R: …`,
 * `warning: R eth0: …`) and that say something will not run. Link warnings that merely
 * mention the node (`warning: link l0 (R:eth0 — …) will not run`) are not about it.
 */
export function notRunWarnings(stderr: string, name: string): string[] {
  const subject = new RegExp(`warning: (router )?${escapeRegExp(name)}( \\S+)?: `);
  return stderr.split('\n').filter((l) => subject.test(l) && /\bnot run\b|will not run/.test(l));
}

/** The routing-daemon warning proper: `warning: router R: RIP, RIPng will not run yet; …`. */
export function daemonWarnings(stderr: string, router: string): string[] {
  const re = new RegExp(`warning: router ${escapeRegExp(router)}: .*will not run yet`);
  return stderr.split('\n').filter((l) => re.test(l));
}
