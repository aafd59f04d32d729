// Golden capture: a fixed-seed run of assets/samples/pc-router-pc.vnet through the real
// CLI (pc1 pings pc2 twice, then traceroute -n) captured on both LANs; the pcap bytes
// (sha256) and a one-line-per-frame decode must equal the committed golden files, and the
// golden pcaps must pass tshark with zero malformed frames and zero bad checksums.
// Regenerate on purpose only:  UPDATE_GOLDEN=1 npx vitest run test/golden
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/emulator/topology/formats';
import { tsharkAvailable, validateCapture } from '../support/tshark';
import { REPO_ROOT, parsePing, runJson, type JsonRun } from '../imunes-run/cli-run';
import { decodeLines, lineDiff, readPcap, sha256Hex } from './pcap-decode';

const SAMPLE = 'assets/samples/pc-router-pc.vnet';
const SEED = 7;
const EXECS = ['pc1: ping -c 2 10.0.1.20', 'pc1: traceroute -n 10.0.1.20'];
/** Captured interfaces: pc1's LAN and the router's side of pc2's LAN. */
const TAPS = [
  { node: 'pc1', iface: 'eth0' },
  { node: 'router1', iface: 'eth1' },
] as const;
const GOLDEN_TEXT = join(__dirname, 'pc-router-pc.pcap.txt');
const goldenPcap = (t: (typeof TAPS)[number]) => join(__dirname, `pc-router-pc.${t.node}-${t.iface}.pcap`);
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const REGENERATE = 'If this change is intended, regenerate on purpose:  UPDATE_GOLDEN=1 npx vitest run test/golden';

function ifaceMac(node: string, iface: string): string {
  const file = join(REPO_ROOT, SAMPLE);
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const mac = parsed.doc.nodes.find((n) => n.name === node)?.interfaces.find((i) => i.name === iface)?.mac;
  if (!mac) throw new Error(`${SAMPLE}: no MAC for ${node}:${iface}`);
  return mac;
}

let dir = '';
let run: JsonRun;
let pcaps: Uint8Array[] = [];
let text = '';

function goldenText(): string {
  const sources = TAPS.map((t, k) => ({ where: `${t.node}:${t.iface}`, mac: ifaceMac(t.node, t.iface), records: readPcap(pcaps[k]) }));
  return [
    `# Golden capture of ${SAMPLE}, seed ${SEED}; ${EXECS.map((e) => `'${e}'`).join(', ')}`,
    `# time (virtual s)  where dir  proto src > dst  info   (summarizeFrame)`,
    `# ${REGENERATE}`,
    ...decodeLines(sources),
    ...TAPS.map((t, k) => `sha256 ${t.node}-${t.iface}.pcap ${sha256Hex(pcaps[k])} (${sources[k].records.length} frames, ${pcaps[k].length} bytes)`),
    '',
  ].join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virtnet-golden-'));
  const out = TAPS.map((t) => join(dir, `${t.node}-${t.iface}.pcap`));
  const pcapArgs = TAPS.flatMap((t, k) => ['--pcap', `${t.node}:${t.iface}=${out[k]}`]);
  run = await runJson(join(REPO_ROOT, SAMPLE), EXECS, ['--seed', String(SEED), ...pcapArgs]);
  pcaps = out.map((f) => new Uint8Array(readFileSync(f)));
  text = goldenText();
  if (UPDATE) {
    writeFileSync(GOLDEN_TEXT, text);
    TAPS.forEach((t, k) => writeFileSync(goldenPcap(t), pcaps[k]));
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`golden capture: ${SAMPLE}`, () => {
  it('runs the scenario: 2 replies at TTL 63, traceroute via 10.0.0.1', () => {
    expect(run.code, run.stderr).toBe(0);
    const [ping, trace] = run.results;
    expect(parsePing(ping.output)).toEqual({ transmitted: 2, received: 2, replyTtls: [63, 63], replyFrom: ['10.0.1.20', '10.0.1.20'] });
    expect(trace.output).toMatch(/^ 1 {2}10\.0\.0\.1 /m);
    expect(trace.output).toMatch(/^ 2 {2}10\.0\.1\.20 /m);
  });

  it('decodes the frames a reviewer expects on each LAN', () => {
    expect(text).toMatch(/pc1:eth0 out {2}arp .*Who has 10\.0\.0\.1\?/);
    expect(text).toMatch(/pc1:eth0 out {2}icmp .*Echo \(ping\) request/);
    expect(text).toMatch(/router1:eth1 out {2}icmp .*Echo \(ping\) request/);
    expect(text).toMatch(/pc1:eth0 in  {2}icmp .*Echo \(ping\) reply/);
    expect(text).toMatch(/pc1:eth0 in  {2}icmp .*Time-to-live exceeded/);
    expect(text).toMatch(/pc1:eth0 in  {2}icmp .*Destination unreachable \(Port unreachable\)/);
  });

  it('matches the golden decode and pcap sha256 (test/golden/pc-router-pc.pcap.txt)', () => {
    expect(existsSync(GOLDEN_TEXT), `${GOLDEN_TEXT} is missing. ${REGENERATE}`).toBe(true);
    const golden = readFileSync(GOLDEN_TEXT, 'utf8');
    if (text !== golden) {
      expect.fail(`capture differs from ${GOLDEN_TEXT} (- golden, + now):\n${lineDiff(golden, text)}\n${REGENERATE}`);
    }
  });

  it('writes byte-identical pcaps to the committed golden ones', () => {
    for (const [k, t] of TAPS.entries()) {
      const file = goldenPcap(t);
      expect(existsSync(file), `${file} is missing. ${REGENERATE}`).toBe(true);
      const golden = new Uint8Array(readFileSync(file));
      expect(sha256Hex(pcaps[k]), `${file} differs from this run. ${REGENERATE}`).toBe(sha256Hex(golden));
    }
  });

  it.skipIf(!tsharkAvailable())('golden pcaps pass tshark: zero malformed, zero bad checksums', async () => {
    for (const t of TAPS) {
      const file = goldenPcap(t);
      const v = await validateCapture(file);
      const frames = readPcap(new Uint8Array(readFileSync(file))).length;
      expect(v.packets, file).toBe(frames);
      expect(v.packets, file).toBeGreaterThan(0);
      expect(v.malformed, `${file}\n${v.expertLines.join('\n')}`).toBe(0);
      expect(v.badChecksums, `${file}\n${v.expertLines.join('\n')}`).toBe(0);
      expect(v.expertLines.filter((l) => / error /.test(l)), file).toEqual([]);
    }
  });
});
