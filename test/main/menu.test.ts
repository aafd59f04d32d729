// The menu sends contract commands only, so the renderer can act on every item; developer
// tools are in the menu only when running from the dev server.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronMock);
const { menuTemplate } = await import('../../src/main/menu');
const { MENU_COMMANDS } = await import('../../src/preload/api');

type Item = { click?: () => void; submenu?: Item[]; role?: string };
const roles = (items: Item[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...(i.submenu ? roles(i.submenu) : [])]);

describe('menu', () => {
  it('every clickable item sends a known command, and all file/edit commands are reachable', () => {
    const sent: string[] = [];
    const walk = (items: Item[]) => items.forEach((i) => (i.submenu ? walk(i.submenu) : i.click?.()));
    walk(menuTemplate((c) => sent.push(c), false) as Item[]);
    for (const c of sent) expect(MENU_COMMANDS).toContain(c);
    expect(new Set(sent)).toEqual(new Set(MENU_COMMANDS));
  });

  it('offers developer tools only in development', () => {
    for (const mac of [false, true]) {
      expect(roles(menuTemplate(() => undefined, mac) as Item[]).map((r) => r.toLowerCase())).not.toContain('toggledevtools');
      expect(roles(menuTemplate(() => undefined, mac, true) as Item[])).toContain('toggleDevTools');
    }
  });
});
