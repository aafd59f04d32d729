// Located diagnostics for topology files: what is wrong, in which file, on which line.
// Shared by the .vnet and .imn readers, the CLI (`virtnet validate`) and the GUI.
// Must not throw or print; formatting is `file:line: message` like compilers do (the
// column, when known, stays in the record for editors to place a cursor).

export interface Diagnostic {
  file: string;
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

export type ParseResult<T> = { doc: T; warnings: Diagnostic[] } | { errors: Diagnostic[] };

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

export function diag(file: string, line: number, message: string, severity: Diagnostic['severity'] = 'error', column?: number): Diagnostic {
  return column === undefined ? { file, line, message, severity } : { file, line, column, message, severity };
}
