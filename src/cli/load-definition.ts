import { formatDiagnostic, type SopDefinition } from '../engine/index.js';
import type { CliOutput } from './output.js';
import { readSop } from './read-sop.js';

/** The definition in `file`, or undefined after printing why it is not valid. */
export async function loadDefinition(file: string, io: CliOutput): Promise<SopDefinition | undefined> {
  const result = await readSop(file);
  if (!result.definition) {
    for (const d of result.diagnostics) io.err(formatDiagnostic(d));
    io.err(`${file} is not a valid SOP; run "alur validate ${file}" for details`);
  }
  return result.definition;
}
