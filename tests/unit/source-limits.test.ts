/**
 * Files made to hurt the validator (huge, deeply nested, alias bombs, thousands of steps) get one
 * positioned diagnostic naming the limit, never an exception; and a large but real-shaped SOP still
 * validates, which shows the flow checks scale. Nothing here measures time: a quadratic check
 * would make the big cases run for minutes and hit the test timeout.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSop, type Diagnostic } from '../../src/engine/index.js';
import { SOURCE_LIMITS } from '../../src/engine/language/source-limits.js';
import { parseSopSource } from '../../src/engine/language/yaml-source.js';
import { aliasBombSop, bigSop, deepBlockSop, deepFlowSop } from '../support/big-sops.js';

const FILE = 'sops/besar.yaml';
const HEADER_LINES = 18; // lines of the generated SOPs before "steps:"

function only(text: string): Diagnostic {
  const result = validateSop(text, FILE);
  expect(result.definition).toBeUndefined();
  expect(result.diagnostics).toHaveLength(1);
  const [d] = result.diagnostics;
  expect(d!.file).toBe(FILE);
  expect(d!.severity).toBe('error');
  return d!;
}

const at = (d: Diagnostic) => `${d.line}:${d.column} ${d.code}`;

describe('source size', () => {
  it('refuses a file over 1 MiB at the character where it passes the limit', () => {
    const line = `# ${'x'.repeat(98)}\n`; // 101 bytes
    const text = line.repeat(Math.ceil(SOURCE_LIMITS.maxSourceBytes / line.length) + 10);
    const d = only(text);
    // Byte 1,048,576 (0-based) is on line 10,382 (10,381 lines of 101 bytes before it), column 1,048,576 − 1,048,481 + 1.
    expect(at(d)).toBe('10382:96 source-too-large');
    expect(d.message).toBe(`the file is 1 MiB (${text.length.toLocaleString('en-US')} bytes), more than the 1 MiB (1,048,576 bytes) Alur reads (it passes the limit here); a real SOP is a few dozen KB, so split it into several SOPs or remove what does not belong in it`);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = `note: ${'é'.repeat(600)}\n`; // 6 + 1,200 + 1 bytes
    const d = validateSop(text, FILE, { limits: { maxSourceBytes: 1000 } }).diagnostics[0]!;
    // "note: " is 6 bytes; each "é" 2: byte 1000 is the 498th é, column 6 + 498.
    expect(at(d)).toBe('1:504 source-too-large');
    // Each "😀" is 4 bytes and 2 UTF-16 units (columns count units, as the yaml parser does): byte 1000 is in the 249th.
    const emoji = validateSop(`note: ${'😀'.repeat(300)}\n`, FILE, { limits: { maxSourceBytes: 1000 } }).diagnostics[0]!;
    expect(at(emoji)).toBe(`1:${6 + 2 * 248 + 1} source-too-large`);
    expect(validateSop(`note: ${'😀'.repeat(248)}\n`, FILE, { limits: { maxSourceBytes: 6 + 4 * 248 + 1 } }).diagnostics.map((x) => x.code)).not.toContain('source-too-large');
  });
});

describe('nesting depth', () => {
  it('stops a 999,000-"[" file at the 64th level, before parsing', () => {
    const text = deepFlowSop(999_000);
    expect(Buffer.byteLength(text)).toBeLessThan(SOURCE_LIMITS.maxSourceBytes);
    const d = only(text);
    // Line 19 is "steps: [[[…"; the root mapping is level 1, so the 64th "[" (column 8 + 63) is level 65.
    expect(at(d)).toBe(`${HEADER_LINES + 1}:71 too-deep`);
    expect(d.message).toContain('nested more than 64 levels deep');
  });

  it('gives the 47 KB files that overflowed the parser\'s stack a diagnostic, not an exception', () => {
    const unclosed = `${bigSop(3)}    requirements: ${'['.repeat(47_000)}\n`;
    expect(unclosed.length).toBeGreaterThan(47_000);
    expect(only(unclosed).code).toBe('too-deep');
    const dashes = `${bigSop(3).split('steps:')[0]}steps:\n${'- '.repeat(23_500)}x\n`;
    expect(at(only(dashes))).toBe(`${HEADER_LINES + 2}:${1 + 2 * 63} too-deep`);
    const blocks = deepBlockSop(250);
    expect(blocks.length).toBeGreaterThan(47_000);
    // "steps:" opens level 1, each "-" one more: the 64th dash (line 19 + 64, column 1 + 2 × 63) is level 65.
    expect(at(only(blocks))).toBe(`${HEADER_LINES + 1 + 64}:${1 + 2 * 63} too-deep`);
  });

  it('follows plain text over several lines, so a quote inside it hides nothing', () => {
    // "' pertama" continues the plain text of the line above: its quote opens nothing.
    const text = bigSop(3).replace('activity: Langkah langkah-0', `activity: Langkah\n      ' pertama\n    note: ${'['.repeat(200)}${']'.repeat(200)}`);
    // Root mapping, steps, the step: the note's 62nd "[" (column 11 + 61) is level 65.
    expect(at(only(text))).toBe(`${HEADER_LINES + 5}:72 too-deep`);
  });

  it('checks the nesting again, exactly, between the parser and the composer', () => {
    // parseSopSource is what validateSop calls after the text scan; on its own it must still refuse.
    const { diagnostics } = parseSopSource(deepFlowSop(5_000), FILE);
    expect(diagnostics.map(at)).toEqual([`${HEADER_LINES + 1}:71 too-deep`]);
    const blocks = parseSopSource(deepBlockSop(250), FILE).diagnostics;
    expect(blocks.map(at)).toEqual([`${HEADER_LINES + 1 + 64}:${1 + 2 * 63} too-deep`]);
  });

  it('does not count brackets and dashes inside text', () => {
    const text = bigSop(3).replace('activity: Langkah langkah-0', [
      `activity: "${'[[[[ '.repeat(30)}"`,
      'note: |',
      `  ${'- '.repeat(100)}`,
      `  ${'{'.repeat(100)}`,
      `requirements: ['${'['.repeat(100)}', Jum'at pagi]`,
      `output: Laporan ${'[ '.repeat(100)}harian # ${'['.repeat(100)}`,
    ].join('\n    '));
    const result = validateSop(text, FILE);
    expect(result.diagnostics).toEqual([]);
    expect(result.definition?.steps[0]?.requirements).toEqual(['['.repeat(100), "Jum'at pagi"]);
    expect(result.definition?.steps[0]?.output?.name).toBe(`Laporan ${'[ '.repeat(100)}harian`);
  });
});

describe('aliases', () => {
  it('stops a billion laughs at the alias that passes 10,000 values', () => {
    const d = only(aliasBombSop(9, 10));
    // a0 holds 2 values, a1 1 + 10 × 2 = 21, a2 211, a3 2,111: all aliases up to the 4th "*a3" add 2,110 + 2,110 + 4 × 2,111 > 10,000.
    const lines = aliasBombSop(9, 10).split('\n');
    const line = lines.findIndex((l) => l.startsWith('a4:'));
    expect(at(d)).toBe(`${line + 1}:${lines[line]!.indexOf('*a3') + 1 + 3 * '*a3, '.length} too-many-aliases`);
    expect(d.message).toContain('more than 10,000 values');
  });

  it('lets a file share a value between steps with aliases', () => {
    const time = '    time: 1 menit\n';
    const text = bigSop(40).replace(time, `${time}    requirements: &kit [Komputer, Internet]\n`).replaceAll(`${time}  -`, `${time}    requirements: *kit\n  -`);
    const result = validateSop(text, FILE);
    expect(result.diagnostics).toEqual([]);
    expect(result.definition?.steps.filter((s) => s.requirements.length === 2)).toHaveLength(39);
  });
});

describe('number of steps', () => {
  it('refuses an 8,000-step SOP at step 2,001, before the schema and flow checks', () => {
    const d = only(bigSop(8_000));
    // Each generated step takes 4 lines after "steps:" on line 19.
    expect(at(d)).toBe(`${HEADER_LINES + 2 + 4 * 2_000}:5 too-many-steps`);
    expect(d.path).toBe('/steps/2000');
    expect(d.message).toBe('this is step 2,001 of 8,000, and Alur reads at most 2,000 steps in one SOP; a real SOP has tens of rows, so split this one into several SOPs (a procedure that stands on its own can become its own SOP)');
  });

  it('counts the steps of procedures, and the lines of "- x" a step list may be made of', () => {
    const procedures = bigSop(3_100, 'procedures');
    expect(only(procedures).code).toBe('too-many-steps');
    const dashes = `${bigSop(3).split('steps:')[0]}steps:\n${'  - x\n'.repeat(160_000)}`;
    expect(at(only(dashes))).toBe(`${HEADER_LINES + 2 + 2_000}:5 too-many-steps`);
  });

  it.each(['chain', 'trap', 'rules', 'procedures', 'decisions'] as const)('checks a 1,500-step SOP shaped as "%s" in full', (shape) => {
    const result = validateSop(bigSop(1_500, shape), FILE);
    if (shape === 'trap') {
      expect(result.diagnostics.map((d) => d.code)).toEqual(['dead-end', 'unreachable']);
      expect(result.diagnostics[0]!.message).toContain('"langkah-9" and 1,489 more) that has no way out');
    } else {
      expect(result.diagnostics).toEqual([]);
      expect(result.definition!.steps.length).toBeGreaterThanOrEqual(1_499);
    }
  });
});

describe('number of diagnostics', () => {
  it('lists 999 problems and then says how many more there are, from where', () => {
    const text = bigSop(1_500).replaceAll('role: petugas', 'role: petgas').replaceAll('role: kepala', 'role: kepla');
    const result = validateSop(text, FILE);
    expect(result.diagnostics).toHaveLength(1_000);
    // One unknown-role error per step (1,499), each on the step's "role:" line, 4 lines apart.
    expect(result.diagnostics.slice(0, 2).map(at)).toEqual([`${HEADER_LINES + 4}:11 unknown-role`, `${HEADER_LINES + 8}:11 unknown-role`]);
    const last = result.diagnostics[999]!;
    // The 1,000th would have been the error of the 1,000th step.
    expect(at(last)).toBe(`${HEADER_LINES + 4 + 4 * 999}:11 too-many-problems`);
    expect(last.severity).toBe('error');
    expect(last.message).toBe('500 more problems from here on are not listed (Alur lists at most 1,000); fix the ones above and check the file again');
  });
});

describe('validateSop never throws', () => {
  it('turns an unexpected exception into an internal-error diagnostic at 1:1', () => {
    const result = validateSop(undefined as unknown as string, FILE);
    expect(result.diagnostics.map(at)).toEqual(['1:1 internal-error']);
    expect(result.diagnostics[0]!.message).toMatch(/^Alur could not check this file \(.+\); please report it$/);
  });

  const seed = readFileSync(new URL('../../sops/tarakan-pemantau-cctv.yaml', import.meta.url), 'utf8');
  /** Damage that aims at the limits: nesting, aliases, repetition, cut-offs. */
  const hostile = fc.oneof(
    fc.record({ at: fc.nat(), text: fc.constantFrom('[', '{', '- ', '&a ', '*a ', ': ', '"', "'", '|\n', '\t', '---\n', '? ') , times: fc.integer({ min: 1, max: 200 }) })
      .map(({ at, text, times }) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + text.repeat(times) + s.slice(i); }),
    fc.record({ from: fc.nat(), length: fc.integer({ min: 1, max: 400 }), times: fc.integer({ min: 2, max: 50 }) })
      .map(({ from, length, times }) => (s: string) => { const i = from % (s.length + 1); return s.slice(0, i) + s.slice(i, i + length).repeat(times) + s.slice(i); }),
    fc.nat().map((cut) => (s: string) => s.slice(0, cut % (s.length + 1))),
  );

  it('on damaged SOP text, always answers with diagnostics or a definition', () => {
    fc.assert(fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (damages) => {
      const text = damages.reduce((s, damage) => damage(s), seed);
      const result = validateSop(text, FILE);
      expect(result.definition !== undefined || result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of result.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.code).not.toBe('internal-error');
      }
    }), { numRuns: 100 });
  });
});
