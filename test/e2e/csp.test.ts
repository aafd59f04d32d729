// The shipped Content-Security-Policy in a real browser: the built app is driven through
// editing and run mode (canvas, properties, a shell in xterm, a capture, the inspector) and
// must report zero CSP violations: no inline style or script is needed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.mjs';
import { REPO_ROOT, startApp, type App } from './support/app';
import { nodeCenter, loadDocument } from './support/canvas';

// Page-side globals used inside page.evaluate (this file compiles without the DOM library).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: unknown): { fontFamily: string; backgroundColor: string; color: string };

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');
let app: App;

type Violation = { directive: string; blocked: string; sample: string };
const violations = (a: App) => a.page.evaluate(() => (globalThis as unknown as { __cspViolations: Violation[] }).__cspViolations ?? []);

beforeAll(async () => {
  app = await startApp();
  app.page.setDefaultTimeout(15_000);
  await app.page.addInitScript(() => {
    const list: { directive: string; blocked: string; sample: string }[] = [];
    (globalThis as unknown as { __cspViolations: unknown }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e: any) => list.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  });
  await app.page.reload();
  await app.page.waitForFunction(() => (globalThis as unknown as { __virtnet?: { cy: unknown } }).__virtnet?.cy != null);
});

afterAll(async () => {
  await app?.close();
});

describe('content security policy', () => {
  it('is the strict policy, delivered with the page', async () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    const meta = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });

  it('edits and runs a network with no violation', async () => {
    const { page } = app;
    const doc = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    await loadDocument(page, doc, 'pc-router-pc.vnet');
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(p.x, p.y);
    await page.locator('[data-testid^=terminal-]').first().waitFor();
    await page.locator('.xterm-helper-textarea').first().focus();
    await page.keyboard.type('ping -c 2 10.0.1.20', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(2500);
    await app.screenshot('csp-run');
    const seen = await violations(app);
    expect(seen, JSON.stringify(seen, null, 1)).toEqual([]);
    expect(app.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    // The libraries' CSS still applies (through constructed stylesheets).
    const applied = await page.evaluate(() => ({
      rowsFont: getComputedStyle(document.querySelector('.xterm-rows')!).fontFamily,
      canvasHeight: (globalThis as any).__virtnet.cy.container().getBoundingClientRect().height as number,
      rules: document.adoptedStyleSheets.flatMap((s: any) => [...s.cssRules].map((r: any) => r.cssText as string)).join('\n'),
    }));
    expect(applied.rowsFont).toMatch(/mono/i);
    // Library CSS must not outrank the app's (it once collapsed the canvas to 0 px).
    expect(applied.canvasHeight).toBeGreaterThan(200);
    expect(applied.rules).toContain('cytoscape_container');
    expect(applied.rules).toContain('xterm-dom-renderer-owner');
  });

  it('still blocks a style that markup tries to inject', async () => {
    const { page } = app;
    const bg = await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<style id="injected">body { background: rgb(255, 0, 0) !important; }</style><div id="attr" style="color: rgb(255, 0, 0)">x</div>');
      const out = { body: getComputedStyle(document.body).backgroundColor, attr: getComputedStyle(document.getElementById('attr')!).color };
      document.getElementById('injected')!.remove();
      document.getElementById('attr')!.remove();
      return out;
    });
    expect(bg.body).not.toBe('rgb(255, 0, 0)');
    expect(bg.attr).not.toBe('rgb(255, 0, 0)');
    const seen = await violations(app);
    expect(seen.map((v) => v.directive).sort()).toEqual(['style-src-attr', 'style-src-elem']);
  });
});
