import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import { setLinkParams, setLinkUp } from '../../emulator/topology/edit';
import { linkRequests, rewoundLinks } from './doc-sync';

function doc(): TopologyDoc {
  const d = emptyDocument();
  d.links.push({ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } });
  d.links.push({ id: 'l1', a: { node: 'n1', iface: 'eth1' }, b: { node: 'n2', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } });
  return d;
}

describe('doc-sync', () => {
  it('turns a symmetric parameter change into one set-params request', () => {
    const a = doc();
    const r = setLinkParams(a, 'l1', { delayUs: 50_000 });
    if ('error' in r) throw new Error(r.error);
    const b = r.doc;
    expect(linkRequests(a, b)).toEqual([{ type: 'link/set-params', link: 'l1', params: { ...DEFAULT_LINK_PARAMS, delayUs: 50_000 }, direction: 'both' }]);
    expect(b.links[0]).toBe(a.links[0]);
  });
  it('sends one direction of an asymmetric change', () => {
    const a = doc();
    const b = { ...a, links: a.links.map((l) => (l.id === 'l0' ? { ...l, paramsBA: { ...l.params, lossPercent: 5 } } : l)) };
    expect(linkRequests(a, b)).toEqual([{ type: 'link/set-params', link: 'l0', params: { ...DEFAULT_LINK_PARAMS, lossPercent: 5 }, direction: 'ba' }]);
  });
  it('sends link up/down and nothing for unchanged documents', () => {
    const a = doc();
    expect(linkRequests(a, setLinkUp(a, 'l0', false))).toEqual([{ type: 'link/set-up', link: 'l0', up: false }]);
    expect(linkRequests(a, { ...a })).toEqual([]);
  });
  it('puts a step back\'s link states into the document, one parameter set when both ways agree', () => {
    const a = { ...doc(), links: doc().links.map((l) => (l.id === 'l0' ? { ...l, up: false, paramsBA: { ...l.params, lossPercent: 5 } } : l)) };
    const slow = { ...DEFAULT_LINK_PARAMS, delayUs: 20_000 };
    const b = rewoundLinks(a, [{ link: 'l0', up: true, params: slow, paramsBA: slow }]);
    expect(b.links[0]).toEqual({ ...a.links[0], up: true, params: slow, paramsBA: undefined });
    expect('paramsBA' in b.links[0]!).toBe(false);
    expect(b.links[1]).toBe(a.links[1]);
    const c = rewoundLinks(a, [{ link: 'l1', up: true, params: slow, paramsBA: DEFAULT_LINK_PARAMS }]);
    expect(c.links[1]).toMatchObject({ params: slow, paramsBA: DEFAULT_LINK_PARAMS });
    expect(rewoundLinks(a, [{ link: 'gone', up: true, params: slow, paramsBA: slow }])).toBe(a);
  });
});
