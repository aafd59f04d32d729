import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/emulator/topology/document';
import { addLink, addNode } from '../../src/emulator/topology/edit';
import { parseVnet, serializeVnet } from '../../src/emulator/topology/vnet';
import { formatDiagnostic } from '../../src/emulator/topology/diagnostics';

function sample() {
  let doc = emptyDocument();
  doc = addNode(doc, 'pc', { x: 100, y: 100 }).doc;
  doc = addNode(doc, 'router', { x: 300, y: 100 }).doc;
  const r = addLink(doc, 'n0', 'n1');
  if ('error' in r) throw new Error(r.error);
  return r.doc;
}

function errorsOf(text: string) {
  const r = parseVnet(text, 'bad.vnet');
  if (!('errors' in r)) throw new Error('expected errors');
  return r.errors.map(formatDiagnostic);
}

describe('.vnet', () => {
  it('round-trips and is stable', () => {
    const doc = sample();
    const text = serializeVnet(doc);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "nodes": [\n');
    expect(text).toContain('"position": { "x": 100, "y": 100 }');
    const back = parseVnet(text, 'x.vnet');
    expect(back).toEqual({ doc, warnings: [] });
    expect(serializeVnet((back as { doc: typeof doc }).doc)).toBe(text);
  });

  it('locates a truncated file at its end', () => {
    const text = serializeVnet(sample());
    const cut = text.slice(0, text.indexOf('"links"'));
    const errs = errorsOf(cut);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^bad\\.vnet:${cut.split('\n').length}: invalid JSON: unexpected end of file`));
  });

  it('refuses newer, missing and wrong versions with clear messages', () => {
    const text = serializeVnet(sample());
    expect(errorsOf(text.replace('"version": 1', '"version": 7'))[0]).toBe(
      'bad.vnet:2: written by a newer VirtNet (document version 7); this VirtNet reads version 1 and older — please update VirtNet');
    expect(errorsOf(text.replace('"version": 1,', ''))[0]).toMatch(/^bad\.vnet:1: missing "version"/);
    expect(errorsOf(text.replace('"version": 1', '"version": "one"'))[0]).toMatch(/^bad\.vnet:2: "version" must be a whole number/);
  });

  it('migrates version 0 drafts', () => {
    const v0 = JSON.stringify({ version: 0, nodes: [{ id: 'n0', kind: 'pc', name: 'pc1', canvas: 'c0', position: { x: 1, y: 2 }, interfaces: [], routes4: [] }], links: [] });
    const r = parseVnet(v0, 'old.vnet');
    expect('doc' in r && r.doc.nodes[0]!.routes6).toEqual([]);
    expect('doc' in r && r.doc.version).toBe(1);
  });

  it('locates a dangling link endpoint, a bad address and a bad field to their lines', () => {
    const text = serializeVnet(sample());
    const lines = text.split('\n');
    const dangling = text.replace('"a": { "node": "n0"', '"a": { "node": "n7"');
    const linkLine = lines.findIndex((l) => l.includes('"a": { "node": "n0"')) + 1;
    expect(errorsOf(dangling)).toEqual([`bad.vnet:${linkLine}: link l0: no node "n7"`]);
    const addrLine = lines.findIndex((l) => l.includes('10.0.0.20/24')) + 1;
    expect(errorsOf(text.replace('10.0.0.20/24', '10.0.0.999/24'))[0]).toMatch(new RegExp(`^bad\\.vnet:${addrLine}: pc1 eth0: "10\\.0\\.0\\.999/24" is not an IPv4`));
    const delayLine = lines.findIndex((l) => l.includes('"delayUs"')) + 1;
    const neg = text.replace(/"delayUs": 0/, '"delayUs": -5');
    expect(errorsOf(neg)[0]).toMatch(new RegExp(`^bad\\.vnet:${delayLine}: links\\.0\\.params\\.delayUs: delayUs must not be negative`));
    const macLine = lines.findIndex((l) => l.includes('"mac"')) + 1;
    expect(errorsOf(text.replace('"mac": "42:00:aa:00:00:00"', '"mac": "42:00"'))[0]).toMatch(new RegExp(`^bad\\.vnet:${macLine}: .*not a MAC`));
  });

  it('refuses duplicate node ids and interfaces a link names but the node lacks', () => {
    const doc = sample();
    const dupe = { ...doc, nodes: [doc.nodes[0]!, { ...doc.nodes[1]!, id: 'n0' }] };
    expect(errorsOf(serializeVnet(dupe)).some((e) => e.includes('duplicate node id "n0"'))).toBe(true);
    const noIface = { ...doc, links: [{ ...doc.links[0]!, a: { node: 'n0', iface: 'eth5' } }] };
    expect(errorsOf(serializeVnet(noIface))).toContainEqual(expect.stringMatching(/link l0: pc1 has no interface eth5$/));
  });
});

describe('address clashes', () => {
  it('warns about an address used twice, but not about each node having 127.0.0.1', () => {
    const doc = sample();
    const lo = { name: 'lo0', type: 'lo', ipv4: ['127.0.0.1/8'], ipv6: ['::1/128'] };
    const withLo = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, interfaces: [lo, ...n.interfaces] })) };
    expect(parseVnet(serializeVnet(withLo), 'x.vnet')).toMatchObject({ warnings: [] });
    const clash = { ...doc, nodes: doc.nodes.map((n, i) => (i === 1 ? { ...n, interfaces: [{ ...n.interfaces[0]!, ipv4: ['10.0.0.20/24'] }] } : n)) };
    const r = parseVnet(serializeVnet(clash), 'x.vnet');
    expect('doc' in r && r.warnings.map(formatDiagnostic)).toEqual([expect.stringMatching(/^x\.vnet:\d+: warning: router1 eth0: address 10\.0\.0\.20 is also used by pc1 eth0$/)]);
  });
});

describe('hostile .vnet input', () => {
  it('any truncation is refused with a located error, never a throw', () => {
    const text = serializeVnet(sample());
    for (let n = 0; n < text.length - 2; n += 7) {
      const r = parseVnet(text.slice(0, n), 'cut.vnet');
      expect('errors' in r && r.errors[0]!.line).toBeGreaterThan(0);
    }
  });
  it('arbitrary JSON values are refused or accepted, never thrown', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const r = parseVnet(JSON.stringify({ version: 1, nodes: v, links: [], annotations: [], canvases: [] }), 'j.vnet');
      expect('doc' in r || r.errors.length > 0).toBe(true);
    }), { numRuns: 300 });
  });
});
