// `virtnet run` keeps each --exec command's output for --json and its summary: bounded, so a
// command that prints without end (ping -i 0.001 with no -c) cannot grow memory without bound.
import { describe, expect, it } from 'vitest';
import { boundedSink, EXEC_OUTPUT_MAX } from '../../src/cli/run';

describe('exec output sink', () => {
  it('keeps what fits and says how much it cut', () => {
    const s = boundedSink(10);
    s.write('12345');
    s.write('67890abc');
    s.write('def');
    expect(s.text()).toBe('1234567890\n[output cut: 6 more characters]\n');
    s.reset();
    s.write('ok\n');
    expect(s.text()).toBe('ok\n');
  });

  it('is bounded by default at 16 MiB', () => {
    const s = boundedSink();
    const chunk = 'x'.repeat(1 << 20);
    for (let i = 0; i < 40; i++) s.write(chunk);
    expect(s.text().length).toBeLessThan(EXEC_OUTPUT_MAX + 100);
    expect(s.text()).toMatch(/\[output cut: 25,165,824 more characters\]\n$/);
  });
});
