// Main-process IPC under plain Node with a fake `electron`: every channel is registered,
// only the app's own page may call, bad arguments are refused before any handler runs,
// files are reached only through handles main issued, saves are atomic and recorded.
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_INDEX, dialogAnswers, fakeWindow, handlers, ipcEvent, listeners } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronMock);

const { registerIpc } = await import('../../src/main/ipc');
const { RecentFiles } = await import('../../src/main/recent-files');
const { FileCapabilities } = await import('../../src/main/file-capabilities');
const { RecoveryStore } = await import('../../src/main/recovery-store');
const { appOrigin } = await import('../../src/main/sender');
const { INVOKE_ARGS, CHANNELS } = await import('../../src/preload/api');

let dir: string;
const posted: unknown[] = [];
const logged: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtnet-ipc-'));
  handlers.clear();
  listeners.clear();
  posted.length = 0;
  logged.length = 0;
  dialogAnswers.open = [];
  dialogAnswers.save = '';
  const caps = new FileCapabilities();
  registerIpc({
    recent: new RecentFiles(join(dir, 'recent.json')),
    caps,
    recovery: new RecoveryStore(join(dir, 'recovery'), caps),
    trusted: appOrigin(APP_INDEX, null),
    enginePost: (m) => posted.push(m),
    log: (l) => logged.push(l),
  });
});

type Reply = { ok: boolean; result?: any; error?: string };
const invokeFrom = (event: unknown, channel: string, ...args: unknown[]) => handlers.get(channel)!(event, ...args) as Promise<Reply>;
const invoke = (channel: string, ...args: unknown[]) => invokeFrom(ipcEvent(), channel, ...args);

/** Opens `path` through the (scripted) native dialog and returns main's handle for it. */
async function pick(path: string): Promise<string> {
  dialogAnswers.open = [path];
  const r = await invoke('file/open');
  expect(r.ok).toBe(true);
  return r.result.handle;
}

