// Turns the normalized IMUNES 3.x JSON shape into a TopologyDoc: nodes, interfaces,
// routes, link parameters (IMUNES units: bit/s, µs, 1/N bits, %), canvases and
// annotations. Everything not modelled goes to `extra` verbatim so writeImn restores it.

import { DEFAULT_LINK_PARAMS, DOC_VERSION, type AnnotationDoc, type InterfaceDoc, type LinkDoc, type LinkParams, type NodeDoc, type RouteDoc, type TopologyDoc } from '../document';
import { diag, nameText as q, quoteText, type Diagnostic } from '../diagnostics';
import { validateLinkParam } from '../validate-fields';
import { objOf, setOwn, str, type Json3, type JsonObj, type Locator } from './json3-model';

const NODE_KEYS = new Set(['type', 'name', 'ifaces', 'croutes4', 'croutes6']);
const IFACE_KEYS = new Set(['name', 'type', 'mac', 'ipv4_addrs', 'ipv6_addrs', 'mtu', 'oper_state', 'link']);
const GUI_NODE_KEYS = new Set(['canvas', 'iconcoords', 'labelcoords', 'label']);
/** IMUNES link field → LinkParams field. */
export const LINK_PARAM_MAP = {
  bandwidth: 'bandwidthBps', delay: 'delayUs', jitter: 'jitterUs', loss: 'lossPercent', ber: 'berOneIn', duplicate: 'dupPercent', queue_len: 'queuePackets',
} as const satisfies Record<string, keyof LinkParams>;

const LINK_KEYS = new Set(['peers', 'peers_ifaces', ...Object.keys(LINK_PARAM_MAP)]);
const GUI_LINK_KEYS = new Set(['peers', 'color', 'width']);

interface NodeEntry {
  doc: NodeDoc;
  ifcNames: Map<string, string>;
  ifcLinks: Map<string, string>;
}

export interface Ctx {
  file: string;
  locate: Locator;
  errors: Diagnostic[];
}

function point(v: unknown): { x: number; y: number } | undefined {
  const s = str(v);
  if (!s) return undefined;
  const [x, y] = s.replace(/[{}]/g, ' ').trim().split(/\s+/).map(Number);
  return Number.isFinite(x) && Number.isFinite(y) ? { x: x!, y: y! } : undefined;
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  const s = str(v);
  return s ? s.trim().split(/\s+/) : [];
}

function routes(v: unknown, ctx: Ctx, at: (string | number)[]): RouteDoc[] {
  return strings(Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((r) => {
    const [dest, gateway, ...rest] = r.trim().split(/\s+/);
    if (!dest || !gateway || rest.length) {
      ctx.errors.push(diag(ctx.file, ctx.locate(at), `bad static route ${quoteText(r)} (expected "DEST/LEN GATEWAY")`));
      return [];
    }
    return [{ dest, gateway }];
  });
}

function rest(o: JsonObj, known: Set<string>): Record<string, unknown> | undefined {
  let e: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    if (known.has(k)) continue;
    e ??= {};
    // defineProperty: a "__proto__" key from the file stays plain data.
    Object.defineProperty(e, k, { value: o[k], writable: true, enumerable: true, configurable: true });
  }
  return e;
}

function iface(id: string, raw: JsonObj): InterfaceDoc {
  const i: InterfaceDoc = { // IMUNES writes an empty name for an unnamed node: it goes by its id, as in IMUNES.
    name: str(raw.name) || id, type: str(raw.type) ?? 'phys', ipv4: strings(raw.ipv4_addrs), ipv6: strings(raw.ipv6_addrs) };
  if (raw.mac !== undefined) i.mac = String(raw.mac);
  if (raw.mtu !== undefined) i.mtu = Number(raw.mtu);
  if (raw.oper_state === 'down') i.up = false;
  const extra = rest(raw, IFACE_KEYS);
  if (extra) i.extra = extra;
  return i;
}

