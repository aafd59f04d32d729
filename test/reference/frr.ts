// Real FRR (zebra + bgpd from /usr/lib/frr) inside the network namespaces of a NetnsLab, so a
// test can compare VirtNet's bgpd with FRR's on the same configuration. Each node gets its
// own FRR pathspace (`-N`), daemons are stopped by the pids they wrote. Test support only.

import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const FRR = '/usr/lib/frr';

/** Why real FRR cannot run here, or null. */
export function frrUnavailable(): string | null {
  for (const d of ['zebra', 'bgpd']) if (!existsSync(join(FRR, d))) return `${FRR}/${d} not found (Debian package frr)`;
  try {
    execFileSync('sh', ['-c', 'command -v vtysh && id frr'], { stdio: 'ignore' });
  } catch {
    return 'vtysh or the frr user is missing (Debian package frr)';
  }
  return null;
}

export class FrrLab {
  private readonly started: { runDir: string; confDir: string }[] = [];

  /** Starts zebra and bgpd in namespace `ns` with `conf` as bgpd's configuration. */
  start(ns: string, conf: string): void {
    const runDir = `/var/run/frr/${ns}`;
    const confDir = join(tmpdir(), `${ns}-frr`);
    for (const d of [runDir, confDir]) {
      mkdirSync(d, { recursive: true });
      chownSync(d, Number(execFileSync('id', ['-u', 'frr'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'frr'], { encoding: 'utf8' })));
    }
    this.started.push({ runDir, confDir });
    writeFileSync(join(confDir, 'zebra.conf'), '!\n');
    writeFileSync(join(confDir, 'bgpd.conf'), conf);
    for (const d of ['zebra', 'bgpd']) execFileSync('ip', ['netns', 'exec', ns, join(FRR, d), '-d', '-N', ns, '-f', join(confDir, `${d}.conf`), '-P', '0'], { stdio: 'ignore', timeout: 10_000 });
  }

  /** vtysh -N ns -c COMMAND. */
  vtysh(ns: string, commands: string | string[]): string {
    return execFileSync('vtysh', ['-N', ns, ...[commands].flat().flatMap((c) => ['-c', c])], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  }

  /** Stops every daemon this lab started (by its pid file) and removes its files. Never throws. */
  destroy(): void {
    for (const { runDir, confDir } of this.started.splice(0)) {
      for (const d of ['bgpd', 'zebra']) {
        try {
          process.kill(Number(readFileSync(join(runDir, `${d}.pid`), 'utf8').trim()), 'SIGTERM');
        } catch {
          /* not running */
        }
      }
      rmSync(confDir, { recursive: true, force: true });
      rmSync(runDir, { recursive: true, force: true });
    }
  }
}
