// The menu sends contract commands only, so the renderer can act on every item.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronMock);
const { menuTemplate } = await import('../../src/main/menu');
const { MENU_COMMANDS } = await import('../../src/preload/api');

type Item = { click?: () => void; submenu?: Item[] };

describe('menu', () => {
  it('every clickable item sends a known command, and all file/edit commands are reachable', () => {
    const sent: string[] = [];
    const walk = (items: Item[]) => items.forEach((i) => (i.submenu ? walk(i.submenu) : i.click?.()));
    walk(menuTemplate((c) => sent.push(c), false) as Item[]);
    for (const c of sent) expect(MENU_COMMANDS).toContain(c);
    expect(new Set(sent)).toEqual(new Set(MENU_COMMANDS));
  });
});
