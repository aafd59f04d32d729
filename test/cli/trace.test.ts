// `virtnet run --trace OUT.jsonl`: the traffic record with decisions as JSON lines,
// written atomically (a failed run leaves no file), bounded by --trace-max.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const PRP = resolve(__dirname, '../../assets/samples/pc-router-pc.vnet');

const lines = (f: string) => readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));

describe('virtnet run --trace', () => {
  it('writes every record with its decision and sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-trace-'));
    const out = join(dir, 't.jsonl');
    const r = await cli('run', PRP, '--exec', 'pc1: ping -c 1 -t 2 10.0.9.9', '--trace', out, '--json');
    expect(r.code).toBe(1);
    const ls = lines(out);
    expect(ls.length).toBe(JSON.parse(r.stdout).stats.trafficRecords);
    for (const l of ls) {
      expect(typeof l.timeNs).toBe('number');
      expect(['pc1', 'pc2', 'router1']).toContain(l.node);
      expect(['tx', 'rx', 'fwd', 'drop', 'deliver']).toContain(l.action);
      expect(typeof l.summary).toBe('string');
    }
    const drop = ls.find((l) => l.action === 'drop' && l.reason === 'no-route');
    expect(drop).toMatchObject({ node: 'router1', in: 'eth0', proto: 'icmp' });
    expect(drop.decision.map((s: { kind: string }) => s.kind)).toEqual(['route', 'icmp-error', 'route', 'neighbor', 'drop']);
    expect(drop.explanation).toBe('router1 received the echo request on eth0, found no route to 10.0.9.9, and sent ICMP Destination Net Unreachable back to 10.0.0.20 via eth0.');
    const rx = ls.find((l) => l.action === 'rx' && l.node === 'router1' && l.summary.startsWith('Echo (ping) request'));
    expect(rx.in).toBe('eth0');
    expect(rx.explanation).toBe(drop.explanation); // the received frame's record carries the whole decision
    expect(readdirSync(dir)).toEqual(['t.jsonl']);
  });

  it('does not change the trace hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-trace-'));
    const plain = await cli('run', PRP, '--exec', 'pc1: ping -c 2 10.0.1.20', '--json');
    const traced = await cli('run', PRP, '--exec', 'pc1: ping -c 2 10.0.1.20', '--json', '--trace', join(dir, 'a.jsonl'));
    expect(JSON.parse(traced.stdout).stats.traceHash).toBe(JSON.parse(plain.stdout).stats.traceHash);
  });

  it('--trace-max bounds the lines and says how many were not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-trace-'));
    const out = join(dir, 't.jsonl');
    const r = await cli('run', PRP, '--exec', 'pc1: ping -c 3 10.0.1.20', '--trace', out, '--trace-max', '5', '--json');
    expect(r.code).toBe(0);
    const ls = lines(out);
    expect(ls).toHaveLength(6);
    expect(ls[5].truncated).toBe(JSON.parse(r.stdout).stats.trafficRecords - 5);
  });

  it('bad arguments exit 2 before anything runs; a failed run leaves the old file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-trace-'));
    expect((await cli('run', PRP, '--trace-max', '5')).stderr).toContain('--trace-max: only with --trace');
    const zero = await cli('run', PRP, '--trace', join(dir, 'x.jsonl'), '--trace-max', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--trace-max 0: expected 1 to');
    const bad = await cli('run', PRP, '--trace', join(dir, 'nodir', 'x.jsonl'));
    expect(bad.code).toBe(2);
    const old = join(dir, 'old.jsonl');
    writeFileSync(old, 'old\n');
    const r = await cli('run', PRP, '--trace', old, '--exec', 'nosuch: ping x');
    expect(r.code).toBe(2);
    expect(readFileSync(old, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).sort()).toEqual(['old.jsonl']);
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
  });
});
