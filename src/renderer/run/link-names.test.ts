import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, emptyDocument } from '../../emulator/topology/document';
import { describeLinkParams, linkLabel } from './link-names';

function doc() {
  const d = emptyDocument();
  d.nodes.push({ id: 'n1', kind: 'router', name: 'router1', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [], routes4: [], routes6: [] });
  d.nodes.push({ id: 'n2', kind: 'lanswitch', name: 'switch2', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [], routes4: [], routes6: [] });
  d.links.push({ id: 'l3', a: { node: 'n1', iface: 'eth1' }, b: { node: 'n2', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } });
  return d;
}

describe('link names', () => {
  it('names a link by its endpoints', () => {
    expect(linkLabel(doc(), 'l3')).toBe('router1:eth1 — switch2:eth0');
    expect(linkLabel(doc(), 'l9')).toBe('link l9');
  });

  it('says parameters with units', () => {
    expect(describeLinkParams({ lossPercent: 100 })).toBe('loss 100 %');
    expect(describeLinkParams({ delayUs: 5000, bandwidthBps: 10_000_000 })).toBe('delay 5 ms, bandwidth 10 Mb/s');
    expect(describeLinkParams({ jitterUs: 250, dupPercent: 0.5, queuePackets: 20, berOneIn: 1_000_000 })).toBe('jitter 250 µs, duplication 0.5 %, queue 20 packets, BER 1 in 1,000,000 bits');
    expect(describeLinkParams({ ...DEFAULT_LINK_PARAMS, lossPercent: 3 }, DEFAULT_LINK_PARAMS)).toBe('loss 3 %');
  });
});
