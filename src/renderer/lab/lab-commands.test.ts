// Submit and the teacher's exports write what `virtnet grade` and students need: the
// submission carries the network, the shell work, the student and the results (kept, never
// trusted); the student version has every hidden field emptied; a plain network becomes a lab.
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../emulator/topology/formats';
import type { TopologyDoc } from '../../emulator/topology/document';
import type { AppServices } from '../app-context';
import type { FileService } from '../file/file-service';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { exportStudentVersion, fileSafe, makeLab, submitWork } from './lab-commands';
import { bindLab } from './lab-session';
import { createLabStore } from './lab-store';
import { directGrader, loadLab } from './lab.test-util';

function services(doc: TopologyDoc) {
  const saved: { name: string; text: string }[] = [];
  const files = { saveAs: async (name: string, encode: (n: string) => string) => (saved.push({ name, text: encode(name) }), { path: null, name }) } as unknown as FileService;
  const docStore = createDocStore();
  docStore.getState().load(doc, { path: null, name: 'static-routing.vnet', format: 'vnet' });
  const s: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files, cyRef: { current: null } };
  return { s, saved };
}

const parse = (text: string) => {
  const r = parseTopology(text, 'x.vnet');
  if (!('doc' in r)) throw new Error(r.errors[0]!.message);
  return r.doc;
};

describe('lab commands', () => {
  it('Submit writes the network, the shell work, the student and the last results', async () => {
    const { s, saved } = services(loadLab('static-routing.vnet'));
    const labStore = createLabStore();
    const session = bindLab({ docStore: s.docStore, labStore, grader: directGrader, settleMs: 0 });
    session.recordCommand('r1', 'ifconfig eth1 inet 10.0.12.1/30');
    await session.check(false);
    expect(await submitWork(s, labStore, '  Zoë O\'Neil ')).toBe("static-routing-Zoë-O-Neil-submission.vnet");
    const sub = parse(saved[0]!.text);
    expect(sub.lab!.student).toBe("Zoë O'Neil");
    expect(sub.lab!.work!.commands).toEqual([{ node: 'r1', command: 'ifconfig eth1 inet 10.0.12.1/30' }]);
    expect(sub.lab!.results).toMatchObject({ score: 1, max: 10, checks: { r1addr: true, r2addr: false } });
    expect(fileSafe('../../etc/passwd')).toBe('etc-passwd');
  });

  it('exports the student version with hidden fields emptied, and makes a plain network a lab', async () => {
    const answer = loadLab('static-routing.vnet');
    answer.nodes.find((n) => n.name === 'r1')!.routes4 = [{ dest: '10.0.2.0/24', gateway: '10.0.12.2' }];
    answer.nodes.find((n) => n.name === 'r1')!.interfaces[1]!.ipv4 = ['10.0.12.1/30'];
    const { s, saved } = services(answer);
    expect(await exportStudentVersion(s)).toBe('static-routing.student.vnet');
    const v = parse(saved[0]!.text);
    expect(v.nodes.find((n) => n.name === 'r1')!.routes4).toEqual([]);
    expect(v.nodes.find((n) => n.name === 'r1')!.interfaces[1]!.ipv4).toEqual([]);
    expect(v.nodes.find((n) => n.name === 'r1')!.interfaces[0]!.ipv4).toEqual(['10.0.1.1/24']);

    const plain = createDocStore();
    expect(makeLab(plain)).toBeNull();
    expect(plain.getState().doc.lab).toMatchObject({ title: 'New lab', checks: [], locks: { kinds: true, links: true } });
  });
});
