// Broken IMUNES input gives located errors (file:line: what is wrong), never a crash.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { readImn, detectImnGeneration } from '../../src/emulator/topology/imunes';
import { formatImnJson } from '../../src/emulator/topology/imunes/write-imn';
import { formatDiagnostic } from '../../src/emulator/topology/diagnostics';
import { parseTopology, serializeTopology, detectFormat } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES } from '../support/paths';

const EXAMPLES = IMUNES_EXAMPLES;
const legacyPrp = fs.readFileSync(path.join(EXAMPLES, 'legacy/p-r-p.imn'), 'utf8');
const jsonPrp = fs.readFileSync(path.join(EXAMPLES, 'p-r-p.imn'), 'utf8');
const v1 = fs.readFileSync(path.join(EXAMPLES, 'legacy/OSPF_RFC-custom_config.imn'), 'utf8');

function errors(text: string, file = 't.imn'): string[] {
  const r = readImn(text, file);
  if (!('errors' in r)) throw new Error('expected errors');
  return r.errors.map(formatDiagnostic);
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('IMUNES generations', () => {
  it('detects 3.x JSON, JSON v1 and legacy Tcl', () => {
    expect(detectImnGeneration(jsonPrp)).toBe('json3');
    expect(detectImnGeneration(v1)).toBe('json1');
    expect(detectImnGeneration(legacyPrp)).toBe('legacy');
  });

  it('parses legacy network-config: addresses, MACs, routes, routing blocks kept', () => {
    const r = readImn(legacyPrp, 'p-r-p.imn');
    if ('errors' in r) throw new Error('failed');
    const router = r.doc.nodes.find((n) => n.name === 'router1')!;
    expect(router.interfaces.map((i) => [i.name, i.type, i.mac ?? null, i.ipv4])).toEqual([
      ['lo0', 'lo', null, ['127.0.0.1/8']], ['eth0', 'phys', '42:00:aa:00:00:00', ['10.0.0.1/24']], ['eth1', 'phys', '42:00:aa:00:00:02', ['10.0.1.1/24']],
    ]);
    expect(router.extra).toMatchObject({ model: 'frr', router_config: 'rip 1 ripng 1' });
    expect(String((router.extra!.legacy_routing as Record<string, string>).rip)).toContain('redistribute connected');
    const pc1 = r.doc.nodes.find((n) => n.name === 'pc1')!;
    expect(pc1.routes4).toEqual([{ dest: '0.0.0.0/0', gateway: '10.0.0.1' }]);
    expect(pc1.routes6).toEqual([{ dest: '::/0', gateway: 'fc00::1' }]);
    expect(pc1.position).toEqual({ x: 120, y: 168 });
    expect(pc1.labelPosition).toEqual({ x: 120, y: 204 });
  });

  it('reads mtu, shutdown, per-direction delay, colours and annotations from legacy text', () => {
    const text = `node n0 {
    type router
    network-config {
\thostname r1
\t!
\tinterface eth0
\t ip address 10.0.0.1/24
\t mtu 1400
\t shutdown
\t!
    }
    canvas c0
    iconcoords {10 20}
    labelcoords {10 40}
    interface-peer {eth0 n1}
}
node n1 {
    type pc
    network-config {
\thostname p1
\t!
\tinterface eth0
\t ip address 10.0.0.20/24
\t!
    }
    canvas c0
    iconcoords {100 20}
    labelcoords {100 40}
    interface-peer {eth0 n0}
}
link l0 {
    nodes {n0 n1}
    bandwidth 100000
    delay {1000 3000}
    ber 1000000
    duplicate 5
    color Red
    width 3
}
annotation a0 {
    type oval
    iconcoords {1 2 30 40}
    color #ff0000
    bordercolor #000000
    label {LAN}
    canvas c0
}
canvas c0 {
    name {Main}
}
`;
    const r = readImn(text, 'x.imn');
    if ('errors' in r) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
    expect(r.doc.nodes[0]!.interfaces[0]).toMatchObject({ mtu: 1400, up: false });
    const l = r.doc.links[0]!;
    expect(l.params).toMatchObject({ bandwidthBps: 100000, delayUs: 1000, berOneIn: 1000000, dupPercent: 5 });
    expect(l.paramsBA).toMatchObject({ delayUs: 3000, bandwidthBps: 100000 });
    expect([l.color, l.width]).toEqual(['Red', 3]);
    expect(r.doc.annotations[0]).toMatchObject({ kind: 'oval', coords: [1, 2, 30, 40], fill: '#ff0000', color: '#000000', label: 'LAN' });
    expect(r.doc.canvases).toEqual([{ id: 'c0', name: 'Main' }]);
    const back = parseTopology(serializeTopology(r.doc, 'y.imn'), 'y.imn');
    expect('doc' in back && back.doc.links[0]!.paramsBA?.delayUs).toBe(3000);
  });
});

describe('broken IMUNES input', () => {
  it('truncated legacy file', () => {
    const cut = legacyPrp.slice(0, legacyPrp.indexOf('link l0'));
    const cut2 = cut.slice(0, cut.lastIndexOf('interface-peer {eth1 n1}'));
    expect(errors(cut2)[0]).toMatch(new RegExp(`^t\\.imn:\\d+: unbalanced "\\{" opened on line ${lineOf(legacyPrp, 'node n2 {')}: the file is truncated`));
  });
  it('truncated JSON file', () => {
    const cut = jsonPrp.slice(0, 900);
    expect(errors(cut)[0]).toMatch(new RegExp(`^t\\.imn:${cut.split('\n').length}: invalid IMUNES JSON: unexpected end of file`));
  });
  it('unknown block', () => {
    const text = legacyPrp.replace('canvas c0 {', 'frobnicate c0 {');
    expect(errors(text)).toEqual([`t.imn:${lineOf(text, 'frobnicate')}: unknown block "frobnicate" (expected node, link, annotation, canvas, option or image)`]);
  });
  it('dangling link peer (legacy and JSON)', () => {
    const text = legacyPrp.replace('nodes {n2 n1}', 'nodes {n2 n9}');
    expect(errors(text)).toContain(`t.imn:${lineOf(text, 'link l1 {')}: link l1: no node "n9" (dangling link peer)`);
    const j = jsonPrp.replace('"peers"        : "n2 n1"', '"peers"        : "n2 n7"');
    expect(errors(j)).toEqual([`t.imn:${lineOf(j, '"l1" : {')}: link l1: no node "n7" (dangling link peer)`]);
  });
  it('duplicate node id', () => {
    const text = legacyPrp.replace('node n1 {', 'node n0 {');
    expect(errors(text)).toContain(`t.imn:${lineOf(legacyPrp, 'node n1 {')}: duplicate node id "n0"`);
  });
  it('bad address, located to the interface', () => {
    const text = legacyPrp.replace('ip address 10.0.1.20/24', 'ip address 10.0.1.420/24');
    const ifaceLine = legacyPrp.split('\n').findIndex((l, k) => l.includes('interface eth0') && k > lineOf(legacyPrp, 'node n1 {')) + 1;
    expect(errors(text)).toEqual([`t.imn:${ifaceLine}: pc2 eth0: "10.0.1.420/24" is not an IPv4 address with prefix length (like 10.0.0.20/24)`]);
    const j = jsonPrp.replace('"10.0.1.20/24"', '"10.0.1.20/99"');
    const ifcLine = j.split('\n').findIndex((l, k) => l.includes('"ifc1"') && k > lineOf(j, '"n1" : {')) + 1;
    expect(errors(j)).toEqual([`t.imn:${ifcLine}: pc2 eth0: "10.0.1.20/99" is not an IPv4 address with prefix length (like 10.0.0.20/24)`]);
  });
  it('bad link parameter', () => {
    const j = jsonPrp.replace('"bandwidth"    : "0"', '"bandwidth"    : "-5"');
    expect(errors(j)[0]).toMatch(/^t\.imn:\d+: link l0: bandwidth "-5": bandwidth must be a whole number/);
  });
  it('garbage never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = readImn(s, 'g.imn');
      expect('doc' in r || r.errors.length > 0).toBe(true);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.nat(legacyPrp.length), (n) => {
      const r = readImn(legacyPrp.slice(0, n), 'g.imn');
      if ('errors' in r) expect(r.errors[0]!.line).toBeGreaterThan(0);
    }), { numRuns: 200 });
  });
});

