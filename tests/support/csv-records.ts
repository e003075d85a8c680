/** A CSV export read back as records keyed by its header (through the RFC 4180 reader the camera import uses). */
import { parseCsv } from '../../src/app/csv-parse.js';

export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((key, i) => [key, row[i] ?? ''])));
}
