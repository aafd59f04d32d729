// The importer's VLAN warnings: the IMUNES VLAN lab runs, so it gets none; a vlan
// interface without a usable parent or tag, a bad access tag on a filtering switch, and
// VLAN filtering on a hub are each named in the node's one warning line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importWarnings } from '../../src/emulator/topology/imunes/import-warnings';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';

const LAB = path.resolve(__dirname, '../..', '../shared/imunes-examples/functional_tests_vlanswitch_topo.imn');

function lab(): TopologyDoc {
  const parsed = parseTopology(readFileSync(LAB, 'utf8'), LAB);
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.doc;
}

const messages = (doc: TopologyDoc) => importWarnings(doc, 'lab.imn', () => 1).map((d) => d.message);

describe('VLAN import warnings', () => {
  it('the IMUNES VLAN lab runs: no warning remains (IPv6 runs too)', () => {
    expect(messages(lab())).toEqual([]);
  });

  it('names what cannot run, one line per node', () => {
    const doc = lab();
    const host = doc.nodes.find((n) => n.name === 'host')!;
    host.interfaces.find((i) => i.name === 'vlan0')!.extra = { vlan_dev: 'eth9', vlan_tag: '4' };
    host.interfaces.find((i) => i.name === 'vlan1')!.extra = { vlan_dev: 'eth0', vlan_tag: '4095' };
    const sw = doc.nodes.find((n) => n.name === 'switch1')!;
    sw.interfaces[0].extra = { vlan_tag: '0' };
    const hub = { ...sw, id: 'n9', name: 'hub1', kind: 'hub', interfaces: [] };
    doc.nodes.push(hub);
    expect(messages(doc).filter((m) => !m.startsWith('IPv6'))).toEqual([
      'host: VLAN settings vlan0 (vlan_dev eth9, vlan_tag 4), vlan1 (vlan_dev eth0, vlan_tag 4095) will not run',
      'switch1: VLAN settings port e0 (vlan_tag 0: VLAN 1 is used) will not run',
      'hub1: VLAN settings VLAN filtering (a hub repeats every frame) will not run',
    ]);
  });
});
