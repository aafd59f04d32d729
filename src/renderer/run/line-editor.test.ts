import { describe, expect, it } from 'vitest';
import { columnize, LineEditor, TYPEAHEAD_MAX } from './line-editor';

describe('LineEditor', () => {
  it('submits typed and pasted text', () => {
    const ed = new LineEditor('pc1# ');
    ed.feed('ping');
    const out = ed.feed(' -c 3 10.0.1.20\r');
    expect(out.actions).toEqual([{ kind: 'submit', line: 'ping -c 3 10.0.1.20' }]);
    expect(ed.line).toBe('');
  });
  it('edits with left/right, backspace, home/end, delete', () => {
    const ed = new LineEditor('$ ');
    ed.feed('pong');
    ed.feed('\x1b[D\x1b[D\x7fi');
    expect(ed.line).toBe('ping');
    ed.feed('\x1b[H');
    expect(ed.cursorPos).toBe(0);
    ed.feed('\x1b[3~');
    expect(ed.line).toBe('ing');
    ed.feed('p\x1b[F -c1');
    expect(ed.line).toBe('ping -c1');
    const out = ed.feed('\x01');
    expect(out.write).toContain('\r$ ping -c1');
    expect(out.write).toContain('\x1b[8D');
  });
  it('walks history with up/down and keeps the draft', () => {
    const ed = new LineEditor('$ ');
    ed.feed('one\r');
    ed.ready('$ ');
    ed.feed('two\r');
    ed.ready('$ ');
    ed.feed('dra');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('two');
    ed.feed('\x1b[A\x1b[A');
    expect(ed.line).toBe('one');
    ed.feed('\x1b[B');
    expect(ed.line).toBe('two');
    ed.feed('\x1b[B');
    expect(ed.line).toBe('dra');
  });
  it('Ctrl-C interrupts a running command and flushes the type-ahead, as a tty does', () => {
    const ed = new LineEditor('$ ');
    ed.setRunning();
    expect(ed.feed('abc')).toEqual({ write: '', actions: [] });
    expect(ed.pendingInput).toBe('abc');
    expect(ed.feed('\x03')).toEqual({ write: '^C', actions: [{ kind: 'interrupt' }] });
    expect(ed.pendingInput).toBe('');
    expect(ed.ready('$ ')).toEqual({ write: '$ ', actions: [] });
  });

  it('Ctrl-Z stops a running command and flushes the type-ahead, as a tty does on VSUSP', () => {
    const ed = new LineEditor('$ ');
    ed.feed('sleep 100\r');
    expect(ed.feed('abc')).toEqual({ write: '', actions: [] });
    expect(ed.feed('def\x1agh')).toEqual({ write: '^Z', actions: [{ kind: 'suspend' }] });
    expect(ed.pendingInput).toBe('gh');
    expect(ed.state).toBe('running');
    // The shell's `[1] + Suspended` line and prompt follow; what came after Ctrl-Z is edited then.
    expect(ed.ready('$ ').write).toBe('$ \r$ gh\x1b[K');
  });

  it('Ctrl-C and Ctrl-Z in one chunk are each sent, in order; a repeated key once', () => {
    const ed = new LineEditor('$ ');
    ed.setRunning();
    expect(ed.feed('a\x1a\x1ab\x03c')).toEqual({ write: '^Z^C', actions: [{ kind: 'suspend' }, { kind: 'interrupt' }] });
    expect(ed.pendingInput).toBe('c');
  });

  it('Ctrl-Z while a command reads standard input stops it and drops the partial line', () => {
    const ed = new LineEditor('$ ');
    ed.feed('cat\r');
    ed.setReading(true);
    expect(ed.feed('par')).toEqual({ write: 'par', actions: [] });
    expect(ed.feed('\x1a')).toEqual({ write: '^Z', actions: [{ kind: 'suspend' }] });
    expect(ed.feed('\r').actions).toEqual([{ kind: 'stdin', text: '\n' }]);
  });

  it('Ctrl-Z at the prompt does nothing: no echo, no action, nothing inserted (sh ignores SIGTSTP)', () => {
    const ed = new LineEditor('$ ');
    ed.feed('ab');
    expect(ed.feed('\x1a')).toEqual({ write: '', actions: [] });
    expect(ed.line).toBe('ab');
    expect(ed.cursorPos).toBe(2);
    expect(ed.feed('\x1ac\r').actions).toEqual([{ kind: 'submit', line: 'abc' }]);
    // Typed while a completion is on its way, it waits for the prompt and does nothing there either.
    ed.ready('$ ');
    ed.feed('pi\t\x1a');
    ed.completed({ from: 0, candidates: ['ping'] });
    expect(ed.line).toBe('ping ');
  });

  it('Ctrl-C at an idle prompt drops the line and shows a new prompt', () => {
    const ed = new LineEditor('$ ');
    ed.feed('abc');
    expect(ed.feed('\x03')).toEqual({ write: '^C\r\n$ ', actions: [] });
    expect(ed.line).toBe('');
  });

  it('keeps input typed while a command runs and runs it after the prompt (issue 9)', () => {
    const ed = new LineEditor('pc1# ');
    expect(ed.feed('ping -c 2 10.0.0.21\r').actions).toEqual([{ kind: 'submit', line: 'ping -c 2 10.0.0.21' }]);
    expect(ed.state).toBe('running');
    // Typed one key at a time while ping runs: nothing is lost, nothing is echoed into its output.
    let echo = '';
    for (const k of 'hostname\r') echo += ed.feed(k).write;
    expect(echo).toBe('');
    const out = ed.ready('pc1# ');
    expect(out.actions).toEqual([{ kind: 'submit', line: 'hostname' }]);
    expect(out.write.startsWith('pc1# ')).toBe(true);
    expect(out.write.endsWith('\rpc1# hostname\x1b[K\r\n')).toBe(true);
  });

  it('runs a multi-line paste one line per prompt, with each echo after its prompt', () => {
    const ed = new LineEditor('pc1# ');
    const first = ed.feed('hostname\recho one\recho two\r');
    expect(first.actions).toEqual([{ kind: 'submit', line: 'hostname' }]);
    expect(first.write).toBe('\rpc1# hostname\x1b[K\r\n');
    expect(ed.pendingInput).toBe('echo one\recho two\r');
    const second = ed.ready('pc1# ');
    expect(second.actions).toEqual([{ kind: 'submit', line: 'echo one' }]);
    expect(second.write).toBe('pc1# \rpc1# echo one\x1b[K\r\n');
    const third = ed.ready('pc1# ');
    expect(third.actions).toEqual([{ kind: 'submit', line: 'echo two' }]);
    expect(ed.ready('pc1# ')).toEqual({ write: 'pc1# ', actions: [] });
  });

  it('an empty line gives a new prompt without asking the shell', () => {
    const ed = new LineEditor('$ ');
    expect(ed.feed('  \r')).toEqual({ write: '\r$   \x1b[K\r\n$ ', actions: [] });
    expect(ed.state).toBe('ready');
  });

  it('bounds type-ahead', () => {
    const ed = new LineEditor('$ ');
    ed.setRunning();
    ed.feed('x'.repeat(TYPEAHEAD_MAX));
    expect(ed.feed('y').write).toBe('\x07');
    expect(ed.pendingInput.length).toBe(TYPEAHEAD_MAX);
  });
});