function node(id: string, raw: JsonObj, gui: JsonObj, ctx: Ctx): NodeDoc {
  const ifaces = objOf(raw.ifaces);
  if (str(raw.type) === undefined) ctx.errors.push(diag(ctx.file, ctx.locate(['nodes', id]), `node ${q(id)} has no type (expected pc, host, router, lanswitch, hub …)`));
  const n: NodeDoc = {
    id,
    kind: str(raw.type) ?? 'pc',
    // IMUNES writes an empty name for an unnamed node: it goes by its id, as in IMUNES.
    name: str(raw.name) || id,
    canvas: str(gui.canvas) ?? 'c0',
    position: point(gui.iconcoords) ?? { x: 0, y: 0 },
    interfaces: Object.entries(ifaces).map(([k, v]) => iface(k, objOf(v))),
    routes4: routes(raw.croutes4, ctx, ['nodes', id, 'croutes4']),
    routes6: routes(raw.croutes6, ctx, ['nodes', id, 'croutes6']),
  };
  const label = point(gui.labelcoords);
  if (label) n.labelPosition = label;
  const extra: Record<string, unknown> = { ...rest(raw, NODE_KEYS) };
  const guiExtra = rest(gui, GUI_NODE_KEYS);
  if (guiExtra) extra.gui = guiExtra;
  if (gui.label !== undefined && gui.label !== n.name) extra.gui = { ...guiExtra, label: gui.label };
  if (Object.keys(extra).length) n.extra = extra;
  return n;
}

/** IMUNES value "2500" or a per-direction pair "{2500 1000}" → [a→b, b→a]. */
function paramPair(v: unknown): [number, number] | null {
  const parts = strings(str(v)?.replace(/[{}]/g, ' ') ?? '');
  // IMUNES stores 0 as an empty value ("bandwidth": "").
  if (parts.length === 0) return [0, 0];
  if (parts.length > 2) return null;
  const nums = parts.map(Number);
  if (nums.some((x) => !Number.isFinite(x))) return null;
  return [nums[0]!, nums[1] ?? nums[0]!];
}

function link(id: string, raw: JsonObj, gui: JsonObj, nodes: Map<string, NodeEntry>, ctx: Ctx): LinkDoc | null {
  const at = ['links', id];
  const peers = strings(raw.peers);
  const ifcs = strings(raw.peers_ifaces);
  const ends: { node: string; iface: string }[] = [];
  for (let k = 0; k < 2; k++) {
    const nid = peers[k];
    const n = nid !== undefined ? nodes.get(nid) : undefined;
    if (!n) {
      ctx.errors.push(diag(ctx.file, ctx.locate(at), `link ${q(id)}: no node ${quoteText(nid ?? '')} (dangling link peer)`));
      return null;
    }
    const ifc = ifcs[k] ?? [...n.ifcLinks].find(([, l]) => l === id)?.[0];
    const name = ifc !== undefined ? n.ifcNames.get(ifc) : undefined;
    if (!name) {
      ctx.errors.push(diag(ctx.file, ctx.locate(at), `link ${q(id)}: node ${q(nid)} has no interface ${ifcs[k] !== undefined ? q(ifcs[k]) : 'for this link'}`));
      return null;
    }
    ends.push({ node: nid!, iface: name });
  }
  const ab: LinkParams = { ...DEFAULT_LINK_PARAMS };
  const ba: LinkParams = { ...DEFAULT_LINK_PARAMS };
  for (const [imn, field] of Object.entries(LINK_PARAM_MAP)) {
    if (raw[imn] === undefined) continue;
    const pair = paramPair(raw[imn]);
    const why = pair ? validateLinkParam(field, pair[0]) ?? validateLinkParam(field, pair[1]) : `${field} is not a number`;
    if (why || !pair) {
      ctx.errors.push(diag(ctx.file, ctx.locate([...at, imn]), `link ${q(id)}: ${imn} ${quoteText(String(raw[imn]))}: ${why}`));
      continue;
    }
    ab[field] = pair[0];
    ba[field] = pair[1];
  }
  // IMUNES 3.x jitter is a list of sample values (µs) per direction; VirtNet's jitter is
  // the spread, so take the largest sample. The lists stay in `extra` for the round trip.
  for (const [key, dir] of [['jitter_upstream', ab], ['jitter_downstream', ba]] as const) {
    const samples = strings(str(raw[key])?.replace(/[{}]/g, ' ') ?? '').map(Number);
    if (samples.some((x) => !Number.isFinite(x) || x < 0)) ctx.errors.push(diag(ctx.file, ctx.locate([...at, key]), `link ${q(id)}: ${key} ${quoteText(String(raw[key]))} must be microsecond values`));
    else if (samples.length) dir.jitterUs = Math.max(...samples);
  }
  const l: LinkDoc = { id, a: ends[0]!, b: ends[1]!, params: ab };
  if (Object.keys(ab).some((k) => ab[k as keyof LinkParams] !== ba[k as keyof LinkParams])) l.paramsBA = ba;
  if (gui.color !== undefined) l.color = String(gui.color);
  if (gui.width !== undefined) l.width = Number(gui.width);
  const extra: Record<string, unknown> = { ...rest(raw, LINK_KEYS) };
  const guiExtra = rest(gui, GUI_LINK_KEYS);
  if (guiExtra) extra.gui = guiExtra;
  if (Object.keys(extra).length) l.extra = extra;
  return l;
}

