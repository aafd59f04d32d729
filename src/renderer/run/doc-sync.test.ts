import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import { setLinkParams, setLinkUp } from '../../emulator/topology/edit';
import { linkRequests } from './doc-sync';

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
});
