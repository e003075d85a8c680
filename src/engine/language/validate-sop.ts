/**
 * parse → schema → semantics → normalise: one SOP file's text in, either a definition or
 * the list of everything wrong with it. Never throws on bad input.
 */
import type { Diagnostic } from './diagnostics.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import { normalizeSop, type SourcePath } from './normalize-sop.js';
import { checkAgainstSchema } from './schema-check.js';
import { checkSemantics } from './semantic-checks.js';
import type { SopDefinition } from './sop-types.js';
import { parseSopSource, positionOf, type SopSource } from './yaml-source.js';

export interface ValidationResult {
  file: string;
  /** Sorted by position; errors and warnings. */
  diagnostics: Diagnostic[];
  /** Present only when there is no error. */
  definition?: SopDefinition;
}

export function validateSop(text: string, file: string): ValidationResult {
  const { source, diagnostics } = parseSopSource(text, file);
  if (hasErrors(diagnostics)) return { file, diagnostics: sortDiagnostics(diagnostics) };
  try {
    diagnostics.push(...validateParsed(source));
  } catch (error) {
    // A bug in a check must not hide the file's real problems or crash an editor integration.
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'internal-error', message: `Alur could not check this file (${error instanceof Error ? error.message : String(error)}); please report it`, path: '' });
  }
  sortDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return { file, diagnostics };
  const positionAt = (path: SourcePath, target?: 'value' | 'key') => positionOf(source, path, target);
  return { file, diagnostics, definition: normalizeSop(source.data, positionAt).definition };
}

function validateParsed(source: SopSource): Diagnostic[] {
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    const at = positionOf(source, []);
    return [{ file: source.file, ...at, severity: 'error', code: 'not-a-mapping', message: 'an SOP file must be a YAML mapping with id, version, identity, roles and steps', path: '' }];
  }
  const schemaDiagnostics = checkAgainstSchema(source);
  if (schemaDiagnostics.length > 0) return schemaDiagnostics;
  const positionAt = (path: SourcePath, target?: 'value' | 'key') => positionOf(source, path, target);
  const { definition, stepPaths } = normalizeSop(source.data, positionAt);
  return checkSemantics({ file: source.file, definition, stepPaths, positionAt, rawSteps: rawStepIds(source.data) });
}

function rawStepIds(data: unknown): Array<{ id: string; path: SourcePath }> {
  const out: Array<{ id: string; path: SourcePath }> = [];
  const walk = (list: unknown, base: SourcePath): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item: { id?: unknown; steps?: unknown }, i) => {
      if (typeof item?.id === 'string') out.push({ id: item.id, path: [...base, i] });
      walk(item?.steps, [...base, i, 'steps']);
    });
  };
  walk((data as { steps?: unknown }).steps, ['steps']);
  return out;
}
