// Every IMUNES example (3.x JSON, 2.x Tcl blocks, JSON v1) goes through the CLI: validate
// exits 0 and `run --until 5` starts the network and runs 5 virtual seconds with exit 0.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { IMUNES_EXAMPLES } from '../support/paths';

const EXAMPLES = IMUNES_EXAMPLES;

function imnFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? imnFiles(p) : f.endsWith('.imn') ? [p] : [];
  });
}

describe('virtnet over the IMUNES examples', () => {
  it('validates and runs every example', async () => {
    const files = imnFiles(EXAMPLES);
    expect(files.length).toBeGreaterThanOrEqual(120);
    const failures: string[] = [];
    for (const f of files) {
      let err = '';
      const io = { stdout: () => undefined, stderr: (t: string) => void (err += t) };
      const v = await main(['validate', f], io);
      if (v !== 0) failures.push(`validate ${f}: ${v} ${err}`);
      let out = '';
      const r = await main(['run', f, '--until', '5', '--json'], { stdout: (t) => void (out += t), stderr: () => undefined });
      if (r !== 0) failures.push(`run ${f}: exit ${r}`);
      else if (JSON.parse(out).stats.virtualTimeNs !== 5e9) failures.push(`run ${f}: did not reach 5 s`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
