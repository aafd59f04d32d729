import { describe, expect, it } from 'vitest';
import { getopt } from './getopt';
import { tokenize } from './tokenize';

describe('tokenize', () => {
  it('splits words, honours quotes, escapes, comments and ;', () => {
    expect(tokenize(`  ping  -c 3 10.0.0.1 `)).toEqual({ ok: true, commands: [['ping', '-c', '3', '10.0.0.1']], background: [false] });
    expect(tokenize(`echo 'a  b' "c \\"d\\"" e\\ f x""y`)).toEqual({ ok: true, commands: [['echo', 'a  b', 'c "d"', 'e f', 'xy']], background: [false] });
    expect(tokenize(`hostname; ifconfig eth0 # show`)).toEqual({ ok: true, commands: [['hostname'], ['ifconfig', 'eth0']], background: [false, false] });
    expect(tokenize(`echo ''`)).toEqual({ ok: true, commands: [['echo', '']], background: [false] });
    expect(tokenize(`   `)).toEqual({ ok: true, commands: [], background: [] });
  });
  it('& ends a background command, as ; ends a foreground one', () => {
    expect(tokenize(`iperf3 -s & hostname`)).toEqual({ ok: true, commands: [['iperf3', '-s'], ['hostname']], background: [true, false] });
    expect(tokenize(`nc -l 80&`)).toEqual({ ok: true, commands: [['nc', '-l', '80']], background: [true] });
    expect(tokenize(`echo 'a&b'`)).toEqual({ ok: true, commands: [['echo', 'a&b']], background: [false] });
    expect(tokenize(`true && false`).ok).toBe(false);
    expect(tokenize(`& ls`).ok).toBe(false);
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

describe('tokenize redirections', () => {
  it('> >> 2> 2>&1 < and here-documents, quoted targets, and a missing target', () => {
    expect(tokenize(`echo a b > /etc/x`)).toEqual({ ok: true, commands: [['echo', 'a', 'b']], background: [false], redirects: [{ out: { path: '/etc/x', append: false } }] });
    expect(tokenize(`echo hi>>'/tmp/a b'; ls`)).toEqual({ ok: true, commands: [['echo', 'hi'], ['ls']], background: [false, false], redirects: [{ out: { path: '/tmp/a b', append: true } }, {}] });
    expect(tokenize(`ls; cat < f 2>/dev/null`)).toEqual({ ok: true, commands: [['ls'], ['cat']], background: [false, false], redirects: [{}, { input: 'f', err: { path: '/dev/null', append: false } }] });
    expect(tokenize(`cat > /f << 'EOF'`)).toEqual({ ok: true, commands: [['cat']], background: [false], redirects: [{ out: { path: '/f', append: false }, heredoc: { delim: 'EOF', strip: false } }] });
    expect(tokenize(`x 2>&1`)).toEqual({ ok: true, commands: [['x']], background: [false], redirects: [{ err: 'stdout' }] });
    expect(tokenize(`echo a2>f`)).toEqual({ ok: true, commands: [['echo', 'a2']], background: [false], redirects: [{ out: { path: 'f', append: false } }] });
    expect(tokenize(`echo 'a>b' "c<d"`)).toEqual({ ok: true, commands: [['echo', 'a>b', 'c<d']], background: [false] });
    expect(tokenize(`echo >`)).toEqual({ ok: false, error: 'Syntax error: redirection unexpected' });
    expect(tokenize(`echo > ; ls`).ok).toBe(false);
  });
});
