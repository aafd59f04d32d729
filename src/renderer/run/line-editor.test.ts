import { describe, expect, it } from 'vitest';
import { LineEditor } from './line-editor';

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
    ed.feed('two\r');
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
  it('Ctrl-C interrupts even while busy; other keys are ignored while busy', () => {
    const ed = new LineEditor('$ ');
    ed.busy = true;
    expect(ed.feed('abc').actions).toEqual([]);
    expect(ed.line).toBe('');
    expect(ed.feed('\x03').actions).toEqual([{ kind: 'interrupt' }]);
  });
});
