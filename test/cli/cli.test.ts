import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { IMUNES_EXAMPLES } from '../support/paths';

const ROOT = resolve(__dirname, '../..');
const SAMPLES = join(ROOT, 'assets/samples');
const PRP = join(SAMPLES, 'pc-router-pc.vnet');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'virtnet-cli-'));
}

describe('virtnet run', () => {
  it('runs --exec commands in order and prints their output', async () => {
    const r = await cli('run', PRP, '--exec', 'pc1: ping -c 2 10.0.1.20', '--exec', 'pc2: hostname');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PING 10\.0\.1\.20 \(10\.0\.1\.20\): 56 data bytes\n/);
    expect(r.stdout).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss\n');
    expect(r.stdout.endsWith('pc2\n')).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('--json prints one object with results and stats', async () => {
    const r = await cli('run', PRP, '--exec', 'pc1: ping -c 1 10.0.1.20', '--exec', 'pc1: ping -c 1 -t 2 10.0.9.9', '--until', '30', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['results', 'stats']);
    expect(j.results.map((x: { node: string; command: string; exitCode: number }) => [x.node, x.command, x.exitCode])).toEqual([
      ['pc1', 'ping -c 1 10.0.1.20', 0],
      ['pc1', 'ping -c 1 -t 2 10.0.9.9', 2],
    ]);
    expect(j.results[0].output).toContain('1 packets received');
    expect(j.stats.virtualTimeNs).toBe(30e9);
    expect(j.stats.events).toBeGreaterThan(0);
    expect(j.stats.frames).toBeGreaterThanOrEqual(4);
    expect(j.stats.traceHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('runs an IMUNES .imn file, printing its import warnings to stderr once', async () => {
    const imn = resolve(IMUNES_EXAMPLES, 'h-r-h.imn');
    const r = await cli('run', imn, '--exec', 'host1: ifconfig eth0', '--exec', 'router1: netstat -rn');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eth0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n/);
    expect(r.stdout).toContain('Routing tables\n');
    // Its router runs RIP and RIPng as IMUNES does: nothing to warn about.
    expect(r.stderr).toBe('');
    const ext = await cli('run', resolve(IMUNES_EXAMPLES, 'extelem.imn'), '--exec', 'pc1: hostname');
    expect(ext.code).toBe(0);
    const rj45 = ext.stderr.split('\n').filter((l) => /xel1/.test(l) && /rj45/.test(l));
    expect(rj45).toHaveLength(1);
    expect(rj45[0]).toMatch(/^virtnet: .*extelem\.imn:\d+: warning: /);
    const sw = await cli('run', resolve(IMUNES_EXAMPLES, 'p-s-p.imn'), '--exec', 'pc1: ping -c 2 10.0.0.21');
    expect(sw.stdout).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
  });

  it('exits 2 with one line for an unknown node, before running anything', async () => {
    const r = await cli('run', PRP, '--exec', 'pc1: hostname', '--exec', 'px: ping');
    expect(r).toEqual({ code: 2, stdout: '', stderr: "virtnet: --exec 'px: ping': no node named px\n" });
  });

  it('exits 2 with FILE:LINE for a truncated or malformed file', async () => {
    const dir = tmp();
    const text = readFileSync(PRP, 'utf8');
    const cut = join(dir, 'cut.vnet');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const r = await cli('run', cut, '--exec', 'pc1: hostname');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^virtnet: ${cut.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: `));
    const missing = await cli('run', join(dir, 'nope.vnet'));
    expect(missing).toMatchObject({ code: 2, stderr: `virtnet: ${join(dir, 'nope.vnet')}: cannot read: no such file\n` });
  });

  it('exits 2 on bad arguments', async () => {
    expect((await cli('run', PRP, '--until', 'soon')).stderr).toBe("virtnet: --until 'soon': expected a non-negative number of seconds\n");
    expect((await cli('run', PRP, '--frobnicate')).code).toBe(2);
    expect((await cli('run', PRP, '--exec', 'no colon here')).stderr).toBe("virtnet: --exec 'no colon here': expected 'NODE: COMMAND'\n");
    expect((await cli('run')).code).toBe(2);
    expect((await cli('run', PRP, '--pcap', 'pc1:eth7=x.pcap')).stderr).toBe("virtnet: --pcap 'pc1:eth7=x.pcap': node pc1 has no interface eth7\n");
    expect((await cli('launch')).stderr).toBe("virtnet: unknown command 'launch' (try 'virtnet --help')\n");
  });

  it('writes pcap and pcapng captures atomically', async () => {
    const dir = tmp();
    const r = await cli('run', PRP, '--exec', 'pc1: ping -c 2 10.0.1.20', '--pcap', `pc1:eth0=${join(dir, 'a.pcap')}`, '--pcap', `router1:eth1=${join(dir, 'b.pcapng')}`);
    expect(r.code).toBe(0);
    const a = readFileSync(join(dir, 'a.pcap'));
    expect(a.readUInt32LE(0)).toBe(0xa1b23c4d); // libpcap, nanosecond resolution
    const b = readFileSync(join(dir, 'b.pcapng'));
    expect(b.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(readdirSync(dir).sort()).toEqual(['a.pcap', 'b.pcapng']);
  });
});

describe('virtnet convert / validate / help', () => {
  it('converts .vnet → .imn → .vnet keeping nodes and addresses', async () => {
    const dir = tmp();
    expect((await cli('convert', PRP, join(dir, 'x.imn'))).code).toBe(0);
    expect((await cli('convert', join(dir, 'x.imn'), join(dir, 'y.vnet'))).code).toBe(0);
    const y = JSON.parse(readFileSync(join(dir, 'y.vnet'), 'utf8'));
    expect(y.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['pc1', 'pc2', 'router1']);
    const r = await cli('run', join(dir, 'y.vnet'), '--exec', 'pc1: ping -c 1 10.0.1.20');
    expect(r.code).toBe(0);
    expect((await cli('convert', PRP, join(dir, 'z.txt'))).code).toBe(2);
    expect(existsSync(join(dir, 'z.txt'))).toBe(false);
  });

  it('validate: 0 for a valid file, 2 with located problems otherwise', async () => {
    const ok = await cli('validate', PRP);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid (3 nodes, 2 links)');
    const dir = tmp();
    const bad = join(dir, 'bad.vnet');
    const doc = JSON.parse(readFileSync(PRP, 'utf8'));
    doc.version = 99;
    writeFileSync(bad, JSON.stringify(doc, null, 2));
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: `));
    // Several problems: each on its own line with its own location.
    doc.version = 1;
    doc.nodes[0].interfaces[0].ipv4 = ['10.0.0.300/24'];
    doc.nodes[2].name = doc.nodes[0].name;
    doc.links[0].a.node = 'n9';
    writeFileSync(bad, JSON.stringify(doc, null, 2));
    const many = await cli('validate', bad);
    expect(many.code).toBe(2);
    const lines = many.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.startsWith(`${bad}:`)).toBe(true);
    expect(new Set(lines.map((l) => l.split(':')[1])).size).toBe(3);
    expect(many.stderr).toBe(`virtnet: ${bad}: 3 errors\n`);
  });

  it('--help and --version', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("virtnet run FILE [--exec 'NODE: COMMAND']...");
    const v = await cli('--version');
    expect(v.stdout).toBe(`virtnet ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  it('bench --json reports rates and memory', async () => {
    const r = await cli('bench', '--routers', '2', '--packets', '200', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.routers).toBe(2);
    expect(j.hopsPerSecond).toBeGreaterThan(0);
    expect(j.eventsPerSecond).toBeGreaterThan(0);
    expect((await cli('bench', '--routers', '0')).code).toBe(2);
  });
});

describe('bin/virtnet.js (real process)', () => {
  it('exit codes and streams through node', () => {
    const ok = execFileSync('node', [join(ROOT, 'bin/virtnet.js'), 'run', PRP, '--exec', 'pc1: ping -c 1 10.0.1.20'], { encoding: 'utf8' });
    expect(ok).toContain('1 packets transmitted, 1 packets received, 0.0% packet loss');
    const bad = spawnSync('node', [join(ROOT, 'bin/virtnet.js'), 'run', PRP, '--exec', 'px: ping'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("virtnet: --exec 'px: ping': no node named px\n");
    const failed = spawnSync('node', [join(ROOT, 'bin/virtnet.js'), 'run', PRP, '--exec', 'pc1: ping -c 1 -t 1 10.0.1.99'], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
  });
});
