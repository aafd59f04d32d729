// Reads and writes topology files by extension through the topology module's formats
// (native .vnet, IMUNES .imn); turns located diagnostics into display lines. Must not
// parse formats itself nor touch the DOM.
import type { TopologyDoc } from '../../emulator/topology/document';
import { formatDiagnostic, parseTopology, serializeTopology } from '../../emulator/topology/formats';
import type { FileFormat } from '../store/doc-store';

export type DecodeResult = { ok: true; doc: TopologyDoc; warnings: string[] } | { ok: false; errors: string[] };

export function formatOf(fileName: string): FileFormat | null {
  const m = /\.(vnet|imn)$/i.exec(fileName);
  return m ? (m[1]!.toLowerCase() as FileFormat) : null;
}

export function decodeTopology(text: string, fileName: string): DecodeResult {
  if (!formatOf(fileName)) return { ok: false, errors: [`${fileName}: unknown file type (expected .vnet or .imn)`] };
  const r = parseTopology(text, fileName);
  if ('errors' in r) return { ok: false, errors: r.errors.map(formatDiagnostic) };
  return { ok: true, doc: r.doc, warnings: r.warnings.map(formatDiagnostic) };
}

export function encodeTopology(doc: TopologyDoc, fileName: string): string {
  return serializeTopology(doc, fileName);
}
