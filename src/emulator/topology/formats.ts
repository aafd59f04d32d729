// Picks the topology format of a file by extension and content (.vnet native JSON,
// .imn IMUNES in any generation) for loading and saving. No file I/O here: callers read
// and write (atomically) and pass text.

import type { TopologyDoc } from './document';
import { diag, formatDiagnostic, quoteText, type Diagnostic, type ParseResult } from './diagnostics';
import { readImn, writeImn } from './imunes';
import { parseVnet, serializeVnet, type ParseOptions } from './vnet';
import { LIMITS } from './vnet-schema';

export { LIMITS };

/** What a reader says about a file over LIMITS.MAX_FILE_BYTES. */
export function tooBigMessage(size: number): string {
  return `the file is too big for a topology (${size} bytes; the limit is ${LIMITS.MAX_FILE_BYTES / 1048576} MiB)`;
}

export { formatDiagnostic, type Diagnostic, type ParseResult };

export type TopologyFormat = 'vnet' | 'imn';

/** Format by extension; unknown extensions are sniffed from the content. */
export function detectFormat(text: string, fileName: string): TopologyFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.vnet')) return 'vnet';
  if (lower.endsWith('.imn')) return 'imn';
  const head = text.trimStart();
  if (!head.startsWith('{')) return 'imn';
  // Native documents carry a numeric top-level "version"; IMUNES JSON keeps it in "options".
  return /^\{\s*"version"\s*:\s*\d/.test(head) || /"links"\s*:\s*\[/.test(head) ? 'vnet' : 'imn';
}

export function parseTopology(text: string, fileName: string, options: ParseOptions = {}): ParseResult<TopologyDoc> {
  if (text.length > LIMITS.MAX_FILE_BYTES) return { errors: [diag(fileName, 1, tooBigMessage(text.length))] };
  if (text.trim() === '') return { errors: [diag(fileName, 1, 'the file is empty')] };
  return detectFormat(text, fileName) === 'vnet' ? parseVnet(text, fileName, options) : readImn(text, fileName);
}

/** Text to save `doc` as, chosen by the target file's extension (.imn → IMUNES 3.x JSON). */
export function serializeTopology(doc: TopologyDoc, fileName: string): string {
  return fileName.toLowerCase().endsWith('.imn') ? writeImn(doc) : serializeVnet(doc);
}

/**
 * What a save as `fileName` leaves out, as warnings to show before writing: IMUNES has no
 * teaching labs, so an .imn export drops the `lab` section (instructions, checks, locks).
 */
export function exportWarnings(doc: TopologyDoc, fileName: string): Diagnostic[] {
  if (!fileName.toLowerCase().endsWith('.imn')) return [];
  const out: Diagnostic[] = [];
  if (doc.lab) out.push(diag(fileName, 1, `the lab section (${quoteText(doc.lab.title, 60)}: instructions, ${doc.lab.checks.length} checks, locks) is left out: IMUNES files cannot hold a lab; save as .vnet to keep it`, 'warning'));
  // IMUNES keeps a node's files only as its custom configuration writes them (kept in `extra`).
  for (const n of doc.nodes) {
    const files = Object.keys(n.files ?? {});
    const dhcp = n.interfaces.filter((i) => i.dhcp === true).map((i) => i.name);
    if (files.length > 0) out.push(diag(fileName, 1, `${quoteText(n.name, 40)}: its files (${files.slice(0, 4).join(', ')}${files.length > 4 ? ' …' : ''}) are left out: write them in its custom configuration (cat > FILE << EOF) or save as .vnet`, 'warning'));
    if (dhcp.length > 0) out.push(diag(fileName, 1, `${quoteText(n.name, 40)}: "dhcp" on ${dhcp.join(', ')} is left out: run dhclient from its custom configuration or save as .vnet`, 'warning'));
  }
  return out;
}

/** One line per diagnostic, errors first: what `virtnet validate` prints. */
export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return [...ds].sort((a, b) => (a.severity === b.severity ? a.line - b.line : a.severity === 'error' ? -1 : 1)).map(formatDiagnostic).join('\n');
}
