// The main window is created locked down (context isolation, sandbox, no Node), with the
// CSP header, no navigation or pop-ups, and the unsaved-changes close handshake.
import { describe, expect, it, vi } from 'vitest';

const created: { options: any; handlers: Record<string, (e: any) => void>; win: any }[] = [];
vi.mock('electron', () => {
  class BrowserWindow {
    handlers: Record<string, (e: any) => void> = {};
    webContents = { setWindowOpenHandler: vi.fn(), on: vi.fn(), send: vi.fn() };
    constructor(public options: any) {
      created.push({ options, handlers: this.handlers, win: this });
    }
    once() {}
    on(name: string, fn: (e: any) => void) {
      this.handlers[name] = fn;
    }
    close = vi.fn(() => this.handlers['close']?.({ preventDefault: vi.fn() }));
    loadFile = vi.fn(async () => undefined);
    loadURL = vi.fn(async () => undefined);
  }
  return { BrowserWindow, session: {}, shell: {} };
});

const { createMainWindow, allowClose, CSP, CSP_DEV, WEB_PREFERENCES } = await import('../../src/main/window');
const { CONTENT_SECURITY_POLICY } = await import('../../src/renderer/vite-config.mjs');

describe('main window', () => {
  it('uses secure web preferences and the preload bundle', () => {
    createMainWindow('/app/out', undefined);
    const { options, win } = created[0]!;
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, preload: '/app/out/preload/index.cjs' });
    expect(WEB_PREFERENCES.sandbox).toBe(true);
    expect(win.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
  });

  it('has one CSP for Electron and browser builds, allowing workers and inline styles only', () => {
    expect(CSP).toBe(CONTENT_SECURITY_POLICY);
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("worker-src 'self' blob:");
    expect(CSP).toContain("style-src 'self' 'unsafe-inline'");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
    // The dev-server policy only adds what hot reload needs, and only for local hosts.
    expect(CSP_DEV).toContain("script-src 'self' 'unsafe-inline'");
    expect(CSP_DEV).toContain('connect-src \'self\' ws://localhost:* ws://127.0.0.1:*');
    expect(CSP_DEV).not.toMatch(/unsafe-eval|https?:/);
  });

  it('asks the renderer before closing, and closes once it agrees', () => {
    createMainWindow('/app/out', 'http://127.0.0.1:5173/');
    const { handlers, win } = created[1]!;
    const event = { preventDefault: vi.fn() };
    handlers['close']!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(win.webContents.send).toHaveBeenCalledWith('window/close-request');
    allowClose(win);
    expect(win.close).toHaveBeenCalled();
    const later = { preventDefault: vi.fn() };
    handlers['close']!(later);
    expect(later.preventDefault).not.toHaveBeenCalled();
  });
});
