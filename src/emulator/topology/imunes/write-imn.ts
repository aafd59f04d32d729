// Writes a TopologyDoc as IMUNES 3.x JSON (options.version "2"), the format of the 3.x
// example files, restoring what the import kept in `extra`. Keys VirtNet invented for
// legacy-only data (`legacy_*`) are left out so IMUNES sees only its own fields.

import type { AnnotationDoc, InterfaceDoc, LinkDoc, LinkParams, NodeDoc, TopologyDoc } from '../document';
import { DEFAULT_LINK_PARAMS } from '../document';
import { isObj, objOf, type JsonObj } from './json3-model';
import { LINK_PARAM_MAP } from './from-json3';

function clean(o: Record<string, unknown> | undefined, drop: string[] = []): JsonObj {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !k.startsWith('legacy_') && !drop.includes(k)));
}

function num(n: number): string {
  return String(n);
}

function ifaceJson(i: InterfaceDoc, linkId: string | undefined): JsonObj {
  // Key order as IMUNES writes it: loopbacks name the type first, others after addresses.
  const o: JsonObj = i.type === 'lo' ? { name: i.name, type: i.type } : { name: i.name };
  if (i.mac !== undefined) o.mac = i.mac;
  if (i.ipv4.length) o.ipv4_addrs = [...i.ipv4];
  if (i.ipv6.length) o.ipv6_addrs = [...i.ipv6];
  o.type = i.type;
  if (i.mtu !== undefined) o.mtu = num(i.mtu);
  if (i.up === false) o.oper_state = 'down';
  Object.assign(o, clean(i.extra));
  if (linkId) o.link = linkId;
  return o;
}

function nodeJson(n: NodeDoc, linkOf: Map<string, string>): JsonObj {
  const ex = clean(n.extra, ['gui']);
  const o: JsonObj = { type: n.kind };
  if (ex.model !== undefined) o.model = ex.model;
  o.name = n.name;
  if (ex.router_config !== undefined) o.router_config = ex.router_config;
  o.ifaces = Object.fromEntries(n.interfaces.map((i, k) => [`ifc${k}`, ifaceJson(i, linkOf.get(`${n.id}\u0000${i.name}`))]));
  if (n.routes4.length) o.croutes4 = n.routes4.map((r) => `${r.dest} ${r.gateway}`);
  if (n.routes6.length) o.croutes6 = n.routes6.map((r) => `${r.dest} ${r.gateway}`);
  for (const [k, v] of Object.entries(ex)) if (!(k in o)) o[k] = v;
  return o;
}

function paramValue(ab: number, ba: number): string {
  return ab === ba ? num(ab) : `{${num(ab)} ${num(ba)}}`;
}

function linkJson(l: LinkDoc, ifc: (node: string, iface: string) => string): JsonObj {
  const o: JsonObj = { peers: `${l.a.node} ${l.b.node}`, peers_ifaces: `${ifc(l.a.node, l.a.iface)} ${ifc(l.b.node, l.b.iface)}` };
  const ba = l.paramsBA ?? l.params;
  for (const [imn, field] of Object.entries(LINK_PARAM_MAP) as [string, keyof LinkParams][]) {
    const a = l.params[field];
    const b = ba[field];
    const dflt = DEFAULT_LINK_PARAMS[field];
    if (imn === 'jitter') continue;
    if (imn === 'bandwidth' || a !== dflt || b !== dflt) o[imn] = paramValue(a, b);
  }
  const extra = clean(l.extra, ['gui']);
  // Keep IMUNES jitter sample lists only while they still describe the jitter we model.
  for (const [key, want] of [['jitter_upstream', l.params.jitterUs], ['jitter_downstream', ba.jitterUs]] as const) {
    const samples = String(extra[key] ?? '').replace(/[{}]/g, ' ').trim().split(/\s+/).filter(Boolean).map(Number);
    if ((samples.length ? Math.max(...samples) : 0) !== want) {
      if (want > 0) extra[key] = num(want);
      else delete extra[key];
    }
  }
  return { ...o, ...extra };
}