describe('LineEditor Tab completion', () => {
  it('asks for candidates at the cursor and completes a single match with a space', () => {
    const ed = new LineEditor('$ ');
    const out = ed.feed('pi\t');
    expect(out.actions).toEqual([{ kind: 'complete', line: 'pi', cursor: 2 }]);
    expect(ed.state).toBe('completing');
    // Keys typed before the answer wait for it.
    ed.feed('10.0.0.1');
    const done = ed.completed({ from: 0, candidates: ['ping'] });
    expect(ed.line).toBe('ping 10.0.0.1');
    expect(done.write).toContain('\r$ ping \x1b[K');
  });

  it('completes the common prefix, rings, and lists on a second Tab as bash does', () => {
    const ed = new LineEditor('$ ');
    ed.columns = 20;
    ed.feed('ping r\t');
    expect(ed.completed({ from: 5, candidates: ['router1', 'router2'] }).write).toBe('\r$ ping router\x1b[K');
    expect(ed.line).toBe('ping router');
    ed.feed('\t');
    const list = ed.completed({ from: 5, candidates: ['router1', 'router2'] });
    expect(list.write).toBe('\r\nrouter1  router2\r\n$ ping router\x1b[K');
    expect(ed.line).toBe('ping router');
  });

  it('rings on the first ambiguous Tab without progress, lists on the second', () => {
    const ed = new LineEditor('$ ');
    ed.feed('s\t');
    expect(ed.completed({ from: 0, candidates: ['sleep', 'sysctl'] }).write).toBe('\x07');
    ed.feed('\t');
    expect(ed.completed({ from: 0, candidates: ['sleep', 'sysctl'] }).write).toBe('\r\nsleep   sysctl\r\n$ s\x1b[K');
  });

  it('rings when nothing matches or the shell cannot answer', () => {
    const ed = new LineEditor('$ ');
    ed.feed('zz\t');
    expect(ed.completed({ from: 0, candidates: [] }).write).toBe('\x07');
    ed.feed('\t');
    expect(ed.completed(null).write).toBe('\x07');
    expect(ed.state).toBe('ready');
  });
});

describe('columnize', () => {
  it('fills columns top to bottom within the width', () => {
    expect(columnize(['a', 'b', 'c', 'd', 'e'], 9)).toBe('a  c  e\r\nb  d\r\n');
  });
  it('Ctrl-D while a command reads input: a partial line goes as it is, an empty line is the end of file', () => {
    const ed = new LineEditor('$ ');
    ed.feed('cat\r');
    ed.setReading(true);
    expect(ed.feed('abc\x04').actions).toEqual([{ kind: 'stdin', text: 'abc' }]);
    expect(ed.feed('\x04').actions).toEqual([{ kind: 'stdin', text: '\x04' }]);
  });
});
