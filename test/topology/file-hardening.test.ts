// Regression tests for issue 10 "Files": deep nesting, one-pass locating, size and string
// bounds, engine TypeErrors caught by the validator, files VirtNet writes that it would
// not read, and diagnostics that echo raw input. Each failed on the code before the fix.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../src/emulator/topology/document';
import { addLink, addNode, namePrefix } from '../../src/emulator/topology/edit';
import { formatDiagnostic, LIMITS, parseTopology, serializeTopology, type Diagnostic } from '../../src/emulator/topology/formats';
import { MAX_JSON_DEPTH, parseJsonLocated } from '../../src/emulator/topology/json-locate';
import { IMUNES_EXAMPLES } from '../support/paths';

const jsonPrp = fs.readFileSync(path.join(IMUNES_EXAMPLES, 'p-r-p.imn'), 'utf8');
const legacyPrp = fs.readFileSync(path.join(IMUNES_EXAMPLES, 'legacy/p-r-p.imn'), 'utf8');
const v1Mirror = fs.readFileSync(path.join(IMUNES_EXAMPLES, 'combinations/pc-pc_topo.imn'), 'utf8');

function errorsOf(text: string, file: string): Diagnostic[] {
  const r = parseTopology(text, file);
  if (!('errors' in r)) throw new Error(`expected ${file} to be refused`);
  return r.errors;
}

