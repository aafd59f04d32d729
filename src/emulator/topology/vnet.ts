// The native .vnet format: JSON with `"version": N`, validated by the valibot schema
// (vnet-schema.ts) and the semantic checks (check.ts), every problem located to its JSON
// line. Older versions migrate; newer or unversioned files are refused. No file I/O here.

import { DOC_VERSION, type AnnotationDoc, type InterfaceDoc, type LinkDoc, type LinkParams, type NodeDoc, type TopologyDoc } from './document';
import { checkDocument } from './check';
import { diag, quoteText, type Diagnostic, type ParseResult } from './diagnostics';
import { parseJsonLocated } from './json-locate';
import { checkShape } from './vnet-schema';

type Raw = Record<string, unknown>;

/**
 * Migrations from version k to k+1. Version 0 (pre-release drafts) had no `canvases`,
 * `annotations` or per-node `routes6`.
 */
const MIGRATIONS: Record<number, (raw: Raw) => Raw> = {
  0: (raw) => ({
    ...raw,
    version: 1,
    annotations: raw.annotations ?? [],
    canvases: raw.canvases ?? [{ id: 'c0', name: 'Canvas0' }],
    nodes: Array.isArray(raw.nodes) ? raw.nodes.map((n: Raw) => ({ ...n, routes6: n.routes6 ?? [] })) : raw.nodes,
  }),
};

function checkVersion(raw: unknown, file: string, line: (p: (string | number)[]) => number): { error: Diagnostic } | { raw: Raw } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: diag(file, 1, 'a .vnet file must hold one JSON object') };
  const r = raw as Raw;
  const ver = r.version;
  if (ver === undefined) return { error: diag(file, 1, `missing "version"; this is not a VirtNet .vnet document (expected "version": ${DOC_VERSION})`) };
  if (typeof ver !== 'number' || !Number.isInteger(ver) || ver < 0) {
    return { error: diag(file, line(['version']), `"version" must be a whole number (this VirtNet writes ${DOC_VERSION}), got ${describeValue(ver)}`) };
  }
  if (ver > DOC_VERSION) {
    return { error: diag(file, line(['version']), `written by a newer VirtNet (document version ${ver}); this VirtNet reads version ${DOC_VERSION} and older — please update VirtNet`) };
  }
  let cur = r;
  for (let k = ver; k < DOC_VERSION; k++) cur = MIGRATIONS[k]!(cur);
  return { raw: cur };
}

/** A short, one-line description of a JSON value for a message. */
function describeValue(x: unknown): string {
  if (typeof x === 'string') return quoteText(x);
  if (Array.isArray(x)) return 'a list';
  if (x !== null && typeof x === 'object') return 'an object';
  return String(x);
}

export interface ParseOptions {
  /**
   * Ignore the document's `lab` section entirely (the grader reading a submission: the
   * lab's checks are the teacher's, so a student's edited or broken copy cannot matter).
   */
  dropLab?: boolean;
}

export function parseVnet(text: string, fileName: string, options: ParseOptions = {}): ParseResult<TopologyDoc> {
  const parsed = parseJsonLocated(text);
  if (!parsed.ok) return { errors: [diag(fileName, parsed.pos.line, `invalid JSON: ${parsed.message}`, 'error', parsed.pos.column)] };
  const line = (p: (string | number)[]) => parsed.locate(p).line;
  const migrated = checkVersion(parsed.value, fileName, line);
  if ('error' in migrated) return { errors: [migrated.error] };
  if (options.dropLab) delete migrated.raw.lab;
  const shape = checkShape(migrated.raw);
  if ('issues' in shape) return { errors: dedupe(shape.issues.map((i) => diag(fileName, line(i.path), i.message))) };
  const doc = shape.doc;
  const issues = checkDocument(doc);
  const errors = issues.filter((i) => i.severity === 'error').map((i) => diag(fileName, line(i.path), i.message));
  if (errors.length) return { errors };
  return { doc, warnings: issues.map((i) => diag(fileName, line(i.path), i.message, 'warning')) };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---- serialization: fixed key order, small leaf objects on one line ----

function pick<T extends object>(o: T, keys: readonly (keyof T)[]): Raw {
  const out: Raw = {};
  for (const k of keys) if (o[k] !== undefined) out[k as string] = o[k];
  return out;
}

const PARAM_KEYS: (keyof LinkParams)[] = ['bandwidthBps', 'delayUs', 'jitterUs', 'lossPercent', 'berOneIn', 'dupPercent', 'queuePackets'];
const IFACE_KEYS: (keyof InterfaceDoc)[] = ['name', 'type', 'mac', 'ipv4', 'ipv6', 'mtu', 'up', 'dhcp', 'extra'];

function canonical(doc: TopologyDoc): Raw {
  const node = (n: NodeDoc): Raw => ({
    ...pick(n, ['id', 'kind', 'name', 'canvas', 'position', 'labelPosition']),
    interfaces: n.interfaces.map((i) => pick(i, IFACE_KEYS)),
    routes4: n.routes4.map((r) => pick(r, ['dest', 'gateway'])),
    routes6: n.routes6.map((r) => pick(r, ['dest', 'gateway'])),
    ...pick(n, ['forwarding', 'startup', 'frrConf', 'files', 'extra']),
  });
  const link = (l: LinkDoc): Raw => ({
    id: l.id,
    a: pick(l.a, ['node', 'iface']),
    b: pick(l.b, ['node', 'iface']),
    params: pick(l.params, PARAM_KEYS),
    ...(l.paramsBA ? { paramsBA: pick(l.paramsBA, PARAM_KEYS) } : {}),
    ...pick(l, ['up', 'color', 'width', 'extra']),
  });
  const ann = (a: AnnotationDoc): Raw => pick(a, ['id', 'kind', 'canvas', 'coords', 'label', 'labelColor', 'color', 'fill', 'font', 'width', 'radius', 'extra']);
  return {
    version: doc.version,
    ...pick(doc, ['name']),
    nodes: doc.nodes.map(node),
    links: doc.links.map(link),
    annotations: doc.annotations.map(ann),
    canvases: doc.canvases.map((c) => pick(c, ['id', 'name'])),
    ...pick(doc, ['lab', 'scenario', 'extra']),
  };
}

function isLeaf(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  const vals = Array.isArray(v) ? v : Object.values(v);
  return vals.every((x) => x === null || typeof x !== 'object');
}

function emit(v: unknown, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const flat = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    if (isLeaf(v) && flat.length <= 100) return flat;
    return `[\n${v.map((x) => inner + emit(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Raw).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  const flat = `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')} }`;
  if (isLeaf(v) && flat.length <= 100) return flat;
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${emit(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** The document as .vnet text: stable key order, 2-space indent, trailing newline. */
export function serializeVnet(doc: TopologyDoc): string {
  return emit(canonical(doc), '') + '\n';
}