describe('formats', () => {
  it('chooses the format by extension, then by content', () => {
    expect(detectFormat('', 'a.vnet')).toBe('vnet');
    expect(detectFormat(jsonPrp, 'a.json')).toBe('imn');
    expect(detectFormat('{\n  "version": 1,\n  "nodes": []', 'a.json')).toBe('vnet');
    expect(detectFormat(legacyPrp, 'topology')).toBe('imn');
    const r = parseTopology(jsonPrp, 'p-r-p.imn');
    if ('errors' in r) throw new Error('failed');
    const asVnet = serializeTopology(r.doc, 'out.vnet');
    expect(asVnet.startsWith('{\n  "version": 1,')).toBe(true);
    expect(parseTopology(asVnet, 'out.vnet')).toMatchObject({ doc: r.doc });
    expect(serializeTopology(r.doc, 'out.imn')).toContain('"version" : "2"');
    expect(parseTopology('  ', 'e.vnet')).toEqual({ errors: [{ file: 'e.vnet', line: 1, message: 'the file is empty', severity: 'error' }] });
  });
});

describe('IMUNES 3.x link and interface fields', () => {
  it('reads empty values as 0, jitter sample lists, oper_state and mtu; writes them back', () => {
    const j = JSON.parse(jsonPrp) as { nodes: Record<string, { ifaces: Record<string, Record<string, string>> }>; links: Record<string, Record<string, string>> };
    j.links.l0!.bandwidth = '';
    j.links.l0!.jitter_upstream = '100 300 200';
    j.links.l1!.loss = '{5 10}';
    j.nodes.n0!.ifaces.ifc1!.oper_state = 'down';
    j.nodes.n0!.ifaces.ifc1!.mtu = '1400';
    const r = readImn(JSON.stringify(j), 'j.imn');
    if ('errors' in r) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
    expect(r.doc.links[0]!.params).toMatchObject({ bandwidthBps: 0, jitterUs: 300 });
    expect(r.doc.links[0]!.paramsBA?.jitterUs).toBe(0);
    expect([r.doc.links[1]!.params.lossPercent, r.doc.links[1]!.paramsBA?.lossPercent]).toEqual([5, 10]);
    expect(r.doc.nodes[0]!.interfaces[1]).toMatchObject({ up: false, mtu: 1400 });
    const out = JSON.parse(serializeTopology(r.doc, 'o.imn')) as typeof j;
    expect(out.links.l0!.jitter_upstream).toBe('100 300 200');
    expect(out.links.l1!.loss).toBe('{5 10}');
    expect(out.nodes.n0!.ifaces.ifc1).toMatchObject({ oper_state: 'down', mtu: '1400' });
    const changed = { ...r.doc, links: r.doc.links.map((l, k) => (k === 0 ? { ...l, params: { ...l.params, jitterUs: 50 }, paramsBA: undefined } : l)) };
    expect((JSON.parse(serializeTopology(changed, 'o.imn')) as typeof j).links.l0!.jitter_upstream).toBe('50');
  });
});

