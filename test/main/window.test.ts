// The main window is created locked down (context isolation, sandbox, no Node, no webview,
// no devtools when built), with the CSP header, guarded navigation and pop-ups, renderer
// crash handling, and the unsaved-changes close handshake.
import { describe, expect, it, vi } from 'vitest';

const created: { options: any; handlers: Record<string, (e: any) => void>; win: any }[] = [];
vi.mock('electron', () => {
  class BrowserWindow {
    handlers: Record<string, (e: any) => void> = {};
    webContents = { setWindowOpenHandler: vi.fn(), on: vi.fn(), send: vi.fn(), isCrashed: vi.fn(() => false) };
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
  return { BrowserWindow, session: {}, shell: {}, dialog: {} };
});

const { createMainWindow, allowClose, CSP, CSP_DEV, WEB_PREFERENCES } = await import('../../src/main/window');
const { appOrigin } = await import('../../src/main/sender');
const { CONTENT_SECURITY_POLICY } = await import('../../src/renderer/vite-config.mjs');

const trusted = appOrigin('/app/out/renderer/index.html', null);

describe('main window', () => {
  it('uses secure web preferences and the preload bundle', () => {
    createMainWindow('/app/out', null, trusted);
    const { options, win } = created[0]!;
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webviewTag: false, devTools: false, preload: '/app/out/preload/index.cjs' });
    expect(WEB_PREFERENCES.sandbox).toBe(true);
    expect(win.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
    expect(win.loadURL).not.toHaveBeenCalled();
    // Navigation, redirects and webviews are guarded; crashes and hangs are watched.
    const events = win.webContents.on.mock.calls.map((c: unknown[]) => c[0]);
    expect(events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'render-process-gone']));
    expect(Object.keys(created[0]!.handlers)).toEqual(expect.arrayContaining(['unresponsive', 'close']));
  });

  it('has one CSP for Electron and browser builds: workers allowed, no inline script or style', () => {
    expect(CSP).toBe(CONTENT_SECURITY_POLICY);
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("worker-src 'self' blob:");
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CSP).toMatch(/style-src 'self'/);
    // The dev-server policy only adds what hot reload needs, and only for local hosts.
    expect(CSP_DEV).toContain("script-src 'self' 'unsafe-inline'");
    expect(CSP_DEV).toContain('connect-src \'self\' ws://localhost:* ws://127.0.0.1:*');
    expect(CSP_DEV).not.toMatch(/unsafe-eval|https?:/);
  });

  it('asks the renderer before closing, and closes once it agrees', () => {
    createMainWindow('/app/out', 'http://127.0.0.1:5173/', appOrigin('/app/out/renderer/index.html', 'http://127.0.0.1:5173/'));
    const { handlers, win, options } = created[1]!;
    expect(options.webPreferences.devTools).toBe(true);
    expect(win.loadURL).toHaveBeenCalledWith('http://127.0.0.1:5173/');
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

  it('lets a window whose page crashed close without the handshake', () => {
    createMainWindow('/app/out', null, trusted);
    const { handlers, win } = created[2]!;
    win.webContents.isCrashed.mockReturnValue(true);
    const event = { preventDefault: vi.fn() };
    handlers['close']!(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });
});
