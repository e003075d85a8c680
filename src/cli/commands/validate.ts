import { formatDiagnostic, hasErrors } from '../../engine/index.js';
import type { CliOutput } from '../output.js';
import { readSop } from '../read-sop.js';

/** `alur validate <files…>`: every problem of every file; exit 1 when any file has an error. */
export async function validateCommand(files: string[], options: { json?: boolean }, io: CliOutput): Promise<number> {
  const results = await Promise.all(files.map(readSop));
  const failed = results.some((r) => hasErrors(r.diagnostics));
  if (options.json) {
    io.out(JSON.stringify(results.map((r) => ({ file: r.file, valid: !hasErrors(r.diagnostics), diagnostics: r.diagnostics })), null, 2));
    return failed ? 1 : 0;
  }
  for (const result of results) {
    for (const d of result.diagnostics) (d.severity === 'error' ? io.err : io.out)(formatDiagnostic(d));
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.length - errors;
    if (result.definition) {
      io.out(`${result.file}: ok — "${result.definition.identity.title}" v${result.definition.version}, ${result.definition.steps.length} steps${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
    } else {
      io.err(`${result.file}: ${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
    }
  }
  return failed ? 1 : 0;
}
