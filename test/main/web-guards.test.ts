// Every permission is denied, new windows never open (allowed https links go to the
// confirm-then-open path), navigation stays on the app page, webviews never attach; links
// leave the app only for allowlisted https hosts, after the user agrees.
import { describe, expect, it, vi } from 'vitest';
import { allowedExternalUrl, openExternalLink } from '../../src/main/external-links';
import { appOrigin } from '../../src/main/sender';
import { denyAllPermissions, guardWebContents } from '../../src/main/web-guards';

const trusted = appOrigin('/app/out/renderer/index.html', null);

function fakeContents() {
  const on: Record<string, (event: { preventDefault(): void }, url?: string) => void> = {};
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: vi.fn((name: string, fn: (event: { preventDefault(): void }, url?: string) => void) => (on[name] = fn)),
    setWindowOpenHandler: vi.fn((fn: (d: { url: string }) => { action: string }) => (openHandler = fn)),
    fire: (name: string, url?: string) => {
      const event = { preventDefault: vi.fn() };
      on[name]!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('permissions', () => {
  it('denies every request and every check', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: ((...a: unknown[]) => boolean) | null = null;
    denyAllPermissions({ setPermissionRequestHandler: (fn: any) => (request = fn), setPermissionCheckHandler: (fn: any) => (check = fn) } as any, () => undefined);
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      request!({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(check!({}, p, 'file:///app/out/renderer/index.html', {})).toBe(false);
    }
  });
});

describe('web contents guards', () => {
  it('refuses new windows and navigation away, keeps the app page, refuses webviews', () => {
    const c = fakeContents();
    const opened: string[] = [];
    guardWebContents(c as any, trusted, (u) => opened.push(u), () => undefined);
    expect(c.open('https://github.com/x')).toEqual({ action: 'deny' });
    expect(c.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(c.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/x']); // handed to the ask-first path, not opened here
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///home/user/notes.html')).toBe(true);
    expect(c.fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///app/out/renderer/index.html')).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
  });
});

describe('external links', () => {
  it('allows only https to allowlisted hosts, without credentials or ports', () => {
    expect(allowedExternalUrl('https://github.com/virtnet')).toBe('https://github.com/virtnet');
    expect(allowedExternalUrl('https://www.rfc-editor.org/rfc/rfc791')).toBe('https://www.rfc-editor.org/rfc/rfc791');
    for (const bad of ['http://github.com/', 'https://evil.example/', 'https://github.com.evil.example/', 'https://user:pw@github.com/', 'https://github.com:8443/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'not a url', 'https://github.com/' + 'a'.repeat(3000)]) {
      expect(allowedExternalUrl(bad), bad).toBeNull();
    }
  });

  it('opens only after the user agrees, and never a refused URL', async () => {
    const open = vi.fn(async () => undefined);
    const confirm = vi.fn(async () => false);
    expect(await openExternalLink('https://github.com/a', { confirm, open })).toBe(false);
    expect(confirm).toHaveBeenCalledWith('https://github.com/a');
    expect(open).not.toHaveBeenCalled();
    confirm.mockResolvedValue(true);
    expect(await openExternalLink('https://github.com/a', { confirm, open })).toBe(true);
    expect(open).toHaveBeenCalledWith('https://github.com/a');
    confirm.mockClear();
    expect(await openExternalLink('https://evil.example/', { confirm, open })).toBe(false);
    expect(confirm).not.toHaveBeenCalled();
  });
});
