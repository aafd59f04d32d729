// A teaching lab end to end in a real browser (issue 13): a student opens a shipped lab from
// the help panel, tries to change a locked node and is told which lock, numbers a router in
// the properties panel and configures the other in its shell, and watches the checks turn
// green; the tab dies mid-way and the work (with the shell commands) is restored; the
// student finishes and submits one file; the teacher grades the batch with `virtnet grade`
// and the CSV shows the pass, while a tampered copy and a broken file do not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startApp, type App } from './support/app';
import { getDoc, nodeCenter } from './support/canvas';

let app: App;
const SHOTS = process.env.VIRTNET_LAB_SHOTS ?? '';
const dir = mkdtempSync(join(tmpdir(), 'virtnet-lab-e2e-'));

type RunHook = { shells: { transcript(s: number): string }; getState(): { terminals: { session: number; nodeName: string }[] } };
const transcript = (page: Page, node: string) =>
  page.evaluate((name) => {
    const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
    const t = r.getState().terminals.filter((x) => x.nodeName === name).at(-1);
    return t ? r.shells.transcript(t.session) : '';
  }, node);

const states = (page: Page) => page.locator('[data-testid=lab-check]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** Opens a shell on `node` (double-click) and runs each line, waiting for its prompt. */
async function shell(page: Page, node: string, lines: string[]): Promise<void> {
  const at = await nodeCenter(page, node);
  await page.mouse.dblclick(at.x, at.y);
  await expect.poll(() => transcript(page, node)).toMatch(/# $/);
  for (const line of lines) {
    // The raw transcript holds output and prompts (the typed line is echoed by the terminal).
    const prompts = async () => ((await transcript(page, node)).match(/# /g) ?? []).length;
    const before = await prompts();
    await page.locator('.xterm-helper-textarea').last().focus();
    await page.keyboard.type(line, { delay: 2 });
    await page.keyboard.press('Enter');
    await expect.poll(prompts, { timeout: 20_000 }).toBeGreaterThan(before);
  }
}

async function setField(page: Page, node: string, testId: string, value: string): Promise<void> {
  const at = await nodeCenter(page, node);
  await page.mouse.click(at.x, at.y);
  const field = page.getByTestId(testId);
  await field.fill(value);
  await field.press('Enter');
}

beforeAll(async () => {
  app = await startApp();
  app.page.setDefaultTimeout(20_000);
  await app.page.setViewportSize({ width: 1280, height: 720 });
});
afterAll(async () => {
  await app?.close();
});

describe('a teaching lab', () => {
  it('a student opens a lab, is stopped at a lock, configures, survives a reload, submits; the teacher grades', async () => {
    let page = app.page;
    await page.getByTestId('lab-open-static-routing').click();
    await page.getByTestId('lab-pane').waitFor();
    expect(await page.getByTestId('lab-instructions').locator('h1').textContent()).toBe('Subnetting and static routing');
    await expect.poll(() => states(page), { timeout: 20_000 }).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
    await shot(page, 'student-open');

    // pc1's configuration is locked: the panel refuses, and the banner names the lock.
    await setField(page, 'pc1', 'iface-eth0-ipv4', '10.0.1.99/24');
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/This part is locked.*the configuration of pc1 was changed, but it is locked/);
    expect((await getDoc(page)).nodes.find((n) => n.name === 'pc1')!.interfaces[0]!.ipv4).toEqual(['10.0.1.20/24']);

    // r1's link address in the properties panel: its check turns green.
    await setField(page, 'r1', 'iface-eth1-ipv4', '10.0.12.1/30');
    await expect.poll(() => states(page)).toEqual(['pass', 'fail', 'fail', 'fail', 'fail', 'fail']);
    // Two failed attempts at r1's route release its hint (the lab says after 2).
    await page.getByTestId('lab-check-work').click();
    await expect.poll(() => page.getByTestId('lab-attempts').textContent()).toBe('1 attempt');
    expect(await page.getByTestId('lab-hint').count()).toBe(0);
    await page.getByTestId('lab-check-work').click();
    await expect.poll(() => page.getByTestId('lab-attempts').textContent()).toBe('2 attempts');
    expect(await page.getByTestId('lab-hint').textContent()).toMatch(/^Hint: The gateway of a static route must be on a directly connected subnet/);

    // r2 in its shell, while the network runs.
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await shell(page, 'r2', ['ifconfig eth1 inet 10.0.12.2/30', 'route add -net 10.0.1.0/24 10.0.12.1']);
    await expect.poll(() => states(page), { timeout: 20_000 }).toEqual(['pass', 'pass', 'fail', 'pass', 'fail', 'fail']);
    expect((await getDoc(page)).lab!.work!.commands.map((c) => `${c.node}: ${c.command}`)).toEqual(['r2: ifconfig eth1 inet 10.0.12.2/30', 'r2: route add -net 10.0.1.0/24 10.0.12.1']);
    await shot(page, 'student-running');

    // The tab dies mid-way (no unload prompt): a new tab offers the autosaved work.
    await page.waitForTimeout(2600); // one autosave period (and a transcript sync)
    await page.close({ runBeforeUnload: false });
    page = await app.page.context().newPage();
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(app.url);
    await page.getByTestId('recovery-restore').click();
    await page.getByTestId('lab-pane').waitFor();
    await expect.poll(() => states(page), { timeout: 20_000 }).toEqual(['pass', 'pass', 'fail', 'pass', 'fail', 'fail']);
    const restored = await getDoc(page);
    expect(restored.lab!.work!.transcripts.r2).toMatch(/route add -net 10\.0\.1\.0\/24 10\.0\.12\.1/);
    app.page = page;

    // Start again: r2's shell work is configured again; r1 gets its route; everything passes.
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await shell(page, 'r1', ['route add -net 10.0.2.0/24 10.0.12.2', 'ping -c 1 10.0.2.20']);
    expect(await transcript(page, 'r1')).toMatch(/1 packets transmitted, 1 packets received/);
    await expect.poll(() => states(page), { timeout: 30_000 }).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    await expect.poll(() => page.getByTestId('lab-score').textContent()).toMatch(/^10 \/ 10 points/);
    await shot(page, 'student-done');

    // Submit: one file (a download in browser mode, named in the save prompt).
    await page.getByTestId('lab-student-name').fill('alice');
    page.once('dialog', (d) => void d.accept(d.defaultValue()));
    const download = page.waitForEvent('download');
    await page.getByTestId('lab-submit').click();
    const d = await download;
    const submission = join(dir, d.suggestedFilename());
    await d.saveAs(submission);
    expect(d.suggestedFilename()).toBe('static-routing-alice-submission.vnet');
    await expect.poll(() => page.getByTestId('lab-submitted').textContent()).toMatch(/Submitted as static-routing-alice-submission\.vnet/);
    const sub = JSON.parse(readFileSync(submission, 'utf8'));
    expect(sub.lab.student).toBe('alice');
    expect(sub.lab.results.score).toBe(10);

    // Teacher mode, for the screenshots.
    await page.getByTestId('lab-mode-teacher').click();
    // An image embedded as a data: URI displays in the live preview under the app's CSP.
    const editor = page.getByTestId('lab-instructions-editor');
    await editor.press('Control+End');
    await editor.pressSequentially('\n![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==)\n');
    const img = page.getByTestId('lab-preview').locator('img');
    await expect.poll(() => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).complete && (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    await shot(page, 'teacher-top');
    await page.getByTestId('lab-test').click();
    await page.getByTestId('lab-run-start').waitFor();
    expect(await page.getByTestId('lab-run-answer').textContent()).toMatch(/^Answer network: 10\/10 — passes every check, as it must/);
    await shot(page, 'teacher-tests');
    await page.getByTestId('lab-mode-student').click();

    // The teacher grades the batch: alice passes; a tampered copy (results claim 10, work
    // removed) and a broken file do not, and grading goes on past them.
    const forged = { ...sub, lab: { ...sub.lab, student: 'mallory', work: { commands: [], transcripts: {} } } };
    writeFileSync(join(dir, 'mallory.vnet'), JSON.stringify(forged, null, 2));
    writeFileSync(join(dir, 'broken.vnet'), '{ "version": 1, "nodes": [ }');
    const csv = join(dir, 'grades.csv');
    let out = '';
    try {
      execFileSync('node', [join(REPO_ROOT, 'bin/virtnet.js'), 'grade', join(REPO_ROOT, 'assets/labs/static-routing.vnet'), submission, join(dir, 'mallory.vnet'), join(dir, 'broken.vnet'), '--csv', csv], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stderr?: string }).stderr ?? err);
    }
    expect(out).toMatch(/broken\.vnet:1: /);
    const rows = readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(rows[0]!.slice(0, 9)).toEqual(['student', 'score', 'max', 'r1addr', 'r2addr', 'r1route', 'r2route', 'ping', 'trace']);
    expect(rows[1]!.slice(0, 9)).toEqual(['alice', '10', '10', '1', '1', '2', '2', '2', '2']);
    expect(rows[2]!.slice(0, 3)).toEqual(['mallory', '1', '10']);
    expect(rows[3]!.slice(0, 2)).toEqual(['broken', '']);
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 240_000);
});