describe('ipc', () => {
  it('registers a handler for every contract channel', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(INVOKE_ARGS).sort());
  });

  it('refuses bad arguments with the channel and reason, without acting', async () => {
    expect(await invoke('file/save', 'file-' + '0'.repeat(32), 42)).toMatchObject({ ok: false, error: expect.stringContaining('file/save') });
    expect(await invoke('file/save', '', 'text')).toMatchObject({ ok: false });
    expect(await invoke('file/read')).toMatchObject({ ok: false });
    expect(await invoke('window/set-title', 'x', 'yes')).toMatchObject({ ok: false });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('never reads or writes a path the renderer names (only handles main issued)', async () => {
    const secret = join(dir, 'secret.txt');
    await writeFile(secret, 'private key');
    expect(await invoke('file/read', secret)).toMatchObject({ ok: false, error: expect.stringContaining('not a file handle') });
    expect(await invoke('file/save', join(dir, 'evil.vnet'), 'x')).toMatchObject({ ok: false });
    // A well-formed handle main never issued is refused too.
    expect(await invoke('file/read', 'file-' + 'a'.repeat(32))).toMatchObject({ ok: false, error: expect.stringContaining('no longer available') });
    expect(await invoke('file/save', 'file-' + 'b'.repeat(32), 'x')).toMatchObject({ ok: false });
    expect((await readdir(dir)).sort()).toEqual(['secret.txt']);
  });

  it('saves atomically through the handle of a picked file, reads back, and records recent files', async () => {
    const target = join(dir, 'net.vnet');
    await writeFile(target, 'old');
    const handle = await pick(target);
    expect(handle).toMatch(/^file-[0-9a-f]{32}$/);
    expect(await invoke('file/save', handle, '{"version":1}')).toEqual({ ok: true, result: { handle, name: 'net.vnet' } });
    expect(await readFile(target, 'utf8')).toBe('{"version":1}');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const recent = await invoke('file/recent');
    expect(recent.result).toEqual([{ handle, name: 'net.vnet', location: target }]);
    expect(await invoke('file/read', recent.result[0].handle)).toEqual({ ok: true, result: { handle, name: 'net.vnet', text: '{"version":1}' } });
  });

  it('gives recent files from an earlier run fresh handles', async () => {
    const target = join(dir, 'old.imn');
    await writeFile(target, 'node n0 {}');
    await new RecentFiles(join(dir, 'recent.json')).add(target);
    const recent = await invoke('file/recent');
    expect(recent.result[0]).toMatchObject({ name: 'old.imn', location: target });
    expect(await invoke('file/read', recent.result[0].handle)).toMatchObject({ ok: true, result: { text: 'node n0 {}' } });
  });

  it('returns file errors as values', async () => {
    dialogAnswers.open = [join(dir, 'vanished.vnet')]; // chosen, then deleted before reading
    const r = await invoke('file/open');
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/ENOENT/);
  });

  it('refuses to open a device or an oversized file', async () => {
    dialogAnswers.open = ['/dev/zero'];
    expect(await invoke('file/open')).toMatchObject({ ok: false, error: expect.stringContaining('not a regular file') });
    dialogAnswers.open = [dir];
    expect(await invoke('file/open')).toMatchObject({ ok: false, error: expect.stringContaining('not a regular file') });
    const big = join(dir, 'big.vnet');
    await writeFile(big, '');
    await truncate(big, 65 * 1024 * 1024);
    dialogAnswers.open = [big];
    expect(await invoke('file/open')).toMatchObject({ ok: false, error: expect.stringContaining('at most 64 MB') });
  });

  it('uses the native dialogs for open and save-as', async () => {
    expect(await invoke('file/open')).toEqual({ ok: true, result: null });
    const target = join(dir, 'picked.imn');
    await writeFile(target, 'node n0 {}');
    dialogAnswers.open = [target];
    expect(await invoke('file/open')).toMatchObject({ ok: true, result: { name: 'picked.imn', text: 'node n0 {}' } });
    dialogAnswers.save = join(dir, 'saved.vnet');
    const where = await invoke('file/choose-save-path', 'untitled.vnet');
    expect(where).toMatchObject({ ok: true, result: { name: 'saved.vnet', handle: expect.stringMatching(/^file-/) } });
    expect(await invoke('file/save', where.result.handle, 'abc')).toMatchObject({ ok: true, result: { name: 'saved.vnet' } });
    expect(await readFile(dialogAnswers.save, 'utf8')).toBe('abc');
  });

  it('sets the window title and edited mark', async () => {
    await invoke('window/set-title', 'net.vnet • VirtNet', true);
    expect(fakeWindow.setTitle).toHaveBeenCalledWith('net.vnet • VirtNet');
    expect(fakeWindow.setDocumentEdited).toHaveBeenCalledWith(true);
  });

  it('refuses every channel from a sender that is not the app page', async () => {
    const target = join(dir, 'net.vnet');
    await writeFile(target, 'data');
    const handle = await pick(target);
    const strangers = [
      ipcEvent('https://evil.example/'),
      ipcEvent('file:///tmp/other.html'),
      ipcEvent('file:///app/out/renderer/index.html', { parent: {} }), // an iframe inside our page
      { sender: { id: 1, send: vi.fn() }, senderFrame: null }, // the frame navigated away or is gone
    ];
    for (const ev of strangers) {
      expect(await invokeFrom(ev, 'file/read', handle)).toMatchObject({ ok: false, error: expect.stringContaining('refused') });
      expect(await invokeFrom(ev, 'file/save', handle, 'pwned')).toMatchObject({ ok: false });
      expect(await invokeFrom(ev, 'file/recent')).toMatchObject({ ok: false });
      listeners.get(CHANNELS.enginePost)!(ev, { id: 1, request: { type: 'net/stop' } });
    }
    expect(await readFile(target, 'utf8')).toBe('data');
    expect(posted).toEqual([]);
    expect(logged.filter((l) => l.includes('refused')).length).toBeGreaterThanOrEqual(16);
    // The same page with a hash or query is still the app.
    expect(await invokeFrom(ipcEvent('file:///app/out/renderer/index.html#x'), 'file/recent')).toMatchObject({ ok: true });
  });

  it('trusts the dev server origin only when running from it', async () => {
    handlers.clear();
    const caps = new FileCapabilities();
    registerIpc({ recent: new RecentFiles(join(dir, 'r2.json')), caps, recovery: new RecoveryStore(join(dir, 'rec2'), caps), trusted: appOrigin(APP_INDEX, 'http://localhost:5173/'), log: (l) => logged.push(l) });
    expect(await invokeFrom(ipcEvent('http://localhost:5173/index.html'), 'file/recent')).toMatchObject({ ok: true });
    expect(await invokeFrom(ipcEvent('http://localhost:5174/'), 'file/recent')).toMatchObject({ ok: false });
    expect(await invokeFrom(ipcEvent('file:///app/out/renderer/index.html'), 'file/recent')).toMatchObject({ ok: false });
  });

  it('keeps recovery snapshots through validated channels, and forgets them on a clean close', async () => {
    const target = join(dir, 'lab.vnet');
    await writeFile(target, '{}');
    const handle = await pick(target);
    expect(await invoke('recovery/list')).toEqual({ ok: true, result: [] }); // the page starts
    const snapshot = { id: 'abcdef12-0001', savedAtMs: 1000, dirty: true, file: { handle, name: 'lab.vnet', format: 'vnet' }, docText: '{"version":1}', nodes: 0, run: { terminals: [], captures: [], log: [] } };
    expect(await invoke('recovery/save', { ...snapshot, evil: 1 })).toMatchObject({ ok: false });
    expect(await invoke('recovery/save', { ...snapshot, id: '../../etc/x' })).toMatchObject({ ok: false });
    expect(await invoke('recovery/save', snapshot)).toEqual({ ok: true, result: null });
    expect(await readdir(join(dir, 'recovery'))).toEqual(['abcdef12-0001.json']);
    listeners.get(CHANNELS.closeOk)!(ipcEvent(), undefined);
    await expect.poll(() => readdir(join(dir, 'recovery'))).toEqual([]);
  });

  it('offers a crashed page\'s snapshot to the next page with a handle that still saves', async () => {
    const target = join(dir, 'lab.vnet');
    await writeFile(target, '{}');
    const handle = await pick(target);
    const snapshot = { id: 'abcdef12-0002', savedAtMs: 1000, dirty: true, file: { handle, name: 'lab.vnet', format: 'vnet' }, docText: '{"version":1}', nodes: 0, run: { terminals: [], captures: [], log: [] } };
    expect(await invoke('recovery/save', snapshot)).toEqual({ ok: true, result: null });
    const listed = await invoke('recovery/list'); // the reloaded page starts
    expect(listed.result).toEqual([{ ...snapshot, file: { ...snapshot.file, handle: expect.stringMatching(/^file-/) } }]);
    expect(await invoke('file/save', listed.result[0].file.handle, 'restored')).toMatchObject({ ok: true });
    expect(await readFile(target, 'utf8')).toBe('restored');
    // Closing the new page cleanly does not throw away the crashed page's work.
    listeners.get(CHANNELS.closeOk)!(ipcEvent(), undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(await readdir(join(dir, 'recovery'))).toEqual(['abcdef12-0002.json']);
  });

  it('relays only engine requests whose arguments fit their type, and answers the others', () => {
    const post = listeners.get(CHANNELS.enginePost)!;
    const ev = ipcEvent();
    post(ev, { id: 1, request: { type: 'net/stop' } });
    post(ev, { id: -1, request: { type: 'net/stop' } });
    post(ev, { id: 2, request: { type: 'rm -rf' } });
    post(ev, { id: 3, request: { type: 'shell/exec', session: 'x', line: 'ping' } });
    post(ev, { id: 4, request: { type: 'link/set-params', link: 'l1', params: { lossPercent: 500 } } });
    post(ev, 'garbage');
    expect(posted).toEqual([{ id: 1, request: { type: 'net/stop' } }]);
    const answered = ev.sender.send.mock.calls.map((c) => (c[1] as { id: number }).id);
    expect(answered).toEqual([2, 3, 4]);
    expect(ev.sender.send.mock.calls[1]![1]).toMatchObject({ kind: 'reply', ok: false, error: { code: 'bad-request', message: expect.stringContaining('session') } });
  });
});
