// IMUNES's DHCP6 lab in the app (issue 17): DHCP6server's terminal writes dhcpd6.conf and
// starts `service isc-dhcpd6 onerestart`; in PC1's terminal `dhclient -6 -v eth0` prints
// ISC's trace and binds fc00:3::100/128, and `ifconfig eth0 | grep fc00` shows it; Inspect
// shows the server's DHCPv6 leases and the client's lease. Screenshots at 1280×720 and
// 1920×1080: test-results/screenshots/dhcp6-terminal.png, dhcp6-inspect*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { runDocument } from './support/canvas';
import { focus, terminalOf, waitFor } from './support/terminal';
import { dhcp6Imn } from '../scenarios/dhcp6-lab';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await runDocument(app.page, dhcp6Imn(), 'DHCP6.imn');
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('the DHCP6 lab', () => {
  it('dhcpd -6 from a conf typed in the shell, dhclient -6 in PC1\'s terminal, leases in Inspect', async () => {
    const { page } = app;
    const srv = await terminalOf(page, 'DHCP6server');
    await focus(page, srv);
    const conf = 'authoritative;\\nsubnet6 fc00:3::/64 {\\n  range6 fc00:3::100 fc00:3::109;\\n}\\n';
    await page.keyboard.type(`printf '${conf}' > /usr/local/etc/dhcpd6.conf\r`, { delay: 2 });
    await waitFor(page, srv, /dhcpd6\.conf\nDHCP6server# $/);
    await page.keyboard.type('service isc-dhcpd6 onerestart\r', { delay: 2 });
    await waitFor(page, srv, /Starting dhcpd6\.\nDHCP6server# $/);

    const pc = await terminalOf(page, 'PC1');
    await focus(page, pc);
    await page.keyboard.type('dhclient -6 -v eth0\r', { delay: 2 });
    const text = await waitFor(page, pc, /PRC: Expiration scheduled in 43200 seconds\.\nPC1# $/, 60_000);
    expect(text).toMatch(/RCV: Reply message on eth0 from fe80::/);
    await page.keyboard.type('ifconfig eth0 | grep fc00\r', { delay: 2 });
    await waitFor(page, pc, /inet6 fc00:3::100 prefixlen 128[^\n]*\nPC1# $/);
    await app.screenshot('dhcp6-terminal');

    await page.locator('[data-tab="inspect"]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'DHCP6server' });
    const leases = page.locator('.run-table', { hasText: 'dhcpd -6 leases' });
    await leases.waitFor();
    expect(await leases.locator('tbody tr').first().locator('td').first().textContent()).toBe('fc00:3::100');
    await leases.scrollIntoViewIfNeeded();
    await app.screenshot('dhcp6-inspect');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await app.screenshot('dhcp6-inspect-1920');
    await page.getByTestId('inspect-node').selectOption({ label: 'PC1' });
    const client = page.locator('.run-table', { hasText: 'dhclient -6 eth0' });
    await expect.poll(() => client.textContent()).toContain('fc00:3::100/128');
    await app.screenshot('dhcp6-inspect-client-1920');
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