const ANN_KEYS = new Set(['type', 'iconcoords', 'canvas', 'label', 'labelcolor', 'color', 'bordercolor', 'font', 'width', 'rad']);

function annotation(id: string, raw: JsonObj): AnnotationDoc {
  const kind = (['rectangle', 'oval', 'text', 'freeform'].includes(String(raw.type)) ? raw.type : 'text') as AnnotationDoc['kind'];
  const a: AnnotationDoc = { id, kind, canvas: str(raw.canvas) ?? 'c0', coords: strings(str(raw.iconcoords)?.replace(/[{}]/g, ' ')).map(Number) };
  const shape = kind === 'rectangle' || kind === 'oval';
  if (raw.label !== undefined) a.label = String(raw.label);
  if (raw.labelcolor !== undefined) a.labelColor = String(raw.labelcolor);
  if (raw.color !== undefined) a[shape ? 'fill' : 'color'] = String(raw.color);
  if (shape && raw.bordercolor !== undefined) a.color = String(raw.bordercolor);
  if (raw.font !== undefined) a.font = String(raw.font);
  if (raw.width !== undefined) a.width = Number(raw.width);
  if (raw.rad !== undefined) a.radius = Number(raw.rad);
  const extra: Record<string, unknown> = { ...rest(raw, ANN_KEYS) };
  if (raw.type !== kind) extra.type = raw.type;
  if (!shape && raw.bordercolor !== undefined) extra.bordercolor = raw.bordercolor;
  if (Object.keys(extra).length) a.extra = extra;
  return a;
}

export function json3ToDoc(json: Json3, ctx: Ctx): TopologyDoc {
  const nodes = new Map<string, NodeEntry>();
  for (const [id, raw] of Object.entries(json.nodes)) {
    const r = objOf(raw);
    const ifcNames = new Map(Object.entries(objOf(r.ifaces)).map(([k, v]) => [k, str(objOf(v).name) ?? k] as const));
    const ifcLinks = new Map(Object.entries(objOf(r.ifaces)).map(([k, v]) => [k, str(objOf(v).link) ?? ''] as const));
    nodes.set(id, { doc: node(id, r, objOf(json.gui.nodes[id]), ctx), ifcNames, ifcLinks });
  }
  const links: LinkDoc[] = [];
  for (const id of Object.keys(json.links)) {
    const l = link(id, objOf(json.links[id]), objOf(json.gui.links[id]), nodes, ctx);
    if (l) links.push(l);
  }
  const doc: TopologyDoc = {
    version: DOC_VERSION,
    nodes: [...nodes.values()].map((n) => n.doc),
    links,
    annotations: Object.entries(objOf(json.gui.annotations)).map(([id, a]) => annotation(id, objOf(a))),
    canvases: Object.entries(json.gui.canvases).map(([id, c]) => ({ id, name: str(objOf(c).name) ?? id })),
  };
  if (doc.canvases.length === 0) doc.canvases.push({ id: 'c0', name: 'Canvas0' });
  const extra: Record<string, unknown> = {};
  const options = rest(json.options, new Set(['version']));
  if (options) extra.options = options;
  if (json.gui.options) extra.guiOptions = json.gui.options;
  const mirrorNodes: JsonObj = {};
  for (const k of Object.keys(json.gui.nodes)) if (!nodes.has(k)) setOwn(mirrorNodes, k, json.gui.nodes[k]);
  const mirrorLinks: JsonObj = {};
  for (const k of Object.keys(json.gui.links)) if (!Object.hasOwn(json.links, k)) setOwn(mirrorLinks, k, json.gui.links[k]);
  if (Object.keys(mirrorNodes).length || Object.keys(mirrorLinks).length) extra.guiMirrors = { nodes: mirrorNodes, links: mirrorLinks };
  const guiRest = rest(json.gui, new Set(['options', 'canvases', 'links', 'nodes', 'annotations']));
  if (guiRest) extra.gui = guiRest;
  if (Object.keys(extra).length) doc.extra = extra;
  return doc;
}
