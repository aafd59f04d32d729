import { describe, expect, it } from 'vitest';
import { NODE_FILES_BYTES_MAX, NodeFiles, fileErrorText, normalizePath } from './files';

describe('node files', () => {
  it('normalises paths', () => {
    expect(normalizePath('/etc//hosts')).toBe('/etc/hosts');
    expect(normalizePath('../x', '/etc')).toBe('/x');
    expect(normalizePath('a/./b', '/root')).toBe('/root/a/b');
    expect(normalizePath('')).toBeNull();
  });

  it('reads, writes, appends, lists and removes', () => {
    const f = new NodeFiles({ '/etc/hosts': '127.0.0.1 localhost\n' });
    expect(f.read('/etc/hosts')).toBe('127.0.0.1 localhost\n');
    expect(f.write('/etc/hosts', '10.0.0.1 r1\n', true)).toBeNull();
    expect(f.read('/etc//hosts')).toBe('127.0.0.1 localhost\n10.0.0.1 r1\n');
    expect(f.list('/')).toEqual(['etc']);
    expect(f.read('/etc')).toEqual({ kind: 'is-a-directory', path: '/etc' });
    expect(fileErrorText('cat', f.read('/nope') as never)).toBe('cat: /nope: No such file or directory');
    expect(f.remove('/etc/hosts')).toBeNull();
    expect(f.usedBytes).toBe(0);
    expect(f.snapshot()).toEqual({});
  });

  it('refuses past its bound and changes nothing', () => {
    const f = new NodeFiles();
    expect(f.write('/big', 'x'.repeat(NODE_FILES_BYTES_MAX))).toEqual({ kind: 'no-space', path: '/big' });
    expect(f.exists('/big')).toBe(false);
    expect(f.usedBytes).toBe(0);
  });

  it('keeps two nodes apart', () => {
    const a = new NodeFiles();
    const b = new NodeFiles();
    a.write('/etc/resolv.conf', 'nameserver 10.0.0.1\n');
    expect(b.exists('/etc/resolv.conf')).toBe(false);
  });
});
