/** What every semantic check gets, and how it reports: shared by the checks of one SOP file. */
import type { Severity } from './diagnostics.js';
import type { SourcePath } from './normalize-sop.js';
import type { SopDefinition } from './sop-types.js';
import type { Position } from './yaml-source.js';

export interface SemanticContext {
  file: string;
  definition: SopDefinition;
  stepPaths: Map<string, SourcePath>;
  positionAt: (path: SourcePath, target?: 'value' | 'key') => Position;
  /** The raw step list, for checks that must see duplicates before normalisation merged them. */
  rawSteps: Array<{ id: string; path: SourcePath }>;
}

export type Report = (path: SourcePath, code: string, message: string, severity?: Severity, target?: 'value' | 'key') => void;

export function flowName(procedure: string | undefined): string {
  return procedure === undefined ? 'the main flow' : `procedure "${procedure}"`;
}

export function durationMessage(owner: string, field: string, text: string): string {
  return `${owner} ${field} "${text}" is not a duration; write e.g. "15 menit", "1 jam 30 menit", "2 hari", "10m" or "PT15M"`;
}
