// Reads the classic IMUNES 2.x Tcl-block .imn format (`node n0 { … }`, `link l0 { … }`,
// `annotation`, `canvas`, `option`) into the 3.x JSON shape, merging pseudo-node pairs
// (links drawn across canvases) into one real link; `image` blocks (custom icons) are kept.
// Errors are located; no I/O.

import { diag, quoteText, type Diagnostic } from '../diagnostics';
import { mapLocator, setOwn, type Json3, type JsonObj, type Locator } from './json3-model';
import { readLegacyNode, type LegacyNode } from './legacy-nodes';
import { splitCommands, tclList, TclSyntaxError, type TclCommand } from './tcl-words';
import { resolveLinks, type LegacyLinkIn } from './legacy-links';

const LINK_FIELDS: Record<string, string> = {
  bandwidth: 'bandwidth', delay: 'delay', ber: 'ber', loss: 'loss', duplicate: 'duplicate', jitter: 'jitter',
  direct: 'direct', 'queue-len': 'queue_len', 'queue-disc': 'queue_disc',
};

type LegacyLink = LegacyLinkIn;

export type LegacyResult = { json: Json3; locate: Locator; warnings: Diagnostic[] } | { errors: Diagnostic[] };

function readLink(c: TclCommand, id: string): LegacyLink {
  const link: LegacyLink = { id, line: c.line, ends: ['', ''], fields: {}, gui: {} };
  for (const f of splitCommands(c.words[2]!.text, c.words[2]!.line)) {
    const [k, ...args] = f.words;
    const text = args.map((a) => a.text).join(' ');
    const key = k!.text;
    if (key === 'nodes') link.ends = (tclList(text).concat(['', ''])).slice(0, 2) as [string, string];
    else if (key === 'ifaces') link.ifaces = tclList(text).slice(0, 2) as [string, string];
    else if (key === 'mirror') link.mirror = text;
    else if (key === 'color' || key === 'width') link.gui[key] = text;
    else if (args[0]?.braced && key === 'delay') link.fields.delay = `{${args[0].text}}`;
    else link.fields[Object.hasOwn(LINK_FIELDS, key) ? LINK_FIELDS[key]! : `legacy_${key}`] = text;
  }
  return link;
}

function readAnnotation(c: TclCommand): JsonObj {
  const a: JsonObj = {};
  for (const f of splitCommands(c.words[2]!.text, c.words[2]!.line)) {
    const [k, ...args] = f.words;
    const text = args.map((x) => x.text).join(' ');
    setOwn(a, k!.text, k!.text === 'iconcoords' ? text.trim().split(/\s+/).map((n) => String(Number(n))).join(' ') : text);
  }
  return a;
}

function readBlockFields(c: TclCommand): JsonObj {
  const o: JsonObj = {};
  for (const f of splitCommands(c.words[2]!.text, c.words[2]!.line)) setOwn(o, f.words[0]!.text, f.words.slice(1).map((x) => x.text).join(' '));
  return o;
}

export function readLegacy(text: string, file: string): LegacyResult {
  let cmds: TclCommand[];
  try {
    cmds = splitCommands(text);
  } catch (e) {
    if (e instanceof TclSyntaxError) return { errors: [diag(file, e.line, e.message)] };
    throw e;
  }
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const lines = new Map<string, number>();
  const nodes: LegacyNode[] = [];
  const links: LegacyLink[] = [];
  const nodeIds = new Set<string>();
  const linkIds = new Set<string>();
  const json: Json3 = { nodes: {}, links: {}, options: { version: '2' }, gui: { canvases: {}, links: {}, nodes: {} } };
  const annotations: Record<string, JsonObj> = {};
  const st: BlockState = { file, errors, nodes, links, nodeIds, linkIds, json, annotations, lines };
  for (const c of cmds) {
    try {
      readBlock(c, st);
    } catch (e) {
      // A block body is split again when read: its own brace errors come back located too.
      if (e instanceof TclSyntaxError) errors.push(diag(file, e.line, e.message));
      else throw e;
    }
  }
  if (Object.keys(annotations).length) json.gui.annotations = annotations;
  for (const n of nodes) {
    lines.set(`nodes/${n.id}`, n.line);
    for (const [name, l] of n.ifaceLines) lines.set(`nodes/${n.id}/ifaces/${n.ifcByName.get(name) ?? name}`, l);
  }
  for (const l of links) lines.set(`links/${l.id}`, l.line);
  resolveLinks(nodes, links, json, file, errors);
  if (errors.length) return { errors };
  return { json, locate: mapLocator(lines), warnings };
}

interface BlockState {
  file: string;
  errors: Diagnostic[];
  nodes: LegacyNode[];
  links: LegacyLink[];
  nodeIds: Set<string>;
  linkIds: Set<string>;
  json: Json3;
  annotations: Record<string, JsonObj>;
  lines: Map<string, number>;
}

/** One top-level `KEYWORD ID { … }` block into the state; may throw TclSyntaxError. */
function readBlock(c: TclCommand, st: BlockState): void {
  const [kw, idw, body] = c.words;
  const id = idw?.text ?? '';
  if (!body?.braced || c.words.length !== 3) {
    st.errors.push(diag(st.file, c.line, `expected ${quoteText(`${kw!.text} ID { … }`)} but found ${quoteText(c.words.map((w) => w.text).join(' '))}`));
    return;
  }
  if (kw!.text === 'node') {
    if (st.nodeIds.has(id)) st.errors.push(diag(st.file, c.line, `duplicate node id ${quoteText(id)}`));
    else {
      st.nodeIds.add(id);
      st.nodes.push(readLegacyNode(id, body, c.line));
    }
  } else if (kw!.text === 'link') {
    if (st.linkIds.has(id)) st.errors.push(diag(st.file, c.line, `duplicate link id ${quoteText(id)}`));
    else {
      st.linkIds.add(id);
      st.links.push(readLink(c, id));
    }
  } else if (kw!.text === 'annotation') {
    const a = readAnnotation(c);
    if (a.type === undefined) st.json.gui.legacy_annotation_lists = { ...(st.json.gui.legacy_annotation_lists as JsonObj), [id]: Object.keys(a) };
    else {
      setOwn(st.annotations, id, a);
      st.lines.set(`gui/annotations/${id}`, c.line);
    }
  } else if (kw!.text === 'canvas') setOwn(st.json.gui.canvases, id, readBlockFields(c));
  else if (kw!.text === 'option') st.json.gui.options = { ...st.json.gui.options, ...prefixKeys(readBlockFields(c), id) };
  // A custom icon (IMUNES 2.x `image imgN { … }`): kept under gui.images for the round trip.
  else if (kw!.text === 'image') setOwn((st.json.gui.images ??= {}) as JsonObj, id, readBlockFields(c));
  else st.errors.push(diag(st.file, c.line, `unknown block ${quoteText(kw!.text)} (expected node, link, annotation, canvas, option or image)`));
}

function prefixKeys(o: JsonObj, id: string): JsonObj {
  const yesNo = (v: unknown) => (v === 'yes' ? '1' : v === 'no' ? '0' : v);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${id}_${k}`, yesNo(v)]));
}