describe('writeImn of a drawn topology', () => {
  it('writes IMUNES 3.x JSON that IMUNES-style readers understand, adding lo0', async () => {
    const { pcRouterPc } = await import('../../src/emulator/topology/samples');
    const doc = pcRouterPc();
    const text = serializeTopology(doc, 'prp.imn');
    const j = JSON.parse(text) as { nodes: Record<string, { ifaces: Record<string, { name: string; link?: string }>; croutes4?: string[] }>; links: Record<string, { peers: string; peers_ifaces: string }>; options: { version: string } };
    expect(j.options.version).toBe('2');
    expect(Object.values(j.nodes.n1!.ifaces).map((i) => [i.name, i.link])).toEqual([['lo0', undefined], ['eth0', 'l0'], ['eth1', 'l1']]);
    expect(j.links.l1).toMatchObject({ peers: 'n1 n2', peers_ifaces: 'ifc2 ifc1' });
    expect(j.nodes.n0!.croutes4).toEqual(['0.0.0.0/0 10.0.0.1']);
    const back = parseTopology(text, 'prp.imn');
    if ('errors' in back) throw new Error('failed');
    const noLo = { ...back.doc, nodes: back.doc.nodes.map((n) => ({ ...n, interfaces: n.interfaces.filter((i) => i.type !== 'lo') })) };
    const { forwarding: _f, ...r1 } = doc.nodes[1]!;
    expect(noLo.nodes[1]).toEqual(r1);
    expect(noLo.links).toEqual(doc.links);
  });
});

