// Files typed in a node's terminal are kept in the document at Stop (issue 17): in pc1's
// terminal `cat > /etc/motd` reads typed lines until Ctrl-D, a pipeline counts them, and
// router1's /etc/hosts is edited with echo >>; Stop lists both nodes' changed files, router1
// is unticked, and after "Save, keep ticked files and stop" the document holds pc1's file
// only. Screenshots: test-results/screenshots/stop-files.png, stop-files-1920.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from './support/app';
import { getDoc } from './support/canvas';
import { focus, startRunning, terminalOf, waitFor } from './support/terminal';

let app: App;

beforeAll(async () => {
  ({ app } = await startRunning('pc-router-pc.vnet', { width: 1280, height: 720 }));
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('Stop keeps the files edited while running', () => {
  it('cat > FILE until Ctrl-D, a pipeline, and the Stop dialog that keeps the ticked nodes\' files', async () => {
    const { page } = app;
    const pc1 = await terminalOf(page, 'pc1');
    await focus(page, pc1);
    await page.keyboard.type('cat > /etc/motd\r', { delay: 5 });
    await page.keyboard.type('Welcome to the lab\rsecond line\r', { delay: 5 });
    await page.keyboard.press('Control+d');
    await waitFor(page, pc1, /second line\npc1# $/);
    await page.keyboard.type('cat /etc/motd | grep -c line\r', { delay: 5 });
    await waitFor(page, pc1, /grep -c line\n1\npc1# $/);
    await page.keyboard.type('cat /etc/motd | wc -l\r', { delay: 5 });
    await waitFor(page, pc1, /wc -l\n {7}2\npc1# $/);
    const r1 = await terminalOf(page, 'router1');
    await focus(page, r1);
    await page.keyboard.type('echo "10.0.0.20 pc1" >> /etc/hosts\r', { delay: 5 });
    await waitFor(page, r1, /hosts\nrouter1# $/);

    await page.getByTestId('tb-run').click();
    const dialog = page.getByTestId('stop-dialog');
    await dialog.waitFor();
    const files = page.getByTestId('stop-files');
    await expect.poll(() => files.textContent()).toContain('pc1: /etc/motd');
    expect(await files.textContent()).toContain('router1: /etc/hosts');
    await page.getByTestId('stop-keep-router1').uncheck();
    await app.screenshot('stop-files');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(200);
    await app.screenshot('stop-files-1920');
    const save = page.getByTestId('stop-save');
    expect(await save.textContent()).toBe('Save, keep ticked files and stop');
    await save.click();
    await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
    const doc = await getDoc(page);
    expect(doc.nodes.find((n) => n.name === 'pc1')!.files).toEqual({ '/etc/motd': 'Welcome to the lab\nsecond line\n' });
    expect(doc.nodes.find((n) => n.name === 'router1')!.files).toBeUndefined();
    // One undo step takes the kept files out again.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'pc1')!.files).toBeUndefined();
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
