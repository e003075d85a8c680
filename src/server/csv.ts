/** RFC 4180 CSV: a header from the first row's keys, fields quoted when they need it. */
export function toCsv(rows: ReadonlyArray<object>): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0]!);
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header.join(','), ...rows.map((row) => header.map((key) => field((row as Record<string, unknown>)[key])).join(','))].join('\r\n') + '\r\n';
}
