/**
 * `npm run soak` is long and stays out of `npm test`; this runs its driver at the smallest size,
 * so the soak cannot rot: the command line with the SOP fuzz, one kill -9 of a real `alur serve`
 * under load, and a short API fuzz against another.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runApiFuzz } from '../../bench/soak/api-fuzz.js';
import { runCrashLoop } from '../../bench/soak/crash-loop.js';

const figure = (figures: Array<[string, string | number]>, name: string) => figures.find(([k]) => k === name)?.[1];

describe('the soak driver in its quickest mode', () => {
  it('runs the SOP fuzz from the command line and reports its figures', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/soak/run.ts', '--quick', '--parts', 'sop', '--sop-cases', '40', '--no-report'], { encoding: 'utf8' });
    expect(run.stderr).toContain('PASS SOP fuzz');
    expect(run.stderr).toMatch(/mutated SOP files: 40\b/);
    expect(run.stderr).toMatch(/exceptions \(thrown or internal-error\): 0\b/);
    expect(run.status).toBe(0);
  }, 120_000);

  it('kills alur serve under load once and finds every acknowledged command exactly once', async () => {
    const result = await runCrashLoop({ backend: 'pglite', kills: 1, maxSeconds: 60, concurrency: 2, upMs: [1500, 2500], budgetSeconds: 1 });
    // Open finding (RELIABILITY.md): a late step closed before its deadline fired cancels the deadline unfired.
    // Whether that happens in one short run is chance; every other failure is not.
    expect(result.section.failures.filter((f) => !f.includes('cancelled, unfired'))).toEqual([]);
    expect(figure(result.section.figures, 'cases audited / audit failures')).toMatch(/ \/ 0$/);
    expect(figure(result.section.figures, 'kill -9 of the server')).toBe(1);
    expect(Number(figure(result.section.figures, 'commands acknowledged'))).toBeGreaterThan(0);
    expect(figure(result.section.figures, 'lost')).toBe(0);
    expect(figure(result.section.figures, 'duplicated (any soak key more than once)')).toBe(0);
  }, 240_000);

  it('fuzzes the API without a 5xx', async () => {
    const result = await runApiFuzz({ backend: 'pglite', requests: 150, concurrency: 4, seed: 7 });
    expect(result.section.failures).toEqual([]);
    expect(figure(result.section.figures, 'requests')).toBe(150);
    expect(figure(result.section.figures, '5xx')).toBe(0);
    expect(result.ok).toBe(true);
  }, 240_000);
});
