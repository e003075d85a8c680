/**
 * The broken corpus: tests/fixtures/broken/*.yaml, each an otherwise complete SOP with one
 * deliberate mistake (a few with several, to show every error is reported, not only the first).
 * Each fixture states, in its header, exactly what the validator must say about it:
 *
 *   # expect: LINE:COLUMN CODE MESSAGE
 *
 * one line per diagnostic (errors and warnings alike), in the order validateSop returns them
 * (sorted by position). A missing, extra or different diagnostic fails the fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateSop, type Diagnostic } from '../../src/engine/index.js';

const DIRECTORY = fileURLToPath(new URL('../fixtures/broken/', import.meta.url));
const EXPECT_LINE = /^# expect: (\d+):(\d+) (\S+) (.+)$/;

const fixtures = readdirSync(DIRECTORY).filter((name) => name.endsWith('.yaml')).sort();

/** The `# expect:` lines of a fixture, normalised to `LINE:COLUMN CODE MESSAGE`. */
function expectations(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('# expect:')) continue;
    const match = EXPECT_LINE.exec(line.trimEnd());
    if (!match) throw new Error(`malformed expect line (want "# expect: LINE:COLUMN CODE MESSAGE"): ${line}`);
    out.push(`${Number(match[1])}:${Number(match[2])} ${match[3]} ${match[4]}`);
  }
  return out;
}

function describeDiagnostic(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.code} ${d.message}`;
}

describe('broken SOP corpus', () => {
  it('has at least 30 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s', (name) => {
    const file = `tests/fixtures/broken/${name}`;
    const text = readFileSync(`${DIRECTORY}${name}`, 'utf8');
    const expected = expectations(text);
    expect(expected.length, `${name} states no "# expect:" line`).toBeGreaterThan(0);

    const result = validateSop(text, file);
    expect(result.diagnostics.map(describeDiagnostic)).toEqual(expected);

    // Every fixture is broken on purpose: it must not produce a definition, unless all it has are warnings.
    const hasError = result.diagnostics.some((d) => d.severity === 'error');
    expect(result.definition === undefined).toBe(hasError);
    for (const d of result.diagnostics) {
      expect(d.file).toBe(file);
      expect(d.message, 'one sentence, no trailing period or line break').not.toMatch(/\n|\.$/);
    }
  });
});
