/**
 * limits → parse → schema → semantics → normalise: one SOP file's text in, either a definition
 * or the list of everything wrong with it. Never throws.
 */
import type { Diagnostic } from './diagnostics.js';
import { hasErrors, sortDiagnostics, toPointer } from './diagnostics.js';
import { normalizeSop, type SourcePath } from './normalize-sop.js';
import { checkAgainstSchema } from './schema-check.js';
import { checkSemantics } from './semantic-checks.js';
import { capDiagnostics, checkSourceText, resolveLimits, tooManyStepsMessage, type SourceLimits } from './source-limits.js';
import type { SopDefinition } from './sop-types.js';
import { parseSopSource, positionOf, type SopSource } from './yaml-source.js';

export interface ValidationResult {
  file: string;
  /** Sorted by position; errors and warnings. */
  diagnostics: Diagnostic[];
  /** Present only when there is no error. */
  definition?: SopDefinition;
}

export interface ValidateOptions {
  /** Stricter or looser limits than SOURCE_LIMITS (tests, benchmarks). */
  limits?: Partial<SourceLimits>;
}

/**
 * Validate one SOP file's text. Never throws: a file over a limit gets a diagnostic saying which
 * (see source-limits.ts), and anything unexpected becomes an `internal-error` diagnostic.
 *
 * @example
 * const { definition, diagnostics } = validateSop(readFileSync(file, 'utf8'), file);
 */
export function validateSop(text: string, file: string, options: ValidateOptions = {}): ValidationResult {
  try {
    return validateWithin(text, file, resolveLimits(options.limits));
  } catch (error) {
    // A bug in a check (or a runtime limit no check foresaw) must not crash a server or an editor.
    const reason = error instanceof Error ? error.message : String(error);
    return { file, diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'internal-error', message: `Alur could not check this file (${reason}); please report it`, path: '' }] };
  }
}

function validateWithin(text: string, file: string, limits: Readonly<SourceLimits>): ValidationResult {
  const overLimit = checkSourceText(text, file, limits);
  if (overLimit.length > 0) return { file, diagnostics: overLimit };
  const { source, diagnostics } = parseSopSource(text, file, limits);
  if (hasErrors(diagnostics)) return { file, diagnostics: capDiagnostics(sortDiagnostics(diagnostics)) };
  const tooManySteps = checkStepCount(source, limits.maxSteps);
  if (tooManySteps) return { file, diagnostics: capDiagnostics(sortDiagnostics([...diagnostics, tooManySteps])) };
  diagnostics.push(...validateParsed(source));
  sortDiagnostics(diagnostics);
  if (hasErrors(diagnostics)) return { file, diagnostics: capDiagnostics(diagnostics) };
  const positionAt = (path: SourcePath, target?: 'value' | 'key') => positionOf(source, path, target);
  return { file, diagnostics: capDiagnostics(diagnostics), definition: normalizeSop(source.data, positionAt).definition };
}

/** Counted before the schema check, whose cost grows with the number of steps. */
function checkStepCount(source: SopSource, maxSteps: number): Diagnostic | undefined {
  let count = 0;
  let over: SourcePath | undefined;
  const walk = (list: unknown, base: SourcePath): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item: unknown, i) => {
      count += 1;
      if (count === maxSteps + 1) over = [...base, i];
      walk((item as { steps?: unknown } | null)?.steps, [...base, i, 'steps']);
    });
  };
  walk((source.data as { steps?: unknown } | null)?.steps, ['steps']);
  if (over === undefined) return undefined;
  return { file: source.file, ...positionOf(source, over), severity: 'error', code: 'too-many-steps', message: tooManyStepsMessage(count, maxSteps), path: toPointer(over) };
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