function annotationJson(a: AnnotationDoc): JsonObj {
  const shape = a.kind === 'rectangle' || a.kind === 'oval';
  const ex = clean(a.extra);
  const o: JsonObj = { type: ex.type ?? a.kind, iconcoords: a.coords.map(num).join(' ') };
  if (a.label !== undefined) o.label = a.label;
  if (a.labelColor !== undefined) o.labelcolor = a.labelColor;
  const fillish = shape ? a.fill : a.color;
  if (fillish !== undefined) o.color = fillish;
  if (shape && a.color !== undefined) o.bordercolor = a.color;
  if (a.font !== undefined) o.font = a.font;
  if (a.width !== undefined) o.width = num(a.width);
  if (a.radius !== undefined) o.rad = num(a.radius);
  o.canvas = a.canvas;
  for (const [k, v] of Object.entries(ex)) if (k !== 'type') o[k] = v;
  return o;
}

const LOOPBACK: InterfaceDoc = { name: 'lo0', type: 'lo', ipv4: ['127.0.0.1/8'], ipv6: ['::1/128'] };

/** IMUNES gives every pc, host and router a lo0 (ifc0); drawn VirtNet nodes have none. */
function withLoopback(doc: TopologyDoc): TopologyDoc {
  const needs = (n: NodeDoc) => ['pc', 'host', 'router'].includes(n.kind) && !n.interfaces.some((i) => i.type === 'lo');
  if (!doc.nodes.some(needs)) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (needs(n) ? { ...n, interfaces: [{ ...LOOPBACK }, ...n.interfaces] } : n)) };
}

/** The IMUNES 3.x JSON object for a document (pcs, hosts and routers get lo0 if missing). */
export function docToJson3(input: TopologyDoc): JsonObj {
  const doc = withLoopback(input);
  const linkOf = new Map<string, string>();
  for (const l of doc.links) {
    linkOf.set(`${l.a.node}\u0000${l.a.iface}`, l.id);
    linkOf.set(`${l.b.node}\u0000${l.b.iface}`, l.id);
  }
  const ifcIds = new Map(doc.nodes.flatMap((n) => n.interfaces.map((i, k) => [`${n.id}\u0000${i.name}`, `ifc${k}`] as const)));
  const ifc = (node: string, iface: string) => ifcIds.get(`${node}\u0000${iface}`) ?? iface;
  const ex = doc.extra ?? {};
  const mirrors = objOf(ex.guiMirrors);
  const gui: JsonObj = {};
  if (isObj(ex.guiOptions)) gui.options = ex.guiOptions;
  gui.canvases = Object.fromEntries(doc.canvases.map((c) => [c.id, { name: c.name }]));
  gui.links = {
    ...Object.fromEntries(doc.links.map((l) => [l.id, { peers: `${l.a.node} ${l.b.node}`, ...(l.color !== undefined ? { color: l.color } : {}), ...(l.width !== undefined ? { width: num(l.width) } : {}), ...clean(objOf(l.extra?.gui)) }])),
    ...objOf(mirrors.links),
  };
  gui.nodes = {
    ...Object.fromEntries(doc.nodes.map((n) => [n.id, {
      label: n.name, canvas: n.canvas, iconcoords: `${num(n.position.x)} ${num(n.position.y)}`,
      ...(n.labelPosition ? { labelcoords: `${num(n.labelPosition.x)} ${num(n.labelPosition.y)}` } : {}),
      ...clean(objOf(n.extra?.gui)),
    }])),
    ...objOf(mirrors.nodes),
  };
  if (doc.annotations.length) gui.annotations = Object.fromEntries(doc.annotations.map((a) => [a.id, annotationJson(a)]));
  Object.assign(gui, clean(objOf(ex.gui)));
  return {
    nodes: Object.fromEntries(doc.nodes.map((n) => [n.id, nodeJson(n, linkOf)])),
    links: Object.fromEntries(doc.links.map((l) => [l.id, linkJson(l, ifc)])),
    options: { version: '2', ...clean(objOf(ex.options)) },
    gui,
  };
}

/** IMUNES-style JSON text: 4-space indent, keys of one object aligned, short lists inline. */
export function formatImnJson(v: unknown, indent = ''): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '    ';
  if (Array.isArray(v)) return `[${v.map((x) => formatImnJson(x, inner)).join(', ')}]`;
  const entries = Object.entries(v as JsonObj).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => JSON.stringify(k).length));
  const body = entries.map(([k, x]) => `${inner}${JSON.stringify(k).padEnd(width)} : ${formatImnJson(x, inner)}`);
  return `{\n${body.join(',\n')}\n${indent}}`;
}

export function writeImn(doc: TopologyDoc): string {
  return formatImnJson(docToJson3(doc)) + '\n';
}
