/**
 * `npm run soak` is long and stays out of `npm test`; this runs a bounded version of its parts,
 * so the soak cannot rot and CI keeps its promises honest: the command line with 2,000 mutated SOP
 * files, 5 kill -9s of a real `alur serve` under load, and 2,000 fuzzed API requests against
 * another. (The tamper and authorisation matrices and the login brute force are ordinary tests:
 * tests/integration/tamper-matrix.test.ts, tests/api/authorization-matrix.test.ts, tests/api/accounts.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runApiFuzz } from '../../bench/soak/api-fuzz.js';
import { runCrashLoop } from '../../bench/soak/crash-loop.js';

const figure = (figures: Array<[string, string | number]>, name: string) => figures.find(([k]) => k === name)?.[1];

describe('the soak driver in its quickest mode', () => {
  it('runs the SOP fuzz from the command line and reports its figures', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/soak/run.ts', '--quick', '--parts', 'sop', '--sop-cases', '2000', '--no-report'], { encoding: 'utf8' });
    expect(run.stderr).toContain('PASS SOP fuzz');
    expect(run.stderr).toMatch(/mutated SOP files: 2000\b/);
    expect(run.stderr).toMatch(/diagnostics without a position: 0\b/);
    expect(run.stderr).toMatch(/exceptions \(thrown or internal-error\): 0\b/);
    expect(run.status).toBe(0);
  }, 600_000);

  it('kills alur serve under load five times and finds every acknowledged command exactly once', async () => {
    const result = await runCrashLoop({ backend: 'pglite', kills: 5, maxSeconds: 600, concurrency: 3, upMs: [1000, 2000], budgetSeconds: 1 });
    expect(result.section.failures).toEqual([]);
    expect(figure(result.section.figures, 'cases audited / audit failures')).toMatch(/ \/ 0$/);
    expect(figure(result.section.figures, 'kill -9 of the server')).toBe(5);
    expect(Number(figure(result.section.figures, 'commands acknowledged'))).toBeGreaterThan(0);
    expect(figure(result.section.figures, 'lost')).toBe(0);
    expect(figure(result.section.figures, 'duplicated (any soak key more than once)')).toBe(0);
  }, 900_000);

  it('fuzzes the API without a 5xx', async () => {
    const result = await runApiFuzz({ backend: 'pglite', requests: 2000, concurrency: 4, seed: 7 });
    expect(result.section.failures).toEqual([]);
    expect(figure(result.section.figures, 'requests')).toBe(2000);
    expect(figure(result.section.figures, '5xx')).toBe(0);
    expect(result.ok).toBe(true);
  }, 600_000);
});
