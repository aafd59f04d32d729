// The lab session on a real grader (the engine's gradeNetwork, as the worker runs it):
// opening a lab grades it, locked parts are refused with the lock's words, shell commands
// are recorded into the work record (kept through undo) and graded, and "Check my work"
// failures release the lab's hints.
import { describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../emulator/topology/document';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { bindLab, labRunDoc } from './lab-session';
import { createLabStore } from './lab-store';
import { releasedHints } from '../../emulator/lab/student';
import { directGrader, loadLab } from './lab.test-util';

function open(file: string) {
  const docStore = createDocStore();
  const labStore = createLabStore();
  const session = bindLab({ docStore, labStore, grader: directGrader, settleMs: 0 });
  docStore.getState().load(loadLab(file), { path: null, name: file, format: 'vnet' });
  const idle = async () => {
    for (let i = 0; i < 50 && (labStore.getState().checking || labStore.getState().gradedDoc !== docStore.getState().doc); i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { docStore, labStore, session, idle };
}

const id = (doc: TopologyDoc, name: string) => doc.nodes.find((n) => n.name === name)!.id;

describe('lab session', () => {
  it('grades the lab when it opens, and refuses edits of locked parts naming the lock', async () => {
    const { docStore, labStore, idle } = open('static-routing.vnet');
    await idle();
    expect(labStore.getState().result!.score).toBe(0);
    const before = docStore.getState().doc;
    docStore.getState().select({ links: [before.links[0]!.id] });
    A.deleteSelection(docStore);
    expect(docStore.getState().doc).toBe(before);
    expect(docStore.getState().refused!.message).toMatch(/^Locked by the lab: the link .* was removed or rewired, but links are locked\.$/);
    expect(A.setAddresses(docStore, id(before, 'pc1'), 'eth0', ['10.0.1.99/24'])).toBe('Locked by the lab: the configuration of pc1 was changed, but it is locked.');
    // Not locked: the routers' link addresses (the task) and positions.
    expect(A.setAddresses(docStore, id(before, 'r1'), 'eth1', ['10.0.12.1/30'])).toBeNull();
    A.moveNodes(docStore, { [id(before, 'pc1')]: { x: 5, y: 5 } });
    expect(docStore.getState().doc.nodes.find((n) => n.name === 'pc1')!.position).toEqual({ x: 5, y: 5 });
    await idle();
    expect(labStore.getState().result!.checks.find((c) => c.id === 'r1addr')!.passed).toBe(true);
  });

  it('records shell commands into lab.work (kept through undo) and grades with them', async () => {
    const { docStore, labStore, session, idle } = open('static-routing.vnet');
    A.moveNodes(docStore, { [id(docStore.getState().doc, 'r1')]: { x: 1, y: 1 } });
    session.recordCommand('r1', 'ifconfig eth1 inet 10.0.12.1/30');
    session.recordCommand('r2', 'ifconfig eth1 inet 10.0.12.2/30');
    session.recordCommand('r1', '   ');
    session.recordTranscripts({ r1: 'r1# ifconfig eth1 inet 10.0.12.1/30\n' });
    docStore.getState().undo();
    const work = docStore.getState().doc.lab!.work!;
    expect(work.commands).toEqual([
      { node: 'r1', command: 'ifconfig eth1 inet 10.0.12.1/30' },
      { node: 'r2', command: 'ifconfig eth1 inet 10.0.12.2/30' },
    ]);
    expect(work.transcripts).toEqual({ r1: 'r1# ifconfig eth1 inet 10.0.12.1/30\n' });
    expect(docStore.getState().doc).not.toBe(docStore.getState().savedDoc);
    await idle();
    const passed = labStore.getState().result!.checks.filter((c) => c.passed).map((c) => c.id);
    expect(passed).toEqual(['r1addr', 'r2addr']);
  });

  it('counts "Check my work" failures per check and releases hints after them', async () => {
    const { docStore, labStore, session, idle } = open('static-routing.vnet');
    await idle();
    const lab = docStore.getState().doc.lab!;
    expect(releasedHints(lab, labStore.getState().failures)).toEqual([]);
    await session.check(true);
    expect(labStore.getState().attempts).toBe(1);
    expect(releasedHints(lab, labStore.getState().failures).map((h) => h.check)).toEqual(['r1addr']);
    await session.check(true);
    expect(releasedHints(lab, labStore.getState().failures).map((h) => h.check)).toEqual(['r1addr', 'r1route']);
    // Kept in the work record: a restored document releases the same hints.
    const saved = docStore.getState().doc;
    expect(saved.lab!.work!.failures).toMatchObject({ r1addr: 2, r1route: 2 });
    docStore.getState().load(saved, { path: null, name: 'restored.vnet', format: 'vnet' });
    expect(releasedHints(lab, labStore.getState().failures).map((h) => h.check)).toEqual(['r1addr', 'r1route']);
  });

  it('teacher mode lifts the guard; a document without a lab has none', () => {
    const { docStore, session } = open('static-routing.vnet');
    session.setMode('teacher');
    const doc = docStore.getState().doc;
    expect(A.setAddresses(docStore, id(doc, 'pc1'), 'eth0', ['10.0.1.99/24'])).toBeNull();
    session.setMode('student');
    expect(docStore.getState().guard).not.toBeNull();
    docStore.getState().load({ ...doc, lab: undefined }, { path: null, name: 'x.vnet', format: 'vnet' });
    expect(docStore.getState().guard).toBeNull();
  });

  it('starts a lab network with its setup and the recorded configuring commands as startup lines', () => {
    const doc = loadLab('static-routing.vnet');
    doc.lab!.work = { commands: [{ node: 'r1', command: 'ifconfig eth1 inet 10.0.12.1/30' }, { node: 'r1', command: 'ping -c 1 10.0.12.2' }, { node: 'r2', command: 'route add -net 10.0.1.0/24 10.0.12.1' }], transcripts: {} };
    const run = labRunDoc(doc);
    expect(run.nodes.find((n) => n.name === 'r1')!.startup).toEqual(['ifconfig eth1 inet 10.0.12.1/30']);
    expect(run.nodes.find((n) => n.name === 'r2')!.startup).toEqual(['route add -net 10.0.1.0/24 10.0.12.1']);
    expect(labRunDoc(loadLab('static-routing.vnet'))).toEqual(loadLab('static-routing.vnet'));
  });
});
