// Every IMUNES example (3.x JSON, JSON v1, 2.x Tcl blocks) loads, matches an independent
// count of its own text, and survives .imn → doc → .vnet → doc → .imn → doc unchanged.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readImn, writeImn } from '../../src/emulator/topology/imunes';
import { parseVnet, serializeVnet } from '../../src/emulator/topology/vnet';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';

const EXAMPLES = IMUNES_EXAMPLES;
const FILES = ['', 'legacy', 'combinations', 'security'].flatMap((d) =>
  fs.readdirSync(path.join(EXAMPLES, d)).filter((f) => f.endsWith('.imn')).map((f) => path.join(d, f)));

/** Counts taken straight from the text, without the importer (pseudo nodes are drawing aids). */
function countText(text: string): { nodes: number; links: number; kinds: string[] } {
  if (text.trimStart().startsWith('{') && /"gui"\s*:/.test(text)) {
    const j = JSON.parse(text) as { nodes?: Record<string, { type: string }>; links?: Record<string, unknown> };
    const kinds = Object.values(j.nodes ?? {}).map((n) => n.type);
    return { nodes: kinds.length, links: Object.keys(j.links ?? {}).length, kinds: kinds.sort() };
  }
  if (text.trimStart().startsWith('{')) {
    const kinds = [...text.matchAll(/"n\d+"\s*:\s*\{\s*"type"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!).filter((k) => k !== 'pseudo');
    const links = [...text.matchAll(/"l\d+"\s*:\s*\{\s*"peers"/g)].length;
    const mirrors = [...text.matchAll(/"mirror"\s*:\s*"l\d+"/g)].length;
    return { nodes: kinds.length, links: links - mirrors / 2, kinds: kinds.sort() };
  }
  const blocks = text.split(/^(?=\S)/m);
  const kinds = blocks.filter((b) => /^node \S+ \{/.test(b)).map((b) => /^ {4}type (\S+)/m.exec(b)?.[1] ?? '?').filter((k) => k !== 'pseudo');
  const links = blocks.filter((b) => /^link \S+ \{/.test(b));
  const mirrors = links.filter((b) => /^ {4}mirror /m.test(b)).length;
  return { nodes: kinds.length, links: links.length - mirrors / 2, kinds: kinds.sort() };
}

/** The document without legacy-only fields (which a 3.x JSON export leaves out). */
/** Without 2.x-only fields, and without the frr.conf derived from 2.x routing blocks (a 3.x export has no place for them). */
function withoutLegacy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutLegacy);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v).filter(([k]) => !k.startsWith('legacy_') && k !== 'frrConf').map(([k, x]) => [k, withoutLegacy(x)] as const);
  return Object.fromEntries(entries.filter(([k, x]) => !((k === 'extra' || k === 'gui') && Object.keys(x as object).length === 0)));
}

function load(file: string): TopologyDoc {
  const r = readImn(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'), file);
  if ('errors' in r) throw new Error(r.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
  return r.doc;
}

describe('IMUNES examples', () => {
  it('finds all 124 example files', () => {
    expect(FILES).toHaveLength(124);
  });

  it.each(FILES)('%s loads with the counts its text gives', (file) => {
    const doc = load(file);
    const want = countText(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
    expect(doc.nodes.length).toBe(want.nodes);
    expect(doc.links.length).toBe(want.links);
    expect(doc.nodes.map((n) => n.kind).sort()).toEqual(want.kinds);
    for (const l of doc.links) for (const end of [l.a, l.b]) {
      expect(doc.nodes.find((n) => n.id === end.node)?.interfaces.some((i) => i.name === end.iface)).toBe(true);
    }
  });

  it.each(FILES)('%s round-trips .imn → .vnet → .imn', (file) => {
    const doc = load(file);
    const viaVnet = parseVnet(serializeVnet(doc), 'x.vnet');
    if ('errors' in viaVnet) throw new Error(viaVnet.errors[0]!.message);
    expect(viaVnet.doc).toEqual(doc);
    const viaImn = readImn(writeImn(viaVnet.doc), 'x.imn');
    if ('errors' in viaImn) throw new Error(viaImn.errors[0]!.message);
    expect(withoutLegacy(viaImn.doc)).toEqual(withoutLegacy(doc));
    expect(writeImn(viaImn.doc)).toBe(writeImn(viaVnet.doc));
  });

  // IMUNES treats a missing bandwidth as 0 and a missing links table as none.
  function imunesJson(text: string): unknown {
    const j = JSON.parse(text) as { links?: Record<string, Record<string, unknown>>; gui?: { links?: object } };
    for (const l of Object.values(j.links ?? {})) if (l.bandwidth === '0') delete l.bandwidth;
    if (j.links && Object.keys(j.links).length === 0) delete j.links;
    if (j.gui?.links && Object.keys(j.gui.links).length === 0) delete j.gui.links;
    return j;
  }

  it.each(FILES.filter((f) => !f.includes(path.sep)))('writeImn reproduces the IMUNES 3.x file %s field for field', (file) => {
    const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
    expect(imunesJson(writeImn(load(file)))).toEqual(imunesJson(text));
  });

  it('writeImn reproduces p-r-p.imn byte for byte', () => {
    expect(writeImn(load('p-r-p.imn'))).toBe(fs.readFileSync(path.join(EXAMPLES, 'p-r-p.imn'), 'utf8'));
  });

  it('legacy files converted to 3.x keep nodes, links, addresses, routes and coordinates', () => {
    for (const file of FILES.filter((f) => !fs.readFileSync(path.join(EXAMPLES, f), 'utf8').trimStart().startsWith('{'))) {
      const doc = load(file);
      const back = readImn(writeImn(doc), 'x.imn');
      if ('errors' in back) throw new Error(back.errors[0]!.message);
      const essence = (d: TopologyDoc) => ({
        nodes: d.nodes.map((n) => [n.id, n.name, n.kind, n.position, n.labelPosition, n.routes4, n.routes6, n.interfaces.map((i) => [i.name, i.mac, i.ipv4, i.ipv6])]),
        links: d.links.map((l) => [l.id, l.a, l.b, l.params, l.paramsBA]),
      });
      expect(essence(back.doc)).toEqual(essence(doc));
    }
  });

  // IMUNES 3 renamed rj45 ports ("0" → the node name) and turned extelem into rj45; every
  // other legacy example must describe exactly the network of its 3.x counterpart.
  const PAIRS = fs.readdirSync(path.join(EXAMPLES, 'legacy')).filter((f) => fs.existsSync(path.join(EXAMPLES, f)) && !/^(rj45|extelem)/.test(f));

  it('pairs legacy examples with their 3.x counterparts', () => {
    expect(PAIRS.length).toBe(31);
  });

  it.each(PAIRS)('legacy/%s and its 3.x counterpart give the same network', (name) => {
    {
      const a = load(name);
      const b = load(path.join('legacy', name));
      const net = (d: TopologyDoc) => d.nodes.map((n) => ({
        name: n.name, kind: n.kind, position: n.position, routes4: n.routes4,
        ifaces: n.interfaces.map((i) => [i.name, i.mac ?? null, i.ipv4]).sort(),
      }));
      expect(net(b)).toEqual(net(a));
      expect(b.links.map((l) => [l.a, l.b, l.params])).toEqual(a.links.map((l) => [l.a, l.b, l.params]));
    }
  });

  it('reads IMUNES link units and warns about what will not run', () => {
    const r = readImn(fs.readFileSync(path.join(EXAMPLES, 'RIP.imn'), 'utf8'), 'RIP.imn');
    if ('errors' in r) throw new Error('RIP.imn failed');
    expect(r.doc.links[0]!.params).toMatchObject({ bandwidthBps: 2_048_000, delayUs: 2500 });
    // RIP runs (node/daemons/rip.ts): the RIP lab's routers are not warned about.
    expect(r.warnings.map((w) => w.message).filter((m) => /RIP/.test(m))).toEqual([]);
    expect(r.doc.nodes.find((n) => n.name === 'router1')?.frrConf).toContain('router rip\n redistribute static\n redistribute connected\n redistribute ospf\n network 0.0.0.0/0\n!');
    const rj = readImn(fs.readFileSync(path.join(EXAMPLES, 'rj45.imn'), 'utf8'), 'rj45.imn');
    expect('doc' in rj && rj.warnings.some((w) => /kind "rj45" is kept but will not run/.test(w.message))).toBe(true);
    const v6 = readImn(fs.readFileSync(path.join(EXAMPLES, 'p-r-p.imn'), 'utf8'), 'p-r-p.imn');
    // IPv6 addresses and static routes run now: the old "IPv6 does not run yet" warning is gone.
    expect('doc' in v6 && v6.warnings.every((w) => !/IPv6/.test(w.message))).toBe(true);
  });
});
