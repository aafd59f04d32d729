// Property tests over mutated documents (issue 10, "Files"): whatever a reader accepts, the
// engine can start without throwing, and whatever VirtNet then writes (.vnet or .imn) its
// own readers accept again. Documents are built with the edit operations, written in both
// formats, then mutated structurally (json-mutations.ts) before being read back.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyDocument, type TopologyDoc } from '../../src/emulator/topology/document';
import { addAnnotation, addLink, addNode, setInterfaceMtu } from '../../src/emulator/topology/edit';
import { parseTopology, serializeTopology } from '../../src/emulator/topology/formats';
import { World } from '../../src/emulator/engine/world';
import { mulberry32, mutateJson } from '../support/json-mutations';

const kinds = ['pc', 'host', 'router', 'lanswitch', 'hub', 'rj45'] as const;

const op = fc.oneof(
  fc.record({ t: fc.constant('node' as const), k: fc.constantFrom(...kinds) }),
  fc.record({ t: fc.constant('link' as const), a: fc.nat(12), b: fc.nat(12) }),
  fc.record({ t: fc.constant('ann' as const), label: fc.string({ maxLength: 6 }) }),
  fc.record({ t: fc.constant('mtu' as const), a: fc.nat(12), mtu: fc.integer({ min: 68, max: 9000 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function buildDoc(ops: Op[]): TopologyDoc {
  let doc = emptyDocument();
  for (const o of ops) {
    const ids = doc.nodes.map((n) => n.id);
    if (o.t === 'node') doc = addNode(doc, o.k, { x: 100 + ids.length * 50, y: 100 }).doc;
    else if (o.t === 'link' && ids.length > 1) {
      const r = addLink(doc, ids[o.a % ids.length]!, ids[o.b % ids.length]!);
      if (!('error' in r)) doc = r.doc;
    } else if (o.t === 'ann') doc = addAnnotation(doc, { kind: 'rectangle', canvas: 'c0', coords: [10, 20, 30, 40], label: o.label }).doc;
    else if (o.t === 'mtu' && ids.length) {
      const n = doc.nodes[o.a % ids.length]!;
      const r = n.interfaces[0] ? setInterfaceMtu(doc, n.id, n.interfaces[0].name, o.mtu) : null;
      if (r && !('error' in r)) doc = r.doc;
    }
  }
  return doc;
}

/** The contract for one accepted document; returns what went wrong, or null. */
function acceptedContract(doc: TopologyDoc): string | null {
  try {
    new World(doc, { seed: 1 });
  } catch (err) {
    return `the engine threw on an accepted document: ${(err as Error).message}`;
  }
  for (const out of ['again.vnet', 'again.imn']) {
    const text = serializeTopology(doc, out);
    const back = parseTopology(text, out);
    if ('errors' in back) return `${out} written from an accepted document is rejected: ${back.errors[0]!.message}`;
  }
  return null;
}

const cases = fc.record({ ops: fc.array(op, { minLength: 2, maxLength: 14 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), n: fc.integer({ min: 1, max: 4 }), imn: fc.boolean() });

describe('accepted documents run and re-save', () => {
  it('every mutated document a reader accepts starts in the engine and writes a file that reads back', () => {
    let accepted = 0;
    fc.assert(fc.property(cases, ({ ops, seed, n, imn }) => {
      const file = imn ? 'm.imn' : 'm.vnet';
      const raw = JSON.parse(serializeTopology(buildDoc(ops), file)) as unknown;
      const log = mutateJson(raw, mulberry32(seed), n);
      const r = parseTopology(JSON.stringify(raw, null, 1), file);
      if ('errors' in r) {
        for (const e of r.errors) expect(e.message, `mutations ${log.join('; ')}`).not.toMatch(/[\n\r\u0000]/);
        return;
      }
      accepted++;
      expect(acceptedContract(r.doc), `SEED=${seed} ${file} mutations: ${log.join('; ')}`).toBeNull();
    }), { numRuns: Number(process.env.PROP_RUNS ?? 600) });
    // The mutations must leave enough documents valid for the property to mean something.
    expect(accepted).toBeGreaterThan(100);
  }, 600_000);
});

describe('regressions found by the property', () => {
  it('an interface lo0 of type phys on a pc is a located error, not an engine TypeError', () => {
    const doc = buildDoc([{ t: 'node', k: 'pc' }, { t: 'node', k: 'pc' }, { t: 'link', a: 0, b: 1 }]);
    const raw = JSON.parse(serializeTopology(doc, 'x.vnet'));
    raw.nodes[0].interfaces[0].name = 'lo0';
    raw.links[0].a.iface = 'lo0';
    const text = JSON.stringify(raw, null, 2);
    const r = parseTopology(text, 'x.vnet');
    expect('errors' in r && r.errors.map((e) => [e.line, e.message])).toEqual([
      [text.split('\n').findIndex((l) => l.includes('"type": "phys"')) + 1, 'pc1 lo0: the loopback interface must have type "lo", not "phys"'],
    ]);
  });
});
