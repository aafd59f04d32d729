// Golden-capture harness: runs one fixed-seed scenario through the real CLI with --pcap
// taps, renders the decode text (+ sha256 of each pcap) and defines the shared checks:
// equal to the committed golden files, deterministic, agreeing with tshark, tshark-clean.
// Regenerates the golden files only when UPDATE_GOLDEN=1 is set; never otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/emulator/topology/formats';
import { World } from '../../src/emulator/engine/world';
import { ifaceGet } from '../../src/emulator/stack';
import { formatMac } from '../../src/emulator/wire/addr';
import { summarizeFrame } from '../../src/emulator/wire/decode';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { REPO_ROOT, runJson, type JsonRun } from '../imunes-run/cli-run';
import { decodeLines, lineDiff, readPcap, sha256Hex } from './pcap-decode';

export interface GoldenScenario {
  /** Golden files are `test/golden/<name>.pcap.txt` and `<name>.<node>-<iface>.pcap`. */
  name: string;
  /** Topology path relative to the repo root (printed in the golden header as is). */
  file: string;
  seed: number;
  execs: string[];
  taps: { node: string; iface: string }[];
}

export interface GoldenRun {
  run: JsonRun;
  pcaps: Uint8Array[];
  text: string;
}

const UPDATE = process.env.UPDATE_GOLDEN === '1';
export const REGENERATE = 'If this change is intended, regenerate on purpose:  UPDATE_GOLDEN=1 npx vitest run test/golden';

const goldenDir = __dirname;
const goldenTextPath = (s: GoldenScenario) => join(goldenDir, `${s.name}.pcap.txt`);
const goldenPcapPath = (s: GoldenScenario, k: number) => join(goldenDir, `${s.name}.${s.taps[k].node}-${s.taps[k].iface}.pcap`);

/** The MAC the running network gives node:iface (IMUNES files carry none; the World assigns). */
function ifaceMac(s: GoldenScenario, node: string, iface: string): string {
  const file = join(REPO_ROOT, s.file);
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const stack = new World(parsed.doc, { seed: s.seed }).nodeByName(node)?.stack;
  const i = stack ? ifaceGet(stack, iface) : null;
  if (!i) throw new Error(`${s.file}: no interface ${node}:${iface}`);
  return formatMac(i.mac);
}

async function runScenario(s: GoldenScenario, dir: string, tag: string): Promise<{ run: JsonRun; pcaps: Uint8Array[] }> {
  const out = s.taps.map((t) => join(dir, `${tag}-${t.node}-${t.iface}.pcap`));
  const pcapArgs = s.taps.flatMap((t, k) => ['--pcap', `${t.node}:${t.iface}=${out[k]}`]);
  const run = await runJson(join(REPO_ROOT, s.file), s.execs, ['--seed', String(s.seed), ...pcapArgs]);
  return { run, pcaps: out.map((f) => new Uint8Array(readFileSync(f))) };
}

function renderText(s: GoldenScenario, pcaps: Uint8Array[]): string {
  const sources = s.taps.map((t, k) => ({ where: `${t.node}:${t.iface}`, mac: ifaceMac(s, t.node, t.iface), records: readPcap(pcaps[k]) }));
  return [
    `# Golden capture of ${s.file}, seed ${s.seed}; ${s.execs.map((e) => `'${e}'`).join(', ')}`,
    `# time (virtual s)  where dir  proto src > dst  info   (summarizeFrame)`,
    `# ${REGENERATE}`,
    ...decodeLines(sources),
    ...s.taps.map((t, k) => `sha256 ${t.node}-${t.iface}.pcap ${sha256Hex(pcaps[k])} (${sources[k].records.length} frames, ${pcaps[k].length} bytes)`),
    '',
  ].join('\n');
}

const CHECKSUM_STATUS = ['frame.number', 'ip.checksum.status', 'icmp.checksum.status', 'udp.checksum.status'];

/**
 * Frames whose outer IPv4, ICMP or UDP checksum tshark did not verify as good (status 1), so
 * "zero bad checksums" cannot pass vacuously. Headers quoted inside ICMP errors come second
 * (`1,1`) or are unverifiable (a UDP header cut to 8 bytes: 2) and are not judged here.
 */
