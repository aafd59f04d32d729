// The Electron file service names files to main only by the handles main issued: open, save,
// save-as and recent files all round-trip handles, never paths.
import { describe, expect, it, vi } from 'vitest';
import type { VirtnetDesktopApi } from '../../preload/api';
import { electronFileService } from './file-service';

const H1 = 'file-' + '1'.repeat(32);
const H2 = 'file-' + '2'.repeat(32);

function fakeApi() {
  const calls: unknown[][] = [];
  const answers: Record<string, unknown> = {
    'file/open': { handle: H1, name: 'lab.vnet', text: '{}' },
    'file/save': { handle: H1, name: 'lab.vnet' },
    'file/choose-save-path': { handle: H2, name: 'copy.imn' },
    'file/recent': [{ handle: H1, name: 'lab.vnet', location: '/home/u/lab.vnet' }],
    'file/read': { handle: H1, name: 'lab.vnet', text: '{"v":1}' },
  };
  const api = { invoke: vi.fn(async (channel: string, ...args: unknown[]) => (calls.push([channel, ...args]), answers[channel])) } as unknown as VirtnetDesktopApi;
  return { api, calls };
}

describe('electron file service', () => {
  it('uses main-issued handles for every read and write', async () => {
    const { api, calls } = fakeApi();
    const files = electronFileService(api);
    expect(await files.open()).toEqual({ path: H1, name: 'lab.vnet', text: '{}' });
    expect(await files.save(H1, 'lab.vnet', () => 'TEXT')).toEqual({ path: H1, name: 'lab.vnet' });
    expect(calls.at(-1)).toEqual(['file/save', H1, 'TEXT']);
    await files.saveAs('lab.vnet', (name) => `as ${name}`);
    expect(calls.at(-1)).toEqual(['file/save', H2, 'as copy.imn']);
    expect(await files.recent()).toEqual(['/home/u/lab.vnet']);
    expect(await files.openRecent('/home/u/lab.vnet')).toEqual({ path: H1, name: 'lab.vnet', text: '{"v":1}' });
    expect(calls.at(-1)).toEqual(['file/read', H1]);
    await expect(files.openRecent('/etc/passwd')).rejects.toThrow(/no longer in the recent files/);
    expect(calls.some((c) => c.includes('/etc/passwd') || c.includes('/home/u/lab.vnet'))).toBe(false);
  });
});
