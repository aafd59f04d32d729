// Test helper: has the real dissector (tshark) judge a capture file — packet count,
// malformed packets, bad checksums and expert infos. Runs tshark as a child process;
// never used by the engine. Checksum prefs from `tshark -G defaultprefs` (ICMP's
// checksum is always verified by Wireshark, it has no pref).

import { execFile, execFileSync } from 'node:child_process';

export const TSHARK = process.env.TSHARK ?? 'tshark';

let available: boolean | undefined;

export function tsharkAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync(TSHARK, ['--version'], { stdio: 'ignore', timeout: 20_000 });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

const CHECKSUM_PREFS = ['ip.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'tcp.check_checksum:TRUE'];

/** Runs tshark with the checksum prefs on; resolves stdout (rejects on a non-zero exit). */
export function runTshark(args: string[]): Promise<string> {
  const prefs = CHECKSUM_PREFS.flatMap((p) => ['-o', p]);
  return new Promise((resolve, reject) => {
    execFile(TSHARK, [...prefs, ...args], { maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tshark ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export interface CaptureVerdict {
  packets: number;
  malformed: number;
  badChecksums: number;
  /** `frame N: <severity> <message>` for every expert info of severity warning or error. */
  expertLines: string[];
}

// Wireshark's expert severities (epan/proto.h: PI_WARN 0x00600000, PI_ERROR 0x00800000).
const PI_WARN = 0x00600000;
const CHECKSUM_FIELDS = ['ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status'];
const FIELDS = ['frame.number', '_ws.malformed', ...CHECKSUM_FIELDS, '_ws.expert.severity', '_ws.expert.message'];

/** Dissects `file` with every checksum check on; counts what a reviewer would object to. */
export async function validateCapture(file: string): Promise<CaptureVerdict> {
  const out = await runTshark([
    '-r', file, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=|',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ]);
  const verdict: CaptureVerdict = { packets: 0, malformed: 0, badChecksums: 0, expertLines: [] };
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const cols = line.split('\t');
    verdict.packets++;
    if (cols[1] !== '') verdict.malformed++;
    for (let i = 2; i < 2 + CHECKSUM_FIELDS.length; i++) {
      // checksum.status: 0 = bad, 1 = good, 2 = unverified.
      if ((cols[i] ?? '').split('|').includes('0')) verdict.badChecksums++;
    }
    const severities = (cols[2 + CHECKSUM_FIELDS.length] ?? '').split('|');
    const messages = (cols[3 + CHECKSUM_FIELDS.length] ?? '').split('|');
    severities.forEach((sev, k) => {
      const n = Number(sev);
      if (sev !== '' && n >= PI_WARN) verdict.expertLines.push(`frame ${cols[0]}: ${n >= 0x00800000 ? 'error' : 'warning'} ${messages[k] ?? ''}`);
    });
  }
  return verdict;
}

/** One column per requested field, one row per packet (for assertions on names, Info …). */
export async function tsharkFields(file: string, fields: string[]): Promise<string[][]> {
  const out = await runTshark(['-r', file, '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}
