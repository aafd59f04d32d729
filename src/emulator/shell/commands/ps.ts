// ps(1) as FreeBSD prints it, over the node's process table (node/procs.ts): the programs
// started from its terminals (jobs, daemons, the command a terminal waits for), its rc
// services and the daemons the node starts. BSD-style letters with or without the dash
// (`ps ax`, `ps -aux`). The emulator accounts no CPU time or memory to a program: TIME reads
// 0:00.00 and the memory columns of -u read `-`. Reads the table; changes nothing.

import { procList, type Proc } from '../../node/procs';
import { EXIT, type CommandContext, type CommandSpec } from '../types';

const USAGE = [
  'usage: ps [--libxo] [-aCcdefHhjlmrSTuvwXxZ] [-O fmt | -o fmt]',
  '          [-G gid[,gid...]] [-J jid[,jid...]] [-M core] [-N system]',
  '          [-p pid[,pid...]] [-t tty[,tty...]] [-U user[,user...]]',
  '       ps [--libxo] -L',
];

/** STAT: sleeping (`S`) or stopped (`T`), a session leader when detached (`s`), in its terminal's foreground (`+`). */
function stat(p: Proc): string {
  return `${p.gate?.stopped === true ? 'T' : 'S'}${p.tty === null ? 's' : ''}${p.foreground && p.tty !== null ? '+' : ''}`;
}

/** STARTED as `HH:MM` of virtual time (time 0 is midnight, as the lease files date it). */
function started(ns: number): string {
  const min = Math.floor(ns / 60e9);
  return `${String(Math.floor(min / 60) % 24).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/** Detached programs first, then by terminal, then by PID (ps sorts by terminal). */
function order(a: Proc, b: Proc): number {
  const ta = a.tty === null ? -1 : Number(a.tty);
  const tb = b.tty === null ? -1 : Number(b.tty);
  return ta - tb || a.pid - b.pid;
}

function ps(ctx: CommandContext, args: string[]): number {
  const flags = new Set<string>();
  for (const [k, a] of args.entries()) {
    // The first argument may leave out the dash (BSD style: ps aux).
    const letters = a.startsWith('-') ? a.slice(1) : k === 0 ? a : null;
    if (letters === null || letters === '' || /[^auxw]/.test(letters)) {
      const bad = letters === null || letters === '' ? a : letters.replace(/[auxw]/g, '')[0];
      ctx.err(`ps: ${letters === null || letters === '' ? `${bad}: unexpected argument` : `illegal option -- ${bad}`}\n${USAGE.join('\n')}\n`);
      return EXIT.FAILURE; // ps's usage() exits 1
    }
    for (const c of letters) flags.add(c);
  }
  // Without -x only programs with a terminal; every program runs as root, so -a adds none.
  const shown = procList(ctx.node).filter((p) => flags.has('x') || p.tty !== null).sort(order);
  const long = flags.has('u');
  const out = [long ? 'USER   PID %CPU %MEM   VSZ  RSS TT  STAT STARTED    TIME COMMAND' : '  PID TT  STAT    TIME COMMAND'];
  for (const p of shown) {
    const pid = String(p.pid).padStart(5);
    const tt = (p.tty ?? '-').padStart(2);
    const st = stat(p).padEnd(4);
    if (long) out.push(`root ${pid}  0.0    -     -    - ${tt}  ${st} ${started(p.startedNs).padEnd(7)} 0:00.00 ${p.command}`);
    else out.push(`${pid} ${tt}  ${st} 0:00.00 ${p.command}`);
  }
  ctx.lines(out);
  return EXIT.OK;
}

export const psCommand: CommandSpec = { name: 'ps', summary: 'list the programs running on this node (ps, ps ax, ps aux)', needsStack: false, run: ps };
