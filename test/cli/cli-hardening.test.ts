// Regression tests for issue 10 on the CLI: unbounded reads (/dev/zero, FIFOs, huge
// files), --pcap and convert output mistakes caught before anything runs (and never
// overwriting an input), engine trip-ups reported as located errors, and one line per
// error with no stack. Each failed (or hung) on the code before the fix.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const PRP = join(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');
const BIN = join(REPO_ROOT, 'bin/virtnet.js');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'virtnet-harden-'));
}

/** The contract for a refused invocation: exit 2, nothing on stdout, one stderr line. */
function refused(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr).toMatch(pattern);
}

describe('reading only regular files of bounded size', () => {
  it('virtnet run /dev/zero is refused at once (it used to grow to 16.8 GB)', async () => {
    refused(await cli('run', '/dev/zero'), /^virtnet: \/dev\/zero:1: not a regular file/);
    refused(await cli('validate', '/dev/zero'), /^virtnet: \/dev\/zero:1: not a regular file/);
  });

  it('a FIFO with no writer is refused instead of blocking forever', async () => {
    const dir = tmp();
    const fifo = join(dir, 'lab.vnet');
    execFileSync('mkfifo', [fifo]);
    refused(await cli('validate', fifo), /:1: not a regular file/);
  });

  it('a file over 64 MiB is refused before it is read', async () => {
    const dir = tmp();
    const big = join(dir, 'big.imn');
    closeSync(openSync(big, 'w'));
    truncateSync(big, 200 * 1024 * 1024); // sparse: costs no disk
    const before = process.memoryUsage().rss;
    refused(await cli('run', big), /^virtnet: .*big\.imn:1: the file is too big for a topology \(209715200 bytes; the limit is 64 MiB\)\n$/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('output paths are checked before anything runs', () => {
  const ping = ['--exec', 'pc1: ping -c 1 10.0.1.20'];

  it('--pcap into a missing directory, onto a directory, or into a file-as-directory', async () => {
    const dir = tmp();
    refused(await cli('run', PRP, ...ping, '--pcap', `pc1:eth0=${join(dir, 'nope', 'a.pcap')}`), /--pcap 'pc1:eth0=.*': cannot write .*: directory .*nope does not exist/);
    refused(await cli('run', PRP, ...ping, '--pcap', `pc1:eth0=${dir}`), /is a directory/);
    writeFileSync(join(dir, 'f'), 'x');
    refused(await cli('run', PRP, ...ping, '--pcap', `pc1:eth0=${join(dir, 'f', 'a.pcap')}`), /is not a directory/);
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('--pcap naming the input topology is refused and the topology is untouched', async () => {
    const dir = tmp();
    const lab = join(dir, 'lab.vnet');
    writeFileSync(lab, readFileSync(PRP));
    const before = readFileSync(lab, 'utf8');
    refused(await cli('run', lab, ...ping, '--pcap', `router1:eth1=${lab}`), /is the input file .*lab\.vnet; refusing to overwrite it/);
    // Also through another spelling of the same file, and through a symlink.
    symlinkSync(lab, join(dir, 'alias.vnet'));
    refused(await cli('run', lab, ...ping, '--pcap', `router1:eth1=${join(dir, '.', 'alias.vnet')}`), /refusing to overwrite it/);
    expect(readFileSync(lab, 'utf8')).toBe(before);
  });

  it('two --pcap options writing the same file are refused', async () => {
    const dir = tmp();
    const out = join(dir, 'a.pcap');
    refused(await cli('run', PRP, ...ping, '--pcap', `pc1:eth0=${out}`, '--pcap', `router1:eth0=${out}`), /is also written by --pcap 'pc1:eth0=/);
  });

  it('--pcap onto a FIFO or other non-regular file is refused (a rename would replace it)', async () => {
    // Never a real device here: run as root on the old code, the rename replaced /dev/null.
    const dir = tmp();
    const fifo = join(dir, 'cap.pcap');
    execFileSync('mkfifo', [fifo]);
    refused(await cli('run', PRP, ...ping, '--pcap', `pc1:eth0=${fifo}`), /cap\.pcap is not a regular file/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('convert IN IN is refused and leaves IN as it was', async () => {
    const dir = tmp();
    const lab = join(dir, 'lab.vnet');
    writeFileSync(lab, readFileSync(PRP));
    const before = statSync(lab).mtimeMs;
    refused(await cli('convert', lab, lab), /^virtnet: convert: .*lab\.vnet is the input file/);
    refused(await cli('convert', lab, join(dir, 'missing', 'x.imn')), /does not exist/);
    expect(statSync(lab).mtimeMs).toBe(before);
    expect(readdirSync(dir)).toEqual(['lab.vnet']);
  });
});

describe('files the engine would trip on', () => {
  it('lo0 of type phys: validate and convert both exit 2 with one located line', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(PRP, 'utf8'));
    doc.nodes[0].interfaces[0].name = 'lo0';
    doc.links[0].a.iface = 'lo0';
    const bad = join(dir, 'lo.vnet');
    writeFileSync(bad, JSON.stringify(doc, null, 2));
    const v = await cli('validate', bad);
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(/^.*lo\.vnet:\d+: pc1 lo0: the loopback interface must have type "lo", not "phys"\n$/);
    refused(await cli('convert', bad, join(dir, 'out.imn')), /lo\.vnet:\d+: pc1 lo0: the loopback interface/);
    expect(existsSync(join(dir, 'out.imn'))).toBe(false);
  });

  it('engine warnings with control characters print as one line each', async () => {
    const dir = tmp();
    const doc = JSON.parse(readFileSync(PRP, 'utf8'));
    doc.nodes[0].kind = 'weird\nkind';
    const f = join(dir, 'k.vnet');
    writeFileSync(f, JSON.stringify(doc, null, 2));
    const r = await cli('validate', f);
    for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(/^.*k\.vnet(:\d+)?: /);
  });
});

describe('through the real binary', () => {
  it('deeply nested JSON: exit 2, one line, no stack (it used to exit 70 with a RangeError)', () => {
    const dir = tmp();
    const f = join(dir, 'deep.vnet');
    writeFileSync(f, `{"version": 1, "nodes": ${'['.repeat(10000)}`);
    for (const args of [['validate', f], ['convert', f, join(dir, 'o.imn')], ['run', f]]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/RangeError|    at /);
      const out = (args[0] === 'validate' ? r.stdout : r.stderr).trimEnd().split('\n');
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(/deep\.vnet:1: invalid JSON: objects and arrays nested more than 256 levels deep/);
    }
  }, 120_000);

  it('a reader that closes the pipe early (validate | head -1) ends quietly, no EPIPE stack', async () => {
    const dir = tmp();
    const f = join(dir, 'many.vnet');
    const links = Array.from({ length: 20000 }, (_, i) => ({ id: `l${i}`, a: { node: 'x', iface: 'e' }, b: { node: 'y', iface: 'e' }, params: { bandwidthBps: 0, delayUs: 0, jitterUs: 0, lossPercent: 0, berOneIn: 0, dupPercent: 0, queuePackets: 50 } }));
    writeFileSync(f, JSON.stringify({ version: 1, nodes: [], links, annotations: [], canvases: [] }, null, 1));
    const child = spawn(process.execPath, [BIN, 'validate', f], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((res) => child.once('close', (c) => res(c)));
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/EPIPE|    at /);
  }, 120_000);
});
