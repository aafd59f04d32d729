// Property tests over random documents built with the edit operations: the .vnet and
// .imn writers/readers round-trip them, and every document stays valid.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyDocument, type TopologyDoc } from '../../src/emulator/topology/document';
import { addAnnotation, addLink, addNode, removeNodes, setLinkParams } from '../../src/emulator/topology/edit';
import { parseVnet, serializeVnet } from '../../src/emulator/topology/vnet';
import { readImn, writeImn } from '../../src/emulator/topology/imunes';
import { checkDocument } from '../../src/emulator/topology/check';

const kinds = ['pc', 'host', 'router', 'lanswitch', 'hub', 'rj45'] as const;
const params = fc.record({
  bandwidthBps: fc.nat(1_000_000_000),
  delayUs: fc.nat(1_000_000),
  lossPercent: fc.integer({ min: 0, max: 100 }),
  dupPercent: fc.integer({ min: 0, max: 100 }),
  berOneIn: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1e9 })),
}, { requiredKeys: [] });

const op = fc.oneof(
  fc.record({ t: fc.constant('node' as const), k: fc.constantFrom(...kinds), x: fc.integer({ min: 0, max: 2000 }), y: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ t: fc.constant('link' as const), a: fc.nat(30), b: fc.nat(30) }),
  fc.record({ t: fc.constant('rm' as const), a: fc.nat(30) }),
  fc.record({ t: fc.constant('params' as const), a: fc.nat(30), p: params, dir: fc.constantFrom('both' as const, 'ab' as const, 'ba' as const) }),
  fc.record({ t: fc.constant('ann' as const), label: fc.string({ maxLength: 10 }) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function buildDoc(ops: Op[]): TopologyDoc {
  let doc = emptyDocument();
  for (const o of ops) {
    const ids = doc.nodes.map((n) => n.id);
    if (o.t === 'node') doc = addNode(doc, o.k, { x: o.x, y: o.y }).doc;
    else if (o.t === 'link' && ids.length > 1) {
      const r = addLink(doc, ids[o.a % ids.length]!, ids[o.b % ids.length]!);
      if (!('error' in r)) doc = r.doc;
    } else if (o.t === 'rm' && ids.length) doc = removeNodes(doc, [ids[o.a % ids.length]!]);
    else if (o.t === 'params' && doc.links.length) {
      const r = setLinkParams(doc, doc.links[o.a % doc.links.length]!.id, o.p, o.dir);
      if ('error' in r) throw new Error(r.error);
      doc = r.doc;
    } else if (o.t === 'ann') doc = addAnnotation(doc, { kind: 'text', canvas: 'c0', coords: [10, 20], label: o.label }).doc;
  }
  return doc;
}

describe('random documents', () => {
  it('stay valid and round-trip through .vnet exactly', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const doc = buildDoc(ops);
      // No errors; random links may close a loop of switches, which is a warning (l2-loops.ts)
      // and comes back, located, when the file is read.
      const issues = checkDocument(doc);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      const text = serializeVnet(doc);
      const back = parseVnet(text, 'p.vnet');
      expect('doc' in back && back.doc).toEqual(doc);
      expect('warnings' in back && back.warnings.map((w) => w.message)).toEqual(issues.map((i) => i.message));
    }), { numRuns: 120 });
  });

  it('round-trip through IMUNES .imn keeping the network (lo0 added, forwarding left to the kind)', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const doc = buildDoc(ops);
      const r = readImn(writeImn(doc), 'p.imn');
      if ('errors' in r) throw new Error(r.errors[0]!.message);
      // .imn keeps a router's router_config, not frr.conf text: IMUNES regenerates that text
      // from it on load (getRouterProtocolCfg), so the same protocols run.
      const back = r.doc.nodes.map(({ interfaces, frrConf, ...n }) => ({ ...n, interfaces: interfaces.filter((i) => i.type !== 'lo'), rip: /^router rip$/m.test(frrConf ?? '') }));
      expect(back).toEqual(doc.nodes.map(({ forwarding: _f, frrConf, ...n }) => ({ ...n, rip: /^router rip$/m.test(frrConf ?? '') })));
      expect(r.doc.links).toEqual(doc.links);
      expect(r.doc.annotations).toEqual(doc.annotations);
    }), { numRuns: 120 });
  });
});
