import { readFile } from 'node:fs/promises';
import { validateSop, type ValidationResult } from '../engine/index.js';

/** Read and validate one SOP file; a missing file is reported like any other problem. */
export async function readSop(file: string): Promise<ValidationResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    return { file, diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'unreadable', message: `cannot read the file: ${reason}`, path: '' }] };
  }
  return validateSop(text, file);
}
