import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/shared/node/atomic-write';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'virtnet-atomic-'));
}

describe('writeFileAtomic', () => {
  it('writes new content and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const target = join(dir, 'a.vnet');
    await writeFileAtomic(target, 'hello');
    expect(readFileSync(target, 'utf8')).toBe('hello');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.vnet']);
  });

  it('keeps the old file intact when the write fails', async () => {
    const dir = tempDir();
    const target = join(dir, 'b.vnet');
    writeFileSync(target, 'old');
    // Renaming a file over a directory fails: the target must stay as it was.
    const blocked = join(dir, 'sub');
    mkdirSync(blocked);
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['b.vnet', 'sub']);
  });

  it('sync variant behaves the same', () => {
    const dir = tempDir();
    const target = join(dir, 'c.pcap');
    writeFileAtomicSync(target, 'x'.repeat(100_000));
    expect(readFileSync(target, 'utf8').length).toBe(100_000);
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'c.pcap'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['c.pcap']);
  });
});

/** Runs `write(target, 4 MiB of 'n')` in a child whose file-size limit (ulimit -f) is below
 * that: the kernel refuses the write part-way (EFBIG; Node ignores SIGXFSZ) and the child
 * dies with an uncaught error, mid-write, at the worst moment. */
function crashMidWrite(target: string, writer: 'atomic' | 'plain'): Promise<{ signal: string | null; code: number | null; stderr: string }> {
  const mod = JSON.stringify(join(__dirname, '../../src/shared/node/atomic-write.ts'));
  const write = writer === 'atomic' ? `require(${mod}).writeFileAtomicSync` : "require('node:fs').writeFileSync";
  const script = `require('tsx/cjs'); ${write}(${JSON.stringify(target)}, 'n'.repeat(4 << 20));`;
  const child = spawn('sh', ['-c', 'ulimit -f 2048; exec node -e "$SCRIPT"'], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, SCRIPT: script },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((res) => child.once('close', (code, signal) => res({ code, signal, stderr })));
}

describe('writeFileAtomic crash safety', () => {
  it('a write that fails part-way leaves the old file whole and no debris (a plain write would not)', async () => {
    const dir = tempDir();
    const target = join(dir, 'big.vnet');
    const old = 'o'.repeat(3 << 20);
    writeFileSync(target, old);
    const atomic = await crashMidWrite(target, 'atomic');
    expect(atomic.code).not.toBe(0);
    expect(atomic.stderr).toMatch(/EFBIG|file too large/i);
    expect(readFileSync(target, 'utf8') === old).toBe(true);
    // The failed writer removed its partial temporary file.
    expect(readdirSync(dir)).toEqual(['big.vnet']);
    // Control: the same crash with a plain write leaves a truncated, half-written file.
    const plainTarget = join(dir, 'plain.vnet');
    writeFileSync(plainTarget, old);
    await crashMidWrite(plainTarget, 'plain');
    expect(readFileSync(plainTarget, 'utf8') === old).toBe(false);
  }, 60_000);
});
