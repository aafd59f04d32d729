// DHCP through the app (issue 17): router1's startup writes dhcpd.conf with a here-document
// (checked line by line: the body is not taken for commands) and starts dhcpd; in pc1's
// terminal `dhclient eth0` prints FreeBSD's exchange and binds an address, and ed edits a file; Inspect shows
// the server's lease and the client's; pc2's "Address from DHCP" box gets it an address at
// Start; the legend names DHCP. Screenshots at 1280×720 and
// 1920×1080: test-results/screenshots/dhcp-terminal*.png, dhcp-inspect*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { getDoc, nodeCenter } from './support/canvas';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await app?.close();
});

describe('a DHCP lab', () => {
  it('startup here-document, dhcpd, dhclient in the terminal, leases in Inspect', async () => {
    const { page } = app;
    await page.getByTestId('sample-pc-router-pc').click();
    await page.waitForFunction(() => (globalThis as unknown as { __virtnet: { getDoc(): { nodes: unknown[] } } }).__virtnet.getDoc().nodes.length > 0);
    const r = await nodeCenter(page, 'router1');
    await page.mouse.click(r.x, r.y);
    const area = page.getByTestId('node-startup');
    await area.click();
    const lines = ['cat > /usr/local/etc/dhcpd.conf << EOF', 'subnet 10.0.0.0 netmask 255.255.255.0 {', '  range 10.0.0.100 10.0.0.110;', '  option routers 10.0.0.1;', '}', 'subnet 10.0.1.0 netmask 255.255.255.0 {', '  range 10.0.1.100 10.0.1.110;', '}', 'EOF', 'dhcpd'];
    for (const [k, l] of lines.entries()) {
      await page.keyboard.type(l);
      if (k < lines.length - 1) await page.keyboard.press('Enter');
    }
    await page.waitForTimeout(300);
    expect(await page.getByTestId('node-startup-errors').count()).toBe(0);
    await area.blur();
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'router1')!.startup).toEqual(lines);
    // pc2 asks for its address at Start: the interface's "Address from DHCP" box.
    const p2 = await nodeCenter(page, 'pc2');
    await page.mouse.click(p2.x, p2.y);
    await page.getByTestId('iface-eth0-dhcp').check();
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.dhcp).toBe(true);
    await page.getByTestId('iface-eth0-dhcp').scrollIntoViewIfNeeded();
    await app.screenshot('dhcp-checkbox');

    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const pcRun = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(pcRun.x, pcRun.y);
    const term = page.locator('[data-session] .xterm-helper-textarea').first();
    await term.waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    await term.focus();
    await page.keyboard.type('dhclient eth0', { delay: 5 });
    await page.keyboard.press('Enter');
    const screen = page.locator('[data-session] .xterm-rows').first();
    await expect.poll(() => screen.textContent(), { timeout: 30_000 }).toContain('bound to 10.0.0.100 -- renewal in 21600 seconds.');
    const text = (await screen.textContent()) ?? '';
    expect(text).toContain('DHCPDISCOVER on eth0 to 255.255.255.255 port 67 interval 3');
    expect(text).toContain('DHCPACK from 10.0.0.1');
    await app.screenshot('dhcp-terminal');
    // ed, the line editor, in the same terminal: append a line, write, quit; cat shows it.
    for (const l of ['ed /etc/hosts', 'a', '10.0.0.1 router1', '.', 'w', 'q', 'cat /etc/hosts']) {
      await page.keyboard.type(l, { delay: 5 });
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
    }
    await expect.poll(async () => ((await screen.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('pc1# cat /etc/hosts10.0.0.1 router1');
    // A here-document typed at the prompt: sh's "> " prompt until the delimiter.
    for (const l of ['cat > /etc/motd << EOF', 'hello lab', 'EOF', 'cat /etc/motd']) {
      await page.keyboard.type(l, { delay: 5 });
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
    }
    await expect.poll(async () => ((await screen.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('pc1# cat > /etc/motd << EOF> hello lab> EOFpc1# cat /etc/motdhello lab');
    await app.screenshot('dhcp-ed');

    await page.locator('[data-tab="inspect"]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'router1' });
    const leases = page.locator('.run-table', { hasText: 'dhcpd leases' });
    await leases.waitFor();
    expect(await leases.locator('tbody tr').first().locator('td').first().textContent()).toBe('10.0.0.100');
    await leases.scrollIntoViewIfNeeded();
    await app.screenshot('dhcp-inspect');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await app.screenshot('dhcp-inspect-1920');
    await page.getByTestId('inspect-node').selectOption({ label: 'pc1' });
    await page.locator('.run-table', { hasText: 'dhclient eth0' }).waitFor();
    await app.screenshot('dhcp-inspect-client-1920');
    await page.getByTestId('inspect-node').selectOption({ label: 'pc2' });
    const pc2 = page.locator('.run-table', { hasText: 'dhclient eth0' });
    await expect.poll(() => pc2.textContent(), { timeout: 30_000 }).toContain('10.0.1.100/24');
    expect(app.errors).toEqual([]);
  });
});
