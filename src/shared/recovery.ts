// The crash-recovery snapshot: the open document (as .vnet text) and what its run showed
// (shell transcripts, capture summaries, event log), bounded. One valibot schema checks it
// wherever it is stored (Electron main's user-data folder, IndexedDB). No I/O here.
import * as v from 'valibot';

export const RECOVERY_LIMITS = {
  docChars: 64 * 1024 * 1024,
  terminals: 32,
  transcriptChars: 64 * 1024,
  captures: 16,
  captureRows: 200,
  logLines: 200,
  lineChars: 512,
  /** Snapshots kept at once (one per window that crashed); the oldest go first. */
  entries: 8,
} as const;

const L = RECOVERY_LIMITS;
const line = v.pipe(v.string(), v.maxLength(L.lineChars));
const label = v.pipe(v.string(), v.maxLength(255));

/** A window's id in the recovery store: random, so one window never overwrites another's. */
export const RECOVERY_ID = v.pipe(v.string(), v.regex(/^[a-z0-9-]{8,64}$/));

export const RECOVERY_SNAPSHOT = v.strictObject({
  id: RECOVERY_ID,
  savedAtMs: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** The document has changes that were never saved. */
  dirty: v.boolean(),
  file: v.strictObject({
    /** Electron: a file handle main issued (see src/main/file-capabilities.ts); null when unsaved. */
    handle: v.nullable(v.pipe(v.string(), v.maxLength(128))),
    name: v.pipe(label, v.minLength(1)),
    format: v.picklist(['vnet', 'imn']),
  }),
  /** The document in native .vnet form (lossless for both formats). */
  docText: v.pipe(v.string(), v.maxLength(L.docChars)),
  nodes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  run: v.strictObject({
    terminals: v.pipe(v.array(v.strictObject({ node: label, transcript: v.pipe(v.string(), v.maxLength(L.transcriptChars)) })), v.maxLength(L.terminals)),
    captures: v.pipe(v.array(v.strictObject({ name: label, frames: v.pipe(v.number(), v.integer(), v.minValue(0)), rows: v.pipe(v.array(line), v.maxLength(L.captureRows)) })), v.maxLength(L.captures)),
    log: v.pipe(v.array(line), v.maxLength(L.logLines)),
  }),
});

export type RecoverySnapshot = v.InferOutput<typeof RECOVERY_SNAPSHOT>;
export type RecoveredRun = RecoverySnapshot['run'];

export function emptyRun(): RecoveredRun {
  return { terminals: [], captures: [], log: [] };
}

export function hasRunOutput(run: RecoveredRun): boolean {
  return run.terminals.length > 0 || run.captures.length > 0 || run.log.length > 0;
}

/** Parses a stored snapshot; null when it is not one (a corrupt entry is skipped, never fatal). */
export function parseSnapshot(value: unknown): RecoverySnapshot | null {
  const r = v.safeParse(RECOVERY_SNAPSHOT, value);
  return r.success ? r.output : null;
}
