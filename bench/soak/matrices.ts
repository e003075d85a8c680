/**
 * Part 4, the tamper and authorisation matrices at volume: the existing vitest files run round
 * after round on one backend, with their results read from vitest's JSON report. The tamper
 * matrix makes each single edit a database superuser can make, with and without an audit key,
 * and checks `audit verify` catches it; the authorisation matrix tries every endpoint × role ×
 * organisation; the accounts tests include the login brute force (attacker locked out, owner not).
 * Their time limits are raised: at volume, on a shared machine, a limit is not a finding.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from './backends.js';
import type { Section } from './report.js';

const FILES = ['tests/integration/tamper-matrix.test.ts', 'tests/api/authorization-matrix.test.ts', 'tests/api/accounts.test.ts'];

interface Assertion { fullName: string; status: string; failureMessages?: string[] }
interface Figures { matrix: string; checked: number; unexpected: number; successes: number; endpoints: number; subjects: number }

export interface MatricesOptions { backend: BackendName; postgresUrl: string; rounds: number; log?: (line: string) => void }

export function runMatrices(options: MatricesOptions): { section: Section; ok: boolean } {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'alur-soak-matrices-'));
  const failures: string[] = [];
  let tamperTried = 0;
  let tamperCaught = 0;
  let otherTests = 0;
  let otherPassed = 0;
  let bruteForce = 0;
  let bruteForcePassed = 0;
  const auth: Figures[] = [];
  const started = performance.now();
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      const report = join(dir, `round-${round}.json`);
      const figures = join(dir, `figures-${round}.jsonl`);
      const { DATABASE_URL: _ignored, ...env } = process.env;
      const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...FILES, '-t', `on '${options.backend}'`, '--reporter=json', `--outputFile=${report}`, '--testTimeout=600000', '--hookTimeout=600000'], {
        env: { ...env, ...(options.backend === 'postgres' ? { DATABASE_URL: options.postgresUrl } : {}), ALUR_SOAK_FIGURES: figures }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20,
      });
      if (!existsSync(report)) {
        failures.push(`round ${round}: vitest wrote no report (exit ${run.status}): ${run.stderr.slice(-500)}`);
        continue;
      }
      const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: Array<{ assertionResults: Assertion[] }> };
      // A suite whose set-up fails reports its tests as skipped: that is a failure, not an absence.
      if (run.status !== 0) failures.push(`round ${round}: vitest exited ${run.status}: ${`${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /FAIL|Error/.test(l)).slice(0, 4).join(' | ').slice(0, 600)}`);
      for (const test of json.testResults.flatMap((t) => t.assertionResults)) {
        if (test.status === 'skipped' || test.status === 'pending') {
          // Tests of the other backend are skipped by the -t filter; only this backend's count.
          if (run.status !== 0 && test.fullName.includes(`on '${options.backend}'`)) failures.push(`round ${round}: not run: ${test.fullName}`);
          continue;
        }
        const passed = test.status === 'passed';
        if (test.fullName.includes('catches:')) {
          tamperTried += 1;
          if (passed) tamperCaught += 1;
        } else {
          otherTests += 1;
          if (passed) otherPassed += 1;
        }
        if (/refuses an address that keeps failing/.test(test.fullName)) {
          bruteForce += 1;
          if (passed) bruteForcePassed += 1;
        }
        if (!passed) failures.push(`round ${round}: ${test.fullName}: ${(test.failureMessages ?? []).join(' ').slice(0, 300)}`);
      }
      if (existsSync(figures)) auth.push(...readFileSync(figures, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Figures));
      log(`  matrices round ${round}/${options.rounds} on ${options.backend}: tamper ${tamperCaught}/${tamperTried} caught, ${failures.length} failures`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const checked = auth.reduce((s, f) => s + f.checked, 0);
  const unexpected = auth.reduce((s, f) => s + f.unexpected, 0);
  const successes = auth.reduce((s, f) => s + f.successes, 0);
  if (auth.length < options.rounds) failures.push(`the authorisation matrix reported figures in ${auth.length} of ${options.rounds} rounds`);
  return {
    ok: failures.length === 0 && successes === 0,
    section: {
      title: `Tamper and authorisation matrices, ${options.backend}`, command: '', failures,
      figures: [
        ['rounds', options.rounds],
        ['tamper edits tried (each edit × plain and keyed chain) / caught', `${tamperTried} / ${tamperCaught}`],
        ['authorisation: endpoints × subjects (roles × 2 organisations, + anonymous)', auth[0] ? `${auth[0].endpoints} × ${auth[0].subjects}` : 'n/a'],
        ['authorisation: requests tried (own and other organisation) / unexpected answers / unauthorised successes', `${checked} / ${unexpected} / ${successes}`],
        // The test pins these numbers exactly (tests/api/accounts.test.ts); passing means they held.
        ['login brute force: 20 wrong passwords from one address answered 401, its attempts 21–23 and then the right password from it 429; the owner from another address 200 after the bounded 8 s slow-down — runs passed', `${bruteForcePassed} / ${bruteForce}`],
        ['other matrix and account tests passed', `${otherPassed} / ${otherTests}`],
        ['duration', `${((performance.now() - started) / 1000).toFixed(0)} s`],
      ],
    },
  };
}
