// File decoding for the editor: round trip, located errors for bad files, IMUNES examples.
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../emulator/topology/document';
import * as E from '../../emulator/topology/edit';
import { decodeTopology, encodeTopology, formatOf } from './doc-codec';

// A trimmed IMUNES 3.x file (the real examples are opened in test/e2e/editor-files.test.ts).
const MINI_IMN = JSON.stringify({
  nodes: { n0: { type: 'router', name: 'router1', ifaces: {} } },
  links: {},
  gui: { canvases: { c0: { name: 'Canvas0' } }, nodes: { n0: { label: 'router1', canvas: 'c0', iconcoords: '456 168' } } },
});

describe('doc codec', () => {
  it('round-trips a .vnet document', () => {
    const a = E.addNode(emptyDocument(), 'pc', { x: 10, y: 20 });
    const text = encodeTopology(a.doc, 'lab.vnet');
    const r = decodeTopology(text, 'lab.vnet');
    expect(r.ok && r.doc.nodes[0]).toMatchObject({ name: 'pc1', position: { x: 10, y: 20 } });
  });

  it('refuses a bad file with a located message', () => {
    const r = decodeTopology('{"version": 1, "nodes": [', 'broken.vnet');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/^broken\.vnet:\d+/);
    expect(decodeTopology('x', 'notes.txt')).toMatchObject({ ok: false, errors: [expect.stringContaining('unknown file type')] });
    expect(formatOf('A.IMN')).toBe('imn');
  });

  it('opens an IMUNES file with its node positions', () => {
    const r = decodeTopology(MINI_IMN, 'mini.imn');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.doc.nodes.find((n) => n.name === 'router1')?.position).toEqual({ x: 456, y: 168 });
  });
});
