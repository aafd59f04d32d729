// `vtysh` with no -c: FRR's interactive shell in a node terminal. The `router1#` prompt,
// `show …` commands, `configure terminal` with its sub-modes (`router1(config)#`,
// `(config-router)#`, `(config-router-af)#`, `(config-route-map)#`, `(config-if)#`), `exit` (one level up; at the top it leaves vtysh),
// `end` (back to enable mode), `do show …` inside configuration. The statements typed in
// configuration take effect when the user leaves it (exit to the top or end), as one
// reconfiguration. Words may be abbreviated (`conf t`, `sh ip ro`).

import { syncDaemonProcs } from '../../node/daemons/daemon-procs';
import { reconfigureDaemons } from '../../node/daemons';
import { EXIT, type CommandContext, type Job } from '../types';

type Mode = 'enable' | 'config' | 'config-router' | 'config-router-af' | 'config-route-map' | 'config-if';

/** `conf t`, `configure terminal` … (FRR accepts any unambiguous prefix of at least `conf`). */
export function isConfigureTerminal(line: string): boolean {
  const w = line.trim().split(/\s+/);
  return w.length === 2 && w[0]!.length >= 4 && 'configure'.startsWith(w[0]!) && 'terminal'.startsWith(w[1]!);
}

/** Runs one enable-mode command (show …); returns its exit status. */
export type RunShow = (ctx: CommandContext, line: string) => number;

export function startInteractiveVtysh(ctx: CommandContext, runShow: RunShow): Job {
  const host = ctx.node.name;
  let mode: Mode = 'enable';
  let pending: string[] = [];
  let partial = '';
  let done = false;
  const prompt = () => ctx.out(mode === 'enable' ? `${host}# ` : `${host}(${mode})# `);
  const apply = () => {
    if (pending.length > 0 && ctx.node.daemons !== undefined) {
      ctx.node.daemons = reconfigureDaemons(ctx.stack, ctx.node.daemons, pending, (m) => ctx.lines([`% ${m}`]));
      syncDaemonProcs(ctx.node, ctx.world.sim.now());
    }
    pending = [];
  };
  const finish = (code: number) => {
    if (done) return;
    done = true;
    apply();
    ctx.finish(code);
  };
  const line = (raw: string) => {
    const t = raw.trim();
    if (t === '' || t.startsWith('!')) return;
    if (mode === 'enable') {
      if (t === 'exit' || t === 'quit' || t === 'logout') return finish(EXIT.OK);
      if (isConfigureTerminal(t)) {
        mode = 'config';
        return;
      }
      if (t === 'end' || /^(write|wr)\b/.test(t)) return; // nothing to save: the text lives in the document
      runShow(ctx, t);
      return;
    }
    if (t === 'end') {
      apply();
      mode = 'enable';
      return;
    }
    if (t === 'exit' || t === 'quit') {
      if (mode === 'config') {
        apply();
        mode = 'enable';
      } else {
        mode = mode === 'config-router-af' ? 'config-router' : 'config';
        if (mode === 'config') pending.push('exit'); // the section ends here for the parser too
      }
      return;
    }
    if (t.startsWith('do ')) {
      runShow(ctx, t.slice(3));
      return;
    }
    pending.push(raw.replace(/\r$/, ''));
    if (/^router\s/.test(t)) mode = 'config-router';
    else if (/^address-family\s/.test(t) && mode !== 'config') mode = 'config-router-af';
    else if (t === 'exit-address-family' && mode === 'config-router-af') mode = 'config-router';
    else if (/^route-map\s/.test(t)) mode = 'config-route-map';
    else if (/^interface\s/.test(t)) mode = 'config-if';
    else if (mode !== 'config' && /^(ip route|hostname|log|access-list|ip prefix-list|bgp as-path|ip as-path|bgp community-list)\b/.test(t)) mode = 'config'; // a top-level statement leaves the sub-mode
  };
  ctx.lines(['', 'Hello, this is FRRouting (version 8.4.2).', 'Copyright 1996-2005 Kunihiro Ishiguro, et al.', '']);
  prompt();
  // It only reads the terminal, so stopping it (Ctrl-Z) only stops its input.
  ctx.gate();
  return {
    input(text: string) {
      if (done) return;
      partial += text;
      // Bounded: a line longer than FRR's vty buffer (4 KiB) is cut there.
      if (partial.length > 4096 && !partial.includes('\n')) partial = partial.slice(0, 4096);
      let nl: number;
      while (!done && (nl = partial.indexOf('\n')) >= 0) {
        const l = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        line(l);
        if (!done) prompt();
      }
    },
    interrupt() {
      finish(EXIT.INTERRUPTED);
    },
  };
}
