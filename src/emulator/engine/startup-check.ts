// Checks a node's startup configuration before Start, line by line, with the parsers the
// shell uses: quoting, unknown command names, ipfw rules / nat / pipe configs, iptables
// specs, route's subcommand and arguments, the schema's bounds. Pure: runs nothing. What
// depends on the node (interface names, node-name addresses) is left to the run's warnings.

import { tokenize } from '../shell/tokenize';
import { commandTable } from '../shell/commands';
import { iptParseArgs } from '../shell/commands/iptables';
import { IptError, iptParseSpec, isChain } from '../stack/ipfw/iptables';
import { IpfwError, parseRule } from '../stack/ipfw/parse';
import { natConfig } from '../stack/ipfw/nat-text';
import { pipeConfig } from '../stack/ipfw/dummynet-text';
import { heredocOf, STARTUP_LINE_CHARS_MAX, STARTUP_LINES_MAX } from './startup';

export interface StartupProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

/** At most this many problems are reported (the rest are counted in the last one). */
export const STARTUP_PROBLEMS_MAX = 50;

const COMMANDS = new Set(commandTable().keys());

function ipfwProblem(argv: string[]): string | null {
  let i = 1;
  while (i < argv.length && /^-[a-zA-Z]+$/.test(argv[i])) i++;
  const cmd = argv[i];
  const args = argv.slice(i + 1);
  const n = Number(args[0]);
  if (cmd === 'add') parseRule(args);
  else if (cmd === 'nat' && args[1] === 'config') natConfig(n, args.slice(2), () => 0);
  else if (cmd === 'pipe' && args[1] === 'config') pipeConfig({ pipes: new Map() }, n, args.slice(2));
  else if (cmd !== undefined && !['list', 'show', 'delete', 'flush', 'zero', 'table', 'pipe', 'nat', 'queue'].includes(cmd)) return `ipfw: bad command \`${cmd}'`;
  return null;
}

const ROUTE_USAGE = 'usage: route [-46dnqtv] command [[modifiers] args]';

/** route(8): the subcommand, and add/delete's destination (and add's gateway); addresses may be node names, judged at Start. */
function routeProblem(argv: string[]): string | null {
  if (argv.includes('-6') || argv.includes('-inet6')) return null;
  const words = argv.slice(1).filter((a) => !['-n', '-4', '-q', '-v'].includes(a));
  const [cmd, ...rest] = words;
  const args = rest.filter((w) => !['-net', '-host', '-inet', '-4', '-n'].includes(w));
  const netmask = args.indexOf('-netmask');
  if (netmask >= 0) args.splice(netmask, 2);
  switch (cmd) {
    case 'add': return args.length < 2 ? ROUTE_USAGE : null;
    case 'delete': case 'del': return args.length < 1 ? ROUTE_USAGE : null;
    case 'get': case 'show': case 'flush': return null;
    default: return cmd === undefined ? ROUTE_USAGE : `route: ${cmd}: unknown command`;
  }
}

function iptablesProblem(argv: string[]): string | null {
  const p = iptParseArgs(argv.slice(1));
  if (p.cmd === null) return 'iptables: no command specified';
  if (p.table !== 'filter' && p.table !== 'nat') return `iptables: table '${p.table}' does not exist`;
  if (p.cmd === 'A' || p.cmd === 'I') {
    if (p.table === 'nat' && p.chain !== 'POSTROUTING' && p.chain !== 'PREROUTING') return 'iptables: No chain/target/match by that name.';
    if (p.table === 'filter' && !isChain(p.chain)) return 'iptables: No chain/target/match by that name.';
    iptParseSpec(p.spec, p.chain ?? '');
  }
  return null;
}

/** One line's problem, or null. Never throws. */
export function checkStartupLine(line: string): string | null {
  if (line.length > STARTUP_LINE_CHARS_MAX) return `longer than ${STARTUP_LINE_CHARS_MAX} characters`;
  const t = tokenize(line);
  if (!t.ok) return t.error;
  try {
    for (const argv of t.commands) {
      const name = argv[0];
      if (!COMMANDS.has(name)) return `${name}: not found`;
      const why = name === 'ipfw' ? ipfwProblem(argv) : name === 'iptables' ? iptablesProblem(argv) : name === 'route' ? routeProblem(argv) : null;
      if (why !== null) return why;
    }
  } catch (e) {
    if (e instanceof IpfwError) return `ipfw: ${e.message}`;
    if (e instanceof IptError) return e.message.split('\n')[0];
    return e instanceof Error ? e.message : String(e);
  }
  return null;
}

/** Every problem of a startup configuration, by line (capped at STARTUP_PROBLEMS_MAX). */
export function checkStartup(lines: readonly string[]): StartupProblem[] {
  const out: StartupProblem[] = [];
  if (lines.length > STARTUP_LINES_MAX) out.push({ line: STARTUP_LINES_MAX + 1, message: `startup has at most ${STARTUP_LINES_MAX} lines; ${lines.length - STARTUP_LINES_MAX} more will not run` });
  const n = Math.min(lines.length, STARTUP_LINES_MAX);
  let heredoc: { delim: string; strip: boolean } | null = null;
  for (let k = 0; k < n && out.length < STARTUP_PROBLEMS_MAX; k++) {
    if (heredoc !== null) {
      // A here-document's body is a file's text, not commands.
      if ((heredoc.strip ? lines[k].replace(/^\t+/, '') : lines[k]) === heredoc.delim) heredoc = null;
      continue;
    }
    heredoc = heredocOf(lines[k]);
    const why = checkStartupLine(lines[k]);
    if (why !== null) out.push({ line: k + 1, message: why });
  }
  return out;
}
