// Reads any IMUNES .imn generation — 3.x JSON (options.version "2"), the early JSON v1
// (not strict JSON: raw newlines inside strings) and the classic 2.x Tcl-block format —
// into a TopologyDoc with located errors and warnings for what will not run. No I/O.

import type { TopologyDoc } from '../document';
import { checkDocument, type DocPath } from '../check';
import { checkShape } from '../vnet-schema';
import { diag, nameText as q, quoteText, type Diagnostic, type ParseResult } from '../diagnostics';
import { parseJsonLocated } from '../json-locate';
import { json3ToDoc } from './from-json3';
import { importWarnings } from './import-warnings';
import { imunesFrrConf } from './frr-conf';
import { normalizeJson3, normalizeJsonV1 } from './json-v1';
import { isObj, objOf, type Json3, type Locator } from './json3-model';
import { readLegacy } from './legacy';

export type ImnGeneration = 'json3' | 'json1' | 'legacy';

export function detectImnGeneration(text: string): ImnGeneration {
  if (!text.trimStart().startsWith('{')) return 'legacy';
  const version = /"version"\s*:\s*"?(\d+)/.exec(text)?.[1];
  return version === '1' || (!/"gui"\s*:/.test(text) && /"iconcoords"/.test(text)) ? 'json1' : 'json3';
}

function readJson(text: string, file: string, gen: ImnGeneration): { json: Json3; locate: Locator; warnings: Diagnostic[] } | { errors: Diagnostic[] } {
  let parsed = parseJsonLocated(text);
  if (!parsed.ok) {
    const tolerant = parseJsonLocated(text, { tolerant: true });
    if (tolerant.ok) parsed = tolerant;
  }
  if (!parsed.ok) return { errors: [diag(file, parsed.pos.line, `invalid IMUNES JSON: ${parsed.message}`, 'error', parsed.pos.column)] };
  if (!isObj(parsed.value)) return { errors: [diag(file, 1, 'an IMUNES JSON topology must be one object')] };
  const raw = parsed.value;
  if (!isObj(raw.nodes) && raw.nodes !== undefined) return { errors: [diag(file, parsed.locate(['nodes']).line, '"nodes" must be an object keyed by node id')] };
  const json = gen === 'json1' ? normalizeJsonV1(raw) : normalizeJson3(raw);
  const loc = parsed.locate;
  // v1 keeps GUI fields in the node itself: the node path is the same in both shapes.
  return { json, locate: (p) => loc(p[0] === 'gui' && gen === 'json1' ? p.slice(1) : p).line, warnings: [] };
}

/** Give duplicate node names a unique suffix (IMUNES allows them; VirtNet addresses by name). */
function dedupeNames(doc: TopologyDoc, file: string, locate: Locator, warnings: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const n of doc.nodes) {
    if (seen.has(n.name)) {
      const fresh = `${n.name}-${n.id}`;
      warnings.push(diag(file, locate(['nodes', n.id]), `node ${q(n.id)}: name ${quoteText(n.name)} is used twice; renamed to ${quoteText(fresh)}`, 'warning'));
      n.name = fresh;
    }
    seen.add(n.name);
  }
}

export function readImn(text: string, fileName: string): ParseResult<TopologyDoc> {
  if (text.trim() === '') return { errors: [diag(fileName, 1, 'the file is empty')] };
  const gen = detectImnGeneration(text);
  const read = gen === 'legacy' ? readLegacy(text, fileName) : readJson(text, fileName, gen);
  if ('errors' in read) return read;
  const ctx = { file: fileName, locate: read.locate, errors: [] as Diagnostic[] };
  const imported = json3ToDoc(read.json, ctx);
  if (ctx.errors.length) return { errors: ctx.errors };
  for (const n of imported.nodes) {
    const conf = imunesFrrConf(n);
    if (conf !== undefined) n.frrConf = conf;
  }
  const warnings: Diagnostic[] = [...read.warnings];
  dedupeNames(imported, fileName, read.locate, warnings);
  // The same shape rules as a .vnet file: what loads can be saved and loaded again.
  const shape = checkShape(imported);
  const lineOf = (path: DocPath) => imnLine(imported, read.json, read.locate, path);
  if ('issues' in shape) return { errors: shape.issues.map((i) => diag(fileName, lineOf(i.path), i.message)) };
  const doc = shape.doc;
  const errors: Diagnostic[] = [];
  for (const issue of checkDocument(doc)) {
    (issue.severity === 'error' ? errors : warnings).push(diag(fileName, lineOf(issue.path), issue.message, issue.severity));
  }
  if (errors.length) return { errors };
  return { doc, warnings: [...warnings, ...importWarnings(doc, fileName, read.locate)] };
}

/** The .imn line of a path into the imported document (nodes, links and annotations by id). */
function imnLine(doc: TopologyDoc, json: Json3, locate: Locator, path: DocPath): number {
  const [top, idx, sub, j] = path;
  if (typeof idx !== 'number') return 1;
  if (top === 'nodes') {
    const id = doc.nodes[idx]?.id ?? '';
    return sub === 'interfaces' && typeof j === 'number' ? locate(['nodes', id, 'ifaces', ifcIdOf(json, id, j)]) : locate(['nodes', id]);
  }
  if (top === 'links') return locate(['links', doc.links[idx]?.id ?? '']);
  if (top === 'annotations') return locate(['gui', 'annotations', doc.annotations[idx]?.id ?? '']);
  if (top === 'canvases') return locate(['gui', 'canvases', doc.canvases[idx]?.id ?? '']);
  return 1;
}

function ifcIdOf(json: Json3, nodeId: string, index: number): string {
  return Object.keys(objOf(json.nodes[nodeId]?.ifaces))[index] ?? '';
}
