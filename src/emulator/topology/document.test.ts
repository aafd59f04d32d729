import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, defaultForwarding, emptyDocument, isEmulatedKind, paramsBA } from './document';

describe('topology document', () => {
  it('starts empty with one canvas at the current version', () => {
    const doc = emptyDocument();
    expect(doc).toEqual({ version: 1, nodes: [], links: [], annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] });
  });

  it('forwards only on routers by default', () => {
    expect(['pc', 'host', 'router', 'lanswitch', 'hub'].map(defaultForwarding)).toEqual([false, false, true, false, false]);
    expect(isEmulatedKind('router')).toBe(true);
    expect(isEmulatedKind('rj45')).toBe(false);
  });

  it('uses the a→b parameters backwards unless the link is asymmetric', () => {
    const link = { id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS, delayUs: 10 } };
    expect(paramsBA(link).delayUs).toBe(10);
    expect(paramsBA({ ...link, paramsBA: { ...DEFAULT_LINK_PARAMS, delayUs: 99 } }).delayUs).toBe(99);
  });
});
