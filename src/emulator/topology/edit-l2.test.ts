// Layer-2 kinds' settings in the document: IMUNES's defaults for a new node, and each edit
// checked by the engine's own reader (refused with the reason, never clamped).
import { describe, expect, it } from 'vitest';
import { addLink, addNode, setFilterRules, setPackgen, setStpBridge, setStpPort, formatFilterRules, packgenFrames } from './edit';
import { DOC_VERSION, type TopologyDoc } from './document';

const empty: TopologyDoc = { version: DOC_VERSION, nodes: [], links: [], annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };

function build(): TopologyDoc {
  let doc = empty;
  for (const k of ['stpswitch', 'filter', 'packgen', 'pc', 'pc']) doc = addNode(doc, k, { x: 0, y: 0 }).doc;
  const link = (a: string, b: string) => {
    const r = addLink(doc, a, b);
    if ('error' in r) throw new Error(r.error);
    doc = r.doc;
  };
  link('n3', 'n0');
  link('n0', 'n1');
  link('n1', 'n4');
  link('n2', 'n0');
  return doc;
}

describe('layer-2 kinds in the editor', () => {
  it('new nodes get IMUNES names and defaults; a packgen takes one link', () => {
    const doc = build();
    expect(doc.nodes.map((n) => n.name)).toEqual(['stpswitch1', 'filter1', 'packgen1', 'pc1', 'pc2']);
    expect(doc.nodes[0]!.extra!.bridge).toEqual({ protocol: 'rstp', priority: '32768', hold_count: '6', max_age: '20', forwarding_delay: '15', hello_time: '2' });
    expect(doc.nodes[2]!.extra!.packgen).toEqual({ packetrate: '100', packets: {} });
    expect(addLink(doc, 'n2', 'n3')).toEqual({ error: 'packgen1 is a packet generator: it takes one link' });
  });

  it('refuses what if_bridge, ng_source and ng_patmat refuse', () => {
    const doc = build();
    expect(setStpBridge(doc, 'n0', { priority: '1000' })).toEqual({ error: 'bridge priority 1000 is not a multiple of 4096' });
    expect(setStpBridge(doc, 'n0', { hello_time: '9' })).toEqual({ error: 'bridge hello_time 9 is not in 1–2' });
    expect(setStpBridge(doc, 'n0', { max_age: '20', forwarding_delay: '4' })).toEqual({ error: 'timers must satisfy 2 × (forwarding delay − 1) ≥ max age ≥ 2 × (hello + 1)' });
    expect(setStpBridge(doc, 'n1', { priority: '0' })).toEqual({ error: 'filter1 is not a stpswitch' });
    expect(setStpPort(doc, 'n0', 'eth0', { stp_priority: '100' })).toEqual({ error: 'port stp_priority 100 is not a multiple of 16' });
    expect(setStpPort(doc, 'n0', 'eth0', { stp_priority: '256' })).toEqual({ error: 'port stp_priority 256 is not in 0–240' });
    expect(setStpPort(doc, 'n0', 'eth0', { stp_path_cost: '-1' })).toEqual({ error: 'port stp_path_cost -1 is not in 0–200000000' });
    const port = setStpPort(doc, 'n0', 'eth1', { stp_priority: '64', stp_edge: '1' });
    expect('doc' in port && port.doc.nodes[0]!.interfaces[1]!.extra).toEqual({ stp_priority: '64', stp_edge: '1' });
    const ok = setStpBridge(doc, 'n0', { priority: '4096', protocol: 'stp' });
    expect('doc' in ok && ok.doc.nodes[0]!.extra!.bridge).toMatchObject({ priority: '4096', protocol: 'stp', max_age: '20' });
    expect(setPackgen(doc, 'n2', '0', [])).toEqual({ error: 'packet rate 0 is not 1–100000 packets/s' });
    expect(setPackgen(doc, 'n2', '10', ['ffff'])).toEqual({ error: 'packet 1: not an Ethernet frame in hex (14–9018 bytes)' });
    const pg = setPackgen(doc, 'n2', '10', ['ff:ff:ff:ff:ff:ff:42:00:aa:00:00:99:08:06']);
    expect('doc' in pg && packgenFrames(pg.doc.nodes[2]!)).toEqual(['ffffffffffff4200aa0000990806']);
    expect(setFilterRules(doc, 'n1', 'eth0', ['10 match_hook action_data=eth7'])).toEqual({ error: 'rule 10: interface "eth7" does not exist' });
    expect(setFilterRules(doc, 'n1', 'eth0', ['10 match_hook colour=red'])).toEqual({ error: 'line 1: "colour=red" is not action_data=, pattern=, mask= or offset=' });
    const lines = ['10 match_hook action_data=eth1 pattern=08.06 mask=ff.ff offset=12', '20 nomatch_drop'];
    const f = setFilterRules(doc, 'n1', 'eth0', lines);
    expect('doc' in f && formatFilterRules(f.doc.nodes[1]!.interfaces[0]!.extra!.filter_rules)).toEqual(['10 match_hook action_data=eth1 pattern=08.06 mask=ff.ff offset=12', '20 nomatch_drop']);
  });
});
