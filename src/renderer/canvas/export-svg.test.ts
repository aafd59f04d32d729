// SVG export: well-formed XML with one icon group per node, link lines, escaped labels.
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../emulator/topology/document';
import * as E from '../../emulator/topology/edit';
import { exportSvg } from './export-svg';

describe('exportSvg', () => {
  it('draws nodes, links and annotations as parseable SVG', () => {
    const a = E.addNode(emptyDocument(), 'pc', { x: 0, y: 0 });
    const b = E.addNode(a.doc, 'router', { x: 300, y: 0 });
    const l = E.addLink(b.doc, a.nodeId, b.nodeId);
    if ('error' in l) throw new Error(l.error);
    const doc = E.addAnnotation(l.doc, { kind: 'text', canvas: 'c0', coords: [150, -80], label: 'A < B & C' }).doc;
    const svg = exportSvg(doc, { names: true, addresses: true, interfaces: false, ipv6: false, linkParams: true });
    const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(parsed.querySelector('parsererror')).toBeNull();
    expect(parsed.querySelectorAll('g[data-node]').length).toBe(2);
    expect(parsed.querySelectorAll('line').length).toBe(1);
    expect(svg).toContain('A &lt; B &amp; C');
    expect(svg).toContain('10.0.0.1/24');
    expect(svg).toContain('>pc1<');
  });
});
