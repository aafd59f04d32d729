// nc between two node terminals in a real browser (issue 14): `nc -l` on pc2 reads what is
// typed in its terminal, `nc -v` on pc1 connects through the router, lines typed on either
// side appear on the other, and Ctrl-C on pc1 ends both. Screenshot: nc-chat.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import type { App } from './support/app';
import { focus, startRunning, terminalOf, waitFor } from './support/terminal';

let app: App;
let doc: TopologyDoc;

beforeAll(async () => {
  ({ app, doc } = await startRunning('pc-router-pc.vnet'));
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('nc chat between two terminals', () => {
  it('typed lines cross the router both ways; Ctrl-C ends both sides', async () => {
    const { page } = app;
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    const server = await terminalOf(page, 'pc2');
    await focus(page, server);
    await page.keyboard.type('nc -lv 5000\r');
    const client = await terminalOf(page, 'pc1');
    await focus(page, client);
    await page.keyboard.type(`nc -v ${pc2Addr} 5000\r`);
    await waitFor(page, client, /Connection to [\d.]+ 5000 port \[tcp\/\*\] succeeded!\n?$/);
    await page.keyboard.type('hello from pc1\r');
    await waitFor(page, server, /Connection from [\d.]+ \d+ received!\nhello from pc1\n?$/);
    await focus(page, server);
    await page.keyboard.type('hi, pc2 here\r');
    await waitFor(page, client, /hello from pc1\nhi, pc2 here\n?$/);
    await app.screenshot('nc-chat');
    await focus(page, client);
    await page.keyboard.press('Control+c');
    await waitFor(page, client, /\^C\npc1# $/);
    await waitFor(page, server, /hi, pc2 here\npc2# $/);
    // Back at the prompt, typing is for the shell again.
    await focus(page, client);
    await page.keyboard.type('hostname\r');
    await waitFor(page, client, /pc1# hostname\npc1\npc1# $/);
    expect(app.errors).toEqual([]);
  });
});
