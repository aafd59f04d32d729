// The e2e harness finds a browser on a machine without Debian's chromium: the lookup order
// ($CHROMIUM_PATH, system, npm-shipped), the overrides, the messages when nothing fits,
// and a real launch of the Chromium shipped in @sparticuz/chromium showing the app.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startServer } from './support/app';
import { browserCandidates, npmBrowserSupported, npmChoice, systemBrowsers } from './support/browser';

describe('e2e browser lookup', () => {
  const system = () => ['/usr/bin/chromium'];

  it('prefers $CHROMIUM_PATH, then system browsers, then the npm-shipped one', () => {
    expect(browserCandidates({ CHROMIUM_PATH: process.execPath }, { systemBrowsers: system, npmSupported: true })).toEqual([{ source: 'env', path: process.execPath }]);
    expect(browserCandidates({}, { systemBrowsers: system, npmSupported: true })).toEqual([{ source: 'system', path: '/usr/bin/chromium' }, { source: 'npm' }]);
    expect(browserCandidates({}, { systemBrowsers: () => [], npmSupported: true })).toEqual([{ source: 'npm' }]);
  });

  it('VIRTNET_E2E_BROWSER keeps one source; a bad value or a missing path is an error', () => {
    const deps = { systemBrowsers: system, npmSupported: true };
    expect(browserCandidates({ VIRTNET_E2E_BROWSER: 'npm', CHROMIUM_PATH: process.execPath }, deps)).toEqual([{ source: 'npm' }]);
    expect(browserCandidates({ VIRTNET_E2E_BROWSER: 'system' }, deps)).toEqual([{ source: 'system', path: '/usr/bin/chromium' }]);
    expect(() => browserCandidates({ VIRTNET_E2E_BROWSER: 'firefox' }, deps)).toThrow(/expected "npm" or "system"/);
    expect(() => browserCandidates({ CHROMIUM_PATH: '/nonexistent/chrome' }, deps)).toThrow(/CHROMIUM_PATH=\/nonexistent\/chrome does not exist/);
    expect(() => browserCandidates({}, { systemBrowsers: () => [], npmSupported: false })).toThrow(/install Chromium or Chrome, or set CHROMIUM_PATH/);
    expect(() => browserCandidates({ VIRTNET_E2E_BROWSER: 'system' }, { systemBrowsers: () => [], npmSupported: true })).toThrow(/no Chromium or Chrome was found/);
  });

  it('looks for system browsers by name on PATH before the usual install paths', () => {
    const exists = new Set(['/opt/bin/google-chrome', '/usr/bin/chromium']);
    expect(systemBrowsers({ PATH: '/nowhere:/opt/bin' }, (p) => exists.has(p))).toEqual(['/opt/bin/google-chrome', '/usr/bin/chromium']);
    expect(systemBrowsers({ PATH: '' }, () => false)).toEqual([]);
  });
});

describe.runIf(npmBrowserSupported())('the npm-shipped Chromium (linux-x64)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => {
    server?.proc.kill('SIGTERM');
  });

  it('unpacks once into an empty temp folder, atomically, and reuses it', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'virtnet-unpack-test-'));
    try {
      const first = npmChoice(REPO_ROOT, tmp);
      expect(existsSync(first.executablePath)).toBe(true);
      expect(first.env.FONTCONFIG_FILE).toBe(join(tmp, readdirSync(tmp)[0]!, 'fonts.conf'));
      expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^virtnet-chromium-\d+\.\d+\.\d+$/)]); // no staging left
      expect(npmChoice(REPO_ROOT, tmp)).toEqual(first);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('launches from node_modules and runs the app', async () => {
    const choice = npmChoice(REPO_ROOT);
    expect(choice.label).toMatch(/^npm @sparticuz\/chromium \d+/);
    const browser = await chromium.launch({ executablePath: choice.executablePath, args: choice.args, env: { ...process.env, ...choice.env } as Record<string, string> });
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => (globalThis as unknown as { __virtnet?: { cy: unknown } }).__virtnet?.cy != null);
      expect(await page.title()).toBe('untitled.vnet — VirtNet');
      // Text is laid out with real fonts (the package's own, or the system's).
      const width = await page.evaluate(() => {
        const dom = (globalThis as any).document;
        const s = dom.createElement('span');
        s.textContent = 'VirtNet';
        dom.body.appendChild(s);
        return s.getBoundingClientRect().width as number;
      });
      expect(width).toBeGreaterThan(20);
    } finally {
      await browser.close();
    }
  });
});
