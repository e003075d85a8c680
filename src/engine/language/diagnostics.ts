/**
 * A diagnostic is one thing wrong (or worth a look) in an SOP file, with the exact place:
 * what a process owner needs to fix it without guessing.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  /** Stable, machine-readable kind of problem, e.g. `unknown-step`. */
  code: string;
  /** One sentence saying what is wrong, with the fix when there is one. */
  message: string;
  /** JSON pointer of the value at fault ('' for the whole document). */
  path: string;
}

/** `file:line:column severity message [code]`, the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message} [${d.code}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Document order: by line, then column, then message, so output is stable. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function toPointer(path: ReadonlyArray<string | number>): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