function twoPcs() {
  let doc = emptyDocument();
  doc = addNode(doc, 'pc', { x: 0, y: 0 }).doc;
  doc = addNode(doc, 'pc', { x: 100, y: 0 }).doc;
  const r = addLink(doc, 'n0', 'n1');
  if ('error' in r) throw new Error(r.error);
  return r.doc;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('deep nesting', () => {
  it('JSON nested 5,000 levels is a located error in .vnet and .imn, not a RangeError', () => {
    const deep = `{"version": 1, "nodes": [], "links": [], "annotations": [], "canvases": [], "extra": {"x":\n${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    for (const file of ['deep.vnet', 'deep.imn']) {
      const errs = errorsOf(deep, file);
      expect(errs).toHaveLength(1);
      expect(errs[0]!.line).toBe(2);
      expect(errs[0]!.message).toMatch(new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
    }
    // An object chain, as the fuzzer found it, and a bare array.
    const objects = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
    expect(parseJsonLocated(objects)).toMatchObject({ ok: false, pos: { line: 1 } });
    expect(errorsOf('['.repeat(100000), 'x.vnet')[0]!.message).toMatch(/nested more than/);
  });

  it(`nesting up to ${MAX_JSON_DEPTH} levels still parses`, () => {
    const ok = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonLocated(ok).ok).toBe(true);
    expect(parseJsonLocated(`[${ok}]`).ok).toBe(false);
  });

  it('Tcl braces nested 100,000 levels deep in a legacy .imn are read without recursion', () => {
    const text = `node n0 {\n    type pc\n    custom-configs ${'{'.repeat(100000)}${'}'.repeat(100000)}\n}\n`;
    const r = parseTopology(text, 'deep.imn');
    expect('doc' in r || r.errors.every((e) => !/\n/.test(e.message))).toBe(true);
  });
});

describe('legacy Tcl blocks', () => {
  it('a stray "}" inside a block body is a located error (the fuzzer found an internal error, exit 70)', () => {
    const text = 'node n0 {\n    type pc\n    network-config{\n\thostname pc1\n    }\n}\n';
    expect(errorsOf(text, 'brace.imn').map(formatDiagnostic)).toEqual(['brace.imn:5: unexpected "}"']);
  });
});

describe('IMUNES 2.x image blocks (issue 11 §6)', () => {
  it('load, and are kept through .vnet and .imn', () => {
    const text = `${legacyPrp}\nimage img0 {\n    type customImage\n    file {router.gif}\n    data {R0lGODlhAQABAAAAACw=}\n}\n`;
    const r = parseTopology(text, 'img.imn');
    if ('errors' in r) throw new Error(formatDiagnostic(r.errors[0]!));
    const images = { img0: { type: 'customImage', file: 'router.gif', data: 'R0lGODlhAQABAAAAACw=' } };
    expect((r.doc.extra?.gui as Record<string, unknown>).images).toEqual(images);
    for (const out of ['o.vnet', 'o.imn']) {
      const back = parseTopology(serializeTopology(r.doc, out), out);
      if ('errors' in back) throw new Error(back.errors[0]!.message);
      expect((back.doc.extra?.gui as Record<string, unknown>).images).toEqual(images);
    }
  });
});

describe('locating is one pass over the text', () => {
  it('5,000 located lookups scan the text once', () => {
    const text = JSON.stringify({ links: Array.from({ length: 5000 }, (_, i) => ({ id: `l${i}`, a: { node: 'x' } })) }, null, 2);
    const r = parseJsonLocated(text);
    if (!r.ok) throw new Error(r.message);
    for (let i = 0; i < 5000; i++) expect(r.locate(['links', i, 'a', 'node']).line).toBe(3 + i * 6 + 3);
    expect(r.lines.charsScanned).toBe(text.length);
  });
});

describe('bounded input', () => {
  it(`refuses text over ${LIMITS.MAX_FILE_BYTES} characters before parsing it`, () => {
    const huge = `node n0 {\n${'#'.repeat(LIMITS.MAX_FILE_BYTES)}\n}`;
    const errs = errorsOf(huge, 'huge.imn');
    expect(errs.map(formatDiagnostic)).toEqual([`huge.imn:1: the file is too big for a topology (${huge.length} bytes; the limit is 64 MiB)`]);
  });

  it('bounds names, labels and kept configuration text, with the line of the field', () => {
    const doc = twoPcs();
    const raw = JSON.parse(serializeTopology(doc, 'x.vnet'));
    raw.nodes[1].name = 'p'.repeat(LIMITS.MAX_NAME_CHARS + 1);
    raw.annotations = [{ id: 'a0', kind: 'text', canvas: 'c0', coords: [1, 2], label: 'L'.repeat(LIMITS.MAX_LABEL_CHARS + 1) }];
    raw.nodes[0].extra = { custom_configs: { cfg: 'c'.repeat(LIMITS.MAX_CONFIG_CHARS + 1) } };
    const text = JSON.stringify(raw, null, 2);
    const errs = errorsOf(text, 'big.vnet');
    expect(errs.map((e) => [e.line, e.message])).toEqual([
      [lineOf(text, '"extra"'), `nodes.0.extra: a kept text is longer than ${LIMITS.MAX_CONFIG_CHARS} characters`],
      [lineOf(text, '"ppppp'), `nodes.1.name: node name must be at most ${LIMITS.MAX_NAME_CHARS} characters`],
      [lineOf(text, '"label"'), `annotations.0.label: label must be at most ${LIMITS.MAX_LABEL_CHARS} characters`],
    ]);
  });

  it(`bounds the interfaces of the whole document (${LIMITS.MAX_INTERFACES}), so the engine's memory is bounded`, () => {
    const doc = emptyDocument();
    const perNode = 1000;
    for (let k = 0; k * perNode <= LIMITS.MAX_INTERFACES; k++) {
      doc.nodes.push({ id: `n${k}`, kind: 'lanswitch', name: `s${k}`, canvas: 'c0', position: { x: 0, y: 0 }, routes4: [], routes6: [], interfaces: Array.from({ length: perNode }, (_, i) => ({ name: `e${i}`, type: 'phys', ipv4: [], ipv6: [] })) });
    }
    const text = serializeTopology(doc, 'many.vnet');
    expect(errorsOf(text, 'many.vnet').map(formatDiagnostic)).toEqual([`many.vnet:${lineOf(text, '"nodes"')}: ${doc.nodes.length * perNode} interfaces in all; a topology may have at most ${LIMITS.MAX_INTERFACES}`]);
  });

  it('bounds an IMUNES label (2.x and 3.x) the same way', () => {
    const big = 'L'.repeat(LIMITS.MAX_LABEL_CHARS + 1);
    const legacy = `${legacyPrp}\nannotation a0 {\n    type text\n    iconcoords {10 10}\n    label {${big}}\n    canvas c0\n}\n`;
    const errs = errorsOf(legacy, 'big.imn');
    expect(errs.map((e) => e.message)).toEqual([`annotations.0.label: label must be at most ${LIMITS.MAX_LABEL_CHARS} characters`]);
    expect(errs[0]!.line).toBe(lineOf(legacy, 'annotation a0'));
  });
});

describe('what the engine would trip on is a located error', () => {
  it('lo0 of type phys on a pc: an error on its line (validate used to print an engine TypeError without a line)', () => {
    const raw = JSON.parse(serializeTopology(twoPcs(), 'x.vnet'));
    raw.nodes[0].interfaces[0].name = 'lo0';
    raw.links[0].a.iface = 'lo0';
    const text = JSON.stringify(raw, null, 2);
    expect(errorsOf(text, 'x.vnet').map(formatDiagnostic)).toEqual([
      `x.vnet:${lineOf(text, '"phys"')}: pc1 lo0: the loopback interface must have type "lo", not "phys"`,
    ]);
  });

  it('the same in an IMUNES file', () => {
    const text = jsonPrp.replace(/"name"(\s*):(\s*)"eth0"/, '"name"$1:$2"lo0"');
    const errs = errorsOf(text, 'x.imn');
    expect(errs.map((e) => e.message)).toContainEqual(expect.stringMatching(/lo0: the loopback interface must have type "lo"/));
  });

  it('a JSON v1 mirror link whose peers were edited is a located error, not a TypeError', () => {
    // l2 is the mirror half of l0; give it two real peers.
    const text = v1Mirror.replace(/"peers"(\s*):(\s*)"n5 n1"/, '"peers"$1:$2"n0 n1"');
    expect(text).not.toBe(v1Mirror);
    const errs = errorsOf(text, 'v1.imn');
    expect(errs.map(formatDiagnostic)).toEqual([`v1.imn:${lineOf(text, '"l0" : {')}: link l0: no node "n4" (dangling link peer)`]);
  });
});

describe('what VirtNet writes, it reads', () => {
  it('non-numeric IMUNES annotation coordinates are an error at the annotation, not a null on save', () => {
    const text = jsonPrp.replace('"gui"', '"gui" : { "annotations" : { "a0" : { "type" : "text", "iconcoords" : "10 abc", "label" : "x", "canvas" : "c0" } } }, "gui0"');
    const errs = errorsOf(text, 'ann.imn');
    expect(errs.map((e) => e.message)).toEqual([expect.stringMatching(/^annotations\.0\.coords\.1: /)]);
    expect(errs[0]!.line).toBe(lineOf(text, '"a0"'));
  });

  it('an IMUNES node with an empty name goes by its id, and the converted file validates', () => {
    const text = jsonPrp.replace(/"name"(\s*):(\s*)"pc1"/, '"name"$1:$2""');
    expect(text).not.toBe(jsonPrp);
    const r = parseTopology(text, 'empty.imn');
    if ('errors' in r) throw new Error(r.errors[0]!.message);
    const n = r.doc.nodes.find((x) => x.name === x.id);
    expect(n).toBeDefined();
    for (const out of ['o.vnet', 'o.imn']) expect('doc' in parseTopology(serializeTopology(r.doc, out), out)).toBe(true);
  });

  it('a node kind named like an Object member does not name the node after it', () => {
    expect(namePrefix('constructor')).toBe('constructor');
    expect(namePrefix('__proto__')).toBe('__proto__');
  });
});

describe('diagnostics are one line and quote user text', () => {
  it('control characters, newlines and long names in messages are escaped and cut', () => {
    const raw = JSON.parse(serializeTopology(twoPcs(), 'x.vnet'));
    raw.nodes[1].name = raw.nodes[0].name;
    raw.links[0].a.node = `evil\nnode\u0000\u001b[31m${'x'.repeat(200)}`;
    raw.nodes[0].interfaces[0].ipv4 = ['10.0.0.1\r\n/24'];
    const text = JSON.stringify(raw, null, 2);
    const lines = errorsOf(text, 'x.vnet').map(formatDiagnostic);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) {
      expect(l).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(l.length).toBeLessThan(500);
    }
    expect(lines).toContainEqual(expect.stringContaining('no node "evil\\nnode\\x00\\x1b[31mxxx'));
    expect(lines).toContainEqual(expect.stringContaining('"10.0.0.1\\r\\n/24" is not an IPv4 address'));
  });

  it('a legacy .imn block with a control-character name and a raw syntax echo stays one line', () => {
    const errs = errorsOf('no\u0007de n0 {\n}\nnode n1 x\ny {\n}\n', 'x.imn');
    for (const e of errs) expect(formatDiagnostic(e)).not.toMatch(/[\u0000-\u001f]/);
  });

  it('a name with a line break is refused (it would break prompts and one-line output)', () => {
    const raw = JSON.parse(serializeTopology(twoPcs(), 'x.vnet'));
    raw.nodes[0].name = 'pc\n1';
    expect(errorsOf(JSON.stringify(raw), 'x.vnet').map((e) => e.message)).toEqual(['node name "pc\\n1" must not contain control characters or line breaks']);
  });
});
