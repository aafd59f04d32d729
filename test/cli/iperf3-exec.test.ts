// `virtnet run` with a server left in the background (issue 14): `pc2: iperf3 -s &` then
// `pc1: iperf3 -c …` in one run; the background job keeps serving while the next --exec runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const PRP = join(resolve(__dirname, '../..'), 'assets/samples/pc-router-pc.vnet');

/** The sample with every link at 10 Mbit/s and 10 ms (20 ms one way end to end). */
function slowLab(): string {
  const doc = JSON.parse(readFileSync(PRP, 'utf8'));
  for (const l of doc.links) l.params = { ...l.params, bandwidthBps: 10_000_000, delayUs: 10_000 };
  const file = join(mkdtempSync(join(tmpdir(), 'virtnet-iperf-')), 'lab.vnet');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('virtnet run with a background iperf3 server', () => {
  it('runs iperf3 -s & on one node and iperf3 -c on another in one run', async () => {
    const r = await cli('run', slowLab(), '--exec', 'pc2: iperf3 -s &', '--exec', 'pc1: iperf3 -c 10.0.1.20 -t 5', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: { exitCode: number }) => x.exitCode)).toEqual([0, 0]);
    expect(j.results[0].output).toMatch(/^\[1\] 1001\n-{59}\nServer listening on 5201 \(test #1\)\n/);
    const out: string = j.results[1].output;
    expect(out).toContain('Connecting to host 10.0.1.20, port 5201\n');
    expect(out).toMatch(/^\[  5\]   4\.00-5\.00   sec /m);
    const m = /^\[  5\]   0\.00-5\.\d\d   sec\s+\S+ MBytes\s+([0-9.]+) Mbits\/sec\s+receiver$/m.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(9);
    expect(out).toMatch(/iperf Done\.\n$/);
    expect(j.stats.virtualSeconds).toBeGreaterThan(5);
  });
});
