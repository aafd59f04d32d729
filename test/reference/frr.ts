// Real FRR (zebra plus the daemons a test names, from /usr/lib/frr) inside the network
// namespaces of a NetnsLab, so a test can compare VirtNet's routing daemons with FRR's on the
// same configuration. Each node gets its own FRR pathspace (`-N`), daemons are stopped by the
// pids they wrote. Test support only.

import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { removeTree } from './netns';

const FRR = '/usr/lib/frr';

/** The FRR daemons a lab may start besides zebra. */
export type FrrDaemon = 'bgpd' | 'ripd' | 'ospfd' | 'staticd';

/** Why real FRR (zebra and `daemons`) cannot run here, or null. */
export function frrUnavailable(daemons: readonly FrrDaemon[] = ['bgpd']): string | null {
  for (const d of ['zebra', ...daemons]) if (!existsSync(join(FRR, d))) return `${FRR}/${d} not found (Debian package frr)`;
  try {
    execFileSync('sh', ['-c', 'command -v vtysh && id frr'], { stdio: 'ignore' });
  } catch {
    return 'vtysh or the frr user is missing (Debian package frr)';
  }
  return null;
}

export class FrrLab {
  private readonly started: { runDir: string; confDir: string; daemons: string[] }[] = [];

  /**
   * Starts zebra, then each of `daemons` in namespace `ns`, every one of them reading `conf`
   * (each takes its own statements from it, as from an integrated frr.conf; zebra gets none).
   */
  start(ns: string, conf: string, daemons: readonly FrrDaemon[] = ['bgpd']): void {
    const runDir = `/var/run/frr/${ns}`;
    const confDir = join(tmpdir(), `${ns}-frr`);
    const uid = Number(execFileSync('id', ['-u', 'frr'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'frr'], { encoding: 'utf8' }));
    for (const d of [runDir, confDir]) {
      mkdirSync(d, { recursive: true });
      chownSync(d, uid, gid);
    }
    const all = ['zebra', ...daemons];
    this.started.push({ runDir, confDir, daemons: all });
    writeFileSync(join(confDir, 'zebra.conf'), '!\n');
    for (const d of daemons) writeFileSync(join(confDir, `${d}.conf`), conf);
    for (const d of all) execFileSync('ip', ['netns', 'exec', ns, join(FRR, d), '-d', '-N', ns, '-f', join(confDir, `${d}.conf`), '-P', '0'], { stdio: 'ignore', timeout: 10_000 });
  }

  /** vtysh -N ns -c COMMAND. */
  vtysh(ns: string, commands: string | string[]): string {
    return execFileSync('vtysh', ['-N', ns, ...[commands].flat().flatMap((c) => ['-c', c])], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  }

  /** Stops every daemon this lab started (by its pid file, zebra last) and removes its files. Never throws. */
  destroy(): void {
    for (const { runDir, confDir, daemons } of this.started.splice(0)) {
      for (const d of [...daemons].reverse()) {
        try {
          process.kill(Number(readFileSync(join(runDir, `${d}.pid`), 'utf8').trim()), 'SIGTERM');
        } catch {
          /* not running */
        }
      }
      removeTree(confDir);
      removeTree(runDir);
    }
  }
}