describe('nodes without a type', () => {
  it('are refused with their line', () => {
    const text = legacyPrp.replace('    type pc\n', '');
    expect(errors(text)).toEqual([`t.imn:${lineOf(text, 'node n0 {')}: node n0 has no type (expected pc, host, router, lanswitch, hub …)`]);
  });
});

describe('warnings for what will not run', () => {
  it('names IPsec, services, custom config, daemons, IPv6 and foreign kinds, one line per node, on the node line', () => {
    const j = JSON.parse(jsonPrp) as { nodes: Record<string, Record<string, unknown>> };
    j.nodes.n0!.ipsec_configs = { ca_cert: 'x' };
    j.nodes.n1!.services = ['ssh', 'ftp'];
    j.nodes.n1!.custom_enabled = 'true';
    j.nodes.n2!.router_config = 'ospf 1 bgp 1 isis 1 rip 0';
    j.nodes.n1!.type = 'wlan';
    const text = formatImnJson(j);
    const r = readImn(text, 'w.imn');
    if ('errors' in r) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
    const n0 = lineOf(text, '"n0" : {');
    const n1 = lineOf(text, '"n1" : {');
    const n2 = lineOf(text, '"n2" : {');
    expect(r.warnings.map(formatDiagnostic)).toEqual([
      `w.imn:${n0}: warning: pc1: IPsec configuration is kept but will not run`,
      `w.imn:${n1}: warning: pc2: node kind "wlan" is kept but will not run (VirtNet emulates pc, host, router, lanswitch, hub, stpswitch, filter and packgen); services (ssh, ftp) are kept but will not run; custom configuration is kept but will not run (its addresses and routes are not applied)`,
      `w.imn:${n2}: warning: router router1: IS-IS will not run yet`,
    ]);
  });
});

describe('hostile keys', () => {
  it('"__proto__" ids and fields stay data and pollute nothing', () => {
    const text = `${legacyPrp}\ncanvas __proto__ {\n    name {Evil}\n}\nannotation a9 {\n    type text\n    iconcoords {1 2}\n    __proto__ {x}\n    canvas c0\n}\n`;
    const r = readImn(text, 'h.imn');
    if ('errors' in r) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
    expect(r.doc.canvases.map((c) => c.id)).toEqual(['c0', '__proto__']);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
    const j = readImn('{"nodes": {"__proto__": {"type": "pc", "name": "p"}}, "options": {"version": "2"}, "gui": {}}', 'h.imn');
    expect('doc' in j && j.doc.nodes.map((n) => n.id)).toEqual(['__proto__']);
  });
});
