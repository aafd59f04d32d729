// Pipelines and standard input in the node shell: `a | b | c` with cat, grep, head, tail, wc
// and sort as FreeBSD prints them, the status of a pipeline (its last command), a redirect
// that takes the output away from the pipe, 2>&1 into a pipe, syntax errors, and cat / grep
// reading the terminal until Ctrl-D (EOF_INPUT), `cat > file` typing a file.
import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import { nodeFiles } from '../node/files';
import { twoPcs } from '../../../test/scenarios/topologies';
import { shellSession } from '../../../test/support/shell-session';
import { runCommand } from './run-command';
import { tokenize } from './tokenize';
import { EOF_INPUT } from './types';

function open() {
  const world = new World(twoPcs(), { seed: 1 });
  const t = shellSession(world, 'pc1');
  const run = (line: string): number => {
    t.out.code = -1;
    t.exec(line);
    return t.out.code;
  };
  const files = nodeFiles(world.nodeByName('pc1')!);
  files.write('/etc/hosts', '127.0.0.1 localhost\n10.0.0.1 r1 gw\n10.0.0.20 pc1\n10.0.0.21 pc2\n');
  files.write('/tmp/n', '10\n9\n100\n9\n');
  return { world, shell: t.s, run, text: () => t.out.text, clear: () => void (t.out.text = '') };
}

describe('pipelines', () => {
  it('tokenizes `|` and refuses what sh would not run', () => {
    expect(tokenize('cat /etc/hosts | grep pc | wc -l')).toEqual({ ok: true, commands: [['cat', '/etc/hosts'], ['grep', 'pc'], ['wc', '-l']], background: [false, false, false], pipes: [true, true, false] });
    expect(tokenize('echo a; ls | sort')).toMatchObject({ pipes: [false, true, false] });
    expect(tokenize('| wc')).toEqual({ ok: false, error: 'Syntax error: "|" unexpected' });
    expect(tokenize('ls |')).toEqual({ ok: false, error: 'Syntax error: end of file unexpected' });
    expect(tokenize('ls || wc')).toEqual({ ok: false, error: 'Syntax error: "||" is not supported' });
  });

  it('runs cat | grep | wc, head, tail, sort, with FreeBSD formats', () => {
    const { run, text, clear } = open();
    expect(run('cat /etc/hosts | grep pc | wc -l')).toBe(0);
    expect(text()).toBe('       2\n');
    clear();
    run('grep -n pc /etc/hosts | tail -1');
    expect(text()).toBe('4:10.0.0.21 pc2\n');
    clear();
    run('sort -n /tmp/n | head -n 2; sort -rnu < /tmp/n');
    expect(text()).toBe('9\n9\n100\n10\n9\n');
    clear();
    run('cat /etc/hosts | wc');
    expect(text()).toBe('       4       9      63\n');
    clear();
    run('wc -l /etc/hosts /tmp/n');
    expect(text()).toBe('       4 /etc/hosts\n       4 /tmp/n\n       8 total\n');
    clear();
    run('head -2 /etc/hosts /tmp/n');
    expect(text()).toBe('==> /etc/hosts <==\n127.0.0.1 localhost\n10.0.0.1 r1 gw\n\n==> /tmp/n <==\n10\n9\n');
    clear();
    run('echo one two | cat - /tmp/n | tail -n +4');
    expect(text()).toBe('100\n9\n');
  });

  it('has the status of its last command; grep says 1 when nothing matched', () => {
    const { run, text, clear } = open();
    expect(run('grep nothing /etc/hosts')).toBe(1);
    expect(run('cat /etc/hosts | grep -q gw')).toBe(0);
    expect(run('grep -c pc /etc/hosts /nope')).toBe(2);
    expect(text()).toBe('grep: /nope: No such file or directory\n/etc/hosts:2\n');
    clear();
    expect(run('cat /nope | wc -l')).toBe(0);
    expect(text()).toBe('cat: /nope: No such file or directory\n       0\n');
  });

  it('a command redirected with > gives the pipe nothing; 2>&1 sends errors down the pipe', () => {
    const { run, text, clear, world } = open();
    run('cat /etc/hosts > /tmp/copy | wc -l');
    expect(text()).toBe('       0\n');
    expect(nodeFiles(world.nodeByName('pc1')!).read('/tmp/copy')).toContain('localhost');
    clear();
    run('cat /nope 2>&1 | grep -c directory');
    expect(text()).toBe('1\n');
    clear();
    run('grep -E "r1|pc2" /etc/hosts | sort -r');
    expect(text()).toBe('10.0.0.21 pc2\n10.0.0.1 r1 gw\n');
    clear();
    run('grep "r1\\|pc2" /etc/hosts | wc -l');
    expect(text()).toBe('       2\n');
  });
});

describe('a pipeline after a command that runs in virtual time', () => {
  it('ping -c 2 | grep -c reads ping\'s whole output once ping has finished', () => {
    const world = new World(twoPcs(), { seed: 1 });
    const r = runCommand(world, 'pc1', 'ping -c 2 10.0.0.21 | grep -c "bytes from"');
    expect(r).toMatchObject({ exitCode: 0, output: '2\n' });
    expect(r.endNs - r.startNs).toBeGreaterThan(900_000_000);
  });
});

describe('standard input from the terminal', () => {
  it('cat with no file echoes each typed line until Ctrl-D; cat > file types a file', () => {
    const { world, shell, run, text } = open();
    let done = -1;
    shell.exec('cat > /etc/motd', (c) => (done = c));
    expect(done).toBe(-1);
    expect(shell.input('Welcome to the lab\n')).toBe(true);
    expect(shell.input('second line\n')).toBe(true);
    expect(shell.input(EOF_INPUT)).toBe(true);
    expect(done).toBe(0);
    expect(nodeFiles(world.nodeByName('pc1')!).read('/etc/motd')).toBe('Welcome to the lab\nsecond line\n');
    expect(text()).toBe('');
    let d2 = -1;
    shell.exec('cat', (c) => (d2 = c));
    shell.input('hello\n');
    expect(text()).toBe('hello\n');
    shell.input(EOF_INPUT);
    expect(d2).toBe(0);
    expect(run('echo after')).toBe(0);
    expect(text()).toBe('hello\nafter\n');
  });

  it('a filter reading the terminal works on what was typed at Ctrl-D; Ctrl-C ends it with 130', () => {
    const { shell, text } = open();
    let done = -1;
    shell.exec('sort -r | head -2', (c) => (done = c));
    shell.input('b\na\nc\n');
    expect(text()).toBe('');
    shell.input(EOF_INPUT);
    expect(done).toBe(0);
    expect(text()).toBe('c\nb\n');
    let d2 = -1;
    shell.exec('grep x', (c) => (d2 = c));
    shell.interrupt();
    expect(d2).toBe(130);
  });
});
