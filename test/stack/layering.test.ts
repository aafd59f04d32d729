// House rule (DESIGN decision 2, STYLE "Learned from the best network stacks"): stack/
// decides, wire/ owns bytes. These checks read the stack's sources so a re-implemented
// header check or checksum, a hand-built ICMP message or a bare ICMP number cannot return.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const STACK = join(REPO_ROOT, 'src/emulator/stack');
const sources = readdirSync(STACK)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(STACK, f), 'utf8') }));

function offenders(re: RegExp): string[] {
  return sources.flatMap(({ file, text }) => text.split('\n').flatMap((line, i) => (re.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])));
}

describe('stack/ goes through wire/', () => {
  it('computes no checksum itself (wire views and checksum.ts do)', () => {
    expect(offenders(/internetChecksum|onesSum|sum >>> 16|\(sum & 0xffff\)/)).toEqual([]);
  });

  it('declares no ICMP numbers of its own and passes none bare to icmpSendError', () => {
    expect(offenders(/const ICMP_(UNREACH|TIMXCEED|TYPE|TIME_EXCEEDED)\b/)).toEqual([]);
    expect(offenders(/icmpSendError\([^;]*,\s*\d+\s*,\s*\d+\s*,/)).toEqual([]);
  });

  it('writes no ICMP header bytes by hand (the echo reply comes from wire/icmp.ts)', () => {
    expect(offenders(/\breply\[\d\]\s*=|ICMP_TYPE\.ECHO_REPLY;/)).toEqual([]);
  });
});