function outerChecksumStatuses(rows: string[][]): string[] {
  const bad: string[] = [];
  for (const [frame, ip, icmp, udp] of rows) {
    const outer = (c: string | undefined) => (c ?? '').split(',')[0];
    if (ip !== '' && outer(ip) !== '1') bad.push(`frame ${frame}: ip ${ip}`);
    if (icmp !== '' && outer(icmp) !== '1') bad.push(`frame ${frame}: icmp ${icmp}`);
    if (icmp === '' && udp !== '' && outer(udp) !== '1') bad.push(`frame ${frame}: udp ${udp}`);
  }
  return bad;
}

/** The shared golden checks; `extra` adds scenario-specific assertions on the run. */
export function describeGolden(s: GoldenScenario, extra: (get: () => GoldenRun) => void): void {
  describe(`golden capture ${s.name} (${s.file})`, () => {
    let dir = '';
    let g: GoldenRun | undefined;
    const get = (): GoldenRun => {
      if (!g) throw new Error('scenario did not run (see beforeAll)');
      return g;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `virtnet-golden-${s.name}-`));
      const { run, pcaps } = await runScenario(s, dir, 'a');
      g = { run, pcaps, text: renderText(s, pcaps) };
      if (UPDATE) {
        writeFileSync(goldenTextPath(s), g.text);
        pcaps.forEach((p, k) => writeFileSync(goldenPcapPath(s, k), p));
      }
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    extra(get);

    it(`matches the golden decode and pcap sha256 (test/golden/${s.name}.pcap.txt)`, () => {
      const path = goldenTextPath(s);
      expect(existsSync(path), `${path} is missing. ${REGENERATE}`).toBe(true);
      const golden = readFileSync(path, 'utf8');
      if (get().text !== golden) expect.fail(`capture differs from ${path} (- golden, + now):\n${lineDiff(golden, get().text)}\n${REGENERATE}`);
    });

    it('writes pcaps byte-identical to the committed golden ones', () => {
      s.taps.forEach((_, k) => {
        const path = goldenPcapPath(s, k);
        expect(existsSync(path), `${path} is missing. ${REGENERATE}`).toBe(true);
        expect(sha256Hex(get().pcaps[k]), `${path} differs from this run. ${REGENERATE}`).toBe(sha256Hex(new Uint8Array(readFileSync(path))));
      });
    });

    it('is deterministic: the same seed again gives the same bytes, outputs and trace hash', async () => {
      const again = await runScenario(s, dir, 'b');
      expect(again.run.stats.traceHash).toBe(get().run.stats.traceHash);
      expect(again.pcaps.map(sha256Hex)).toEqual(get().pcaps.map(sha256Hex));
      expect(again.run.results.map((r) => r.output)).toEqual(get().run.results.map((r) => r.output));
    });

    it.skipIf(!tsharkAvailable())('decodes each frame as tshark does (Info column)', async () => {
      for (const [k, t] of s.taps.entries()) {
        const ours = readPcap(get().pcaps[k]).map((r) => summarizeFrame(r.frame).info.replace(/\s+/g, ' '));
        const file = join(dir, `a-${t.node}-${t.iface}.pcap`);
        // tshark adds cross-references (`(request in 3)`) that a one-frame decoder cannot know.
        const theirs = (await tsharkFields(file, ['_ws.col.Info'])).map((c) =>
          c[0].replace(/ \((request|reply) in \d+\)$/, '').replace(/\s+/g, ' '),
        );
        expect(ours, file).toEqual(theirs);
      }
    });

    it.skipIf(!tsharkAvailable())('golden pcaps pass tshark: zero malformed, zero bad checksums', async () => {
      for (let k = 0; k < s.taps.length; k++) {
        const path = goldenPcapPath(s, k);
        const v = await validateCapture(path);
        const detail = `${path}\n${v.expertLines.join('\n')}`;
        expect(v.packets, path).toBe(readPcap(new Uint8Array(readFileSync(path))).length);
        expect(v.packets, path).toBeGreaterThan(0);
        expect(v.malformed, detail).toBe(0);
        expect(v.badChecksums, detail).toBe(0);
        expect(v.expertLines, detail).toEqual([]);
        expect(outerChecksumStatuses(await tsharkFields(path, CHECKSUM_STATUS)), path).toEqual([]);
      }
    });
  });
}
