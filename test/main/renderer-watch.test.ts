// A page that crashes or hangs is logged and the user is offered a reload (a hung page is
// killed first, then reloaded without a second question); a clean exit is left alone.
import { describe, expect, it, vi } from 'vitest';
import { watchRenderer } from '../../src/main/renderer-watch';

function fakeWindow() {
  const winOn: Record<string, () => void> = {};
  const wcOn: Record<string, (e: unknown, d: { reason: string; exitCode: number }) => void> = {};
  const win = {
    on: vi.fn((name: string, fn: () => void) => (winOn[name] = fn)),
    isDestroyed: vi.fn(() => false),
    webContents: {
      on: vi.fn((name: string, fn: (e: unknown, d: { reason: string; exitCode: number }) => void) => (wcOn[name] = fn)),
      reload: vi.fn(),
      forcefullyCrashRenderer: vi.fn(() => wcOn['render-process-gone']!({}, { reason: 'killed', exitCode: 9 })),
    },
  };
  return { win, gone: (reason: string) => wcOn['render-process-gone']!({}, { reason, exitCode: 1 }), hang: () => winOn['unresponsive']!() };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('renderer watch', () => {
  it('logs a crashed page and reloads it when the user agrees', async () => {
    const { win, gone } = fakeWindow();
    const logged: string[] = [];
    const ask = vi.fn(async () => 0);
    watchRenderer(win, { ask, log: (l) => logged.push(l) });
    gone('oom');
    await flush();
    expect(logged[0]).toMatch(/renderer gone: oom/);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
  });

  it('leaves the page alone when the user declines, and ignores a clean exit', async () => {
    const { win, gone } = fakeWindow();
    const ask = vi.fn(async () => 1);
    watchRenderer(win, { ask, log: () => undefined });
    gone('crashed');
    await flush();
    gone('clean-exit');
    await flush();
    expect(ask).toHaveBeenCalledTimes(1);
    expect(win.webContents.reload).not.toHaveBeenCalled();
  });

  it('offers to reload a hung page: kills it, then reloads without asking twice', async () => {
    const { win, hang } = fakeWindow();
    const logged: string[] = [];
    const ask = vi.fn(async () => 1); // "Reload"
    watchRenderer(win, { ask, log: (l) => logged.push(l) });
    hang();
    await flush();
    expect(logged).toContain('renderer unresponsive');
    expect(win.webContents.forcefullyCrashRenderer).toHaveBeenCalled();
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    expect(ask).toHaveBeenCalledTimes(1);
  });
});
