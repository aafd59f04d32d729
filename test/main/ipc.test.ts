// Main-process IPC under plain Node with a fake `electron`: every channel is registered,
// bad arguments are refused before any handler runs, saves are atomic and recorded.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dialogAnswers, fakeWindow, handlers, listeners } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronMock);

const { registerIpc } = await import('../../src/main/ipc');
const { RecentFiles } = await import('../../src/main/recent-files');
const { INVOKE_ARGS, CHANNELS } = await import('../../src/preload/api');

const event = { sender: {} };
let dir: string;
const posted: unknown[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtnet-ipc-'));
  handlers.clear();
  listeners.clear();
  posted.length = 0;
  dialogAnswers.open = [];
  dialogAnswers.save = '';
  registerIpc({ recent: new RecentFiles(join(dir, 'recent.json')), enginePost: (m) => posted.push(m) });
});

const invoke = (channel: string, ...args: unknown[]) => handlers.get(channel)!(event, ...args) as Promise<{ ok: boolean; result?: unknown; error?: string }>;

describe('ipc', () => {
  it('registers a handler for every contract channel', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(INVOKE_ARGS).sort());
  });

  it('refuses bad arguments with the channel and reason, without acting', async () => {
    const target = join(dir, 'x.vnet');
    expect(await invoke('file/save', target, 42)).toMatchObject({ ok: false, error: expect.stringContaining('file/save') });
    expect(await invoke('file/save', '', 'text')).toMatchObject({ ok: false });
    expect(await invoke('file/read')).toMatchObject({ ok: false });
    expect(await invoke('window/set-title', 'x', 'yes')).toMatchObject({ ok: false });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('saves atomically, reads back, and records recent files', async () => {
    const target = join(dir, 'net.vnet');
    await writeFile(target, 'old');
    expect(await invoke('file/save', target, '{"version":1}')).toEqual({ ok: true, result: { path: target, name: 'net.vnet' } });
    expect(await readFile(target, 'utf8')).toBe('{"version":1}');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await invoke('file/read', target)).toEqual({ ok: true, result: { path: target, name: 'net.vnet', text: '{"version":1}' } });
    expect(await invoke('file/recent')).toEqual({ ok: true, result: [target] });
  });

  it('returns file errors as values', async () => {
    const r = await invoke('file/read', join(dir, 'missing.imn'));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/ENOENT/);
  });

  it('uses the native dialogs for open and save-as', async () => {
    expect(await invoke('file/open')).toEqual({ ok: true, result: null });
    const target = join(dir, 'picked.imn');
    await writeFile(target, 'node n0 {}');
    dialogAnswers.open = [target];
    expect(await invoke('file/open')).toMatchObject({ ok: true, result: { name: 'picked.imn', text: 'node n0 {}' } });
    dialogAnswers.save = join(dir, 'saved.vnet');
    expect(await invoke('file/choose-save-path', 'untitled.vnet')).toEqual({ ok: true, result: { path: dialogAnswers.save, name: 'saved.vnet' } });
    expect(await invoke('file/save', dialogAnswers.save, 'abc')).toMatchObject({ ok: true, result: { name: 'saved.vnet' } });
    expect(await readFile(dialogAnswers.save, 'utf8')).toBe('abc');
  });

  it('sets the window title and edited mark', async () => {
    await invoke('window/set-title', 'net.vnet • VirtNet', true);
    expect(fakeWindow.setTitle).toHaveBeenCalledWith('net.vnet • VirtNet');
    expect(fakeWindow.setDocumentEdited).toHaveBeenCalledWith(true);
  });

  it('relays only well-formed engine envelopes', () => {
    const post = listeners.get(CHANNELS.enginePost)!;
    post(event, { id: 1, request: { type: 'net/stop' } });
    post(event, { id: -1, request: { type: 'net/stop' } });
    post(event, { id: 2, request: { type: 'rm -rf' } });
    post(event, 'garbage');
    expect(posted).toEqual([{ id: 1, request: { type: 'net/stop' } }]);
  });
});
