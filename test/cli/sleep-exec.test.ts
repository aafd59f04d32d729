// `virtnet run` can wait between commands: `--exec 'pc1: sleep 30'` advances virtual time
// before the next --exec (issue 9: there was no way to wait in a lab script).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const PRP = join(resolve(__dirname, '../..'), 'assets/samples/pc-router-pc.vnet');

describe('virtnet run with sleep', () => {
  it('waits in virtual time between --exec commands', async () => {
    const r = await cli('run', PRP, '--exec', 'pc1: sleep 30', '--exec', 'pc1: ping -c 1 10.0.1.20', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: { exitCode: number }) => x.exitCode)).toEqual([0, 0]);
    expect(j.results[1].output).toContain('1 packets transmitted, 1 packets received');
    expect(j.stats.virtualTimeNs).toBeGreaterThanOrEqual(30e9);
    expect(j.stats.virtualTimeNs).toBeLessThan(31e9);
  });

  it('a bad sleep fails the run with FreeBSD wording', async () => {
    const r = await cli('run', PRP, '--exec', 'pc1: sleep soon');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('sleep: invalid time interval: soon\n');
  });
});
