import { describe, expect, it } from 'vitest';
import { getopt } from './getopt';
import { tokenize } from './tokenize';

describe('tokenize', () => {
  it('splits words, honours quotes, escapes, comments and ;', () => {
    expect(tokenize(`  ping  -c 3 10.0.0.1 `)).toEqual({ ok: true, commands: [['ping', '-c', '3', '10.0.0.1']] });
    expect(tokenize(`echo 'a  b' "c \\"d\\"" e\\ f x""y`)).toEqual({ ok: true, commands: [['echo', 'a  b', 'c "d"', 'e f', 'xy']] });
    expect(tokenize(`hostname; ifconfig eth0 # show`)).toEqual({ ok: true, commands: [['hostname'], ['ifconfig', 'eth0']] });
    expect(tokenize(`echo ''`)).toEqual({ ok: true, commands: [['echo', '']] });
    expect(tokenize(`   `)).toEqual({ ok: true, commands: [] });
  });
  it('reports unterminated quotes', () => {
    expect(tokenize(`echo "abc`)).toEqual({ ok: false, error: 'Syntax error: Unterminated quoted string' });
    expect(tokenize(`echo 'abc`).ok).toBe(false);
  });
});

describe('getopt', () => {
  it('parses clustered and attached options like FreeBSD', () => {
    const r = getopt('ping', ['-nqc3', '-i', '0.5', 'host', '-x'], 'c:i:nq');
    expect(r.ok && [...r.opts.entries()]).toEqual([['n', ['']], ['q', ['']], ['c', ['3']], ['i', ['0.5']]]);
    expect(r.ok && r.operands).toEqual(['host', '-x']);
  });
  it('reports illegal options and missing arguments', () => {
    expect(getopt('ping', ['-z'], 'c:')).toEqual({ ok: false, error: 'ping: illegal option -- z' });
    expect(getopt('ping', ['-c'], 'c:')).toEqual({ ok: false, error: 'ping: option requires an argument -- c' });
  });
});
