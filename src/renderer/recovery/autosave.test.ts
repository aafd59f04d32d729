// Autosave writes the document and its run output while there is unsaved work, settles
// after edits, clears as soon as the document is saved, opened or replaced, and its
// snapshots pass the recovery schema and restore to the same document.
import { afterEach, describe, expect, it } from 'vitest';
import * as E from '../../emulator/topology/edit';
import { emptyDocument } from '../../emulator/topology/document';
import { parseSnapshot, emptyRun } from '../../shared/recovery';
import { decodeTopology } from '../file/doc-codec';
import { createDocStore } from '../store/doc-store';
import { startAutosave, type Autosave } from './autosave';
import { memoryRecovery } from './backend';
import type { RunSource } from './run-snapshot';

const ID = 'aaaaaaaa-test';
let autosave: Autosave | null = null;
afterEach(() => autosave?.stop());

function fakeRun(): RunSource & { out: string } {
  const r = {
    out: '',
    key: () => String(r.out.length),
    snapshot: () => ({ ...emptyRun(), terminals: r.out ? [{ node: 'pc1', transcript: r.out }] : [] }),
  };
  return r;
}

const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('autosave', () => {
  it('writes an edited document shortly after the edit, and nothing while clean', async () => {
    const docStore = createDocStore();
    const backend = memoryRecovery();
    autosave = startAutosave({ id: ID, docStore, backend, settleMs: 10, intervalMs: 60_000, nowMs: () => 1_700_000_000_000 });
    await autosave.flush();
    expect(backend.entries.size).toBe(0);
    docStore.getState().edit((d) => E.addNode(d, 'router', { x: 5, y: 6 }).doc);
    await wait(40);
    const snap = backend.entries.get(ID)!;
    expect(parseSnapshot(snap)).toEqual(snap);
    expect(snap).toMatchObject({ dirty: true, nodes: 1, savedAtMs: 1_700_000_000_000, file: { handle: null, name: 'untitled.vnet', format: 'vnet' } });
    const back = decodeTopology(snap.docText, 'recovered.vnet');
    expect(back.ok && back.doc).toEqual(docStore.getState().doc);
    // Unchanged since: no second write.
    await autosave.flush();
    expect(autosave.writes).toBe(1);
  });

  it('clears the snapshot when the document is saved, and when another is opened', async () => {
    const docStore = createDocStore();
    const backend = memoryRecovery();
    autosave = startAutosave({ id: ID, docStore, backend, settleMs: 5, intervalMs: 60_000 });
    docStore.getState().edit((d) => E.addNode(d, 'pc', { x: 0, y: 0 }).doc);
    await autosave.flush();
    expect(backend.entries.has(ID)).toBe(true);
    docStore.getState().markSaved({ path: 'file-' + 'a'.repeat(32), name: 'lab.vnet', format: 'vnet' });
    await autosave.flush();
    expect(backend.entries.has(ID)).toBe(false);
    docStore.getState().edit((d) => E.addNode(d, 'pc', { x: 50, y: 0 }).doc);
    await autosave.flush();
    expect(backend.entries.get(ID)!.file).toEqual({ handle: 'file-' + 'a'.repeat(32), name: 'lab.vnet', format: 'vnet' });
    docStore.getState().load(emptyDocument(), { path: null, name: 'other.vnet', format: 'vnet' });
    await autosave.flush();
    expect(backend.entries.has(ID)).toBe(false);
  });

  it('keeps run output since the last save, even for a clean document', async () => {
    const docStore = createDocStore();
    const backend = memoryRecovery();
    const run = fakeRun();
    autosave = startAutosave({ id: ID, docStore, backend, run, settleMs: 5, intervalMs: 60_000 });
    run.out = 'pc1# ping -c 1 10.0.0.1\r\n64 bytes from 10.0.0.1\r\n';
    await autosave.flush();
    expect(backend.entries.get(ID)).toMatchObject({ dirty: false, run: { terminals: [{ node: 'pc1', transcript: run.out }] } });
    docStore.getState().markSaved({ path: null, name: 'lab.vnet', format: 'vnet' });
    await autosave.flush();
    expect(backend.entries.has(ID)).toBe(false);
  });

  it('reports a failing store instead of throwing at the editor', async () => {
    const docStore = createDocStore();
    const errors: unknown[] = [];
    const backend = { save: async () => Promise.reject(new Error('disk full')), list: async () => [], clear: async () => undefined };
    autosave = startAutosave({ id: ID, docStore, backend, onError: (e) => errors.push(e), intervalMs: 60_000 });
    docStore.getState().edit((d) => E.addNode(d, 'pc', { x: 0, y: 0 }).doc);
    await autosave.flush();
    expect(String(errors[0])).toContain('disk full');
  });
});
