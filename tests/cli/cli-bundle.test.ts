import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SEED_FILES } from '../support/seeds.js';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const broken = readdirSync(join(root, 'tests/fixtures/broken')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'tests/fixtures/broken', f));

/** `alur validate --json` over the files, from the bundle (the default) or from the TypeScript sources. */
async function validateJson(files: string[], fromSource: boolean): Promise<unknown> {
  const env = { ...process.env, ALUR_CLI_FROM_SOURCE: fromSource ? '1' : '' };
  const result = await run(process.execPath, ['bin/alur.js', 'validate', '--json', ...files], { cwd: root, env, maxBuffer: 64 * 2 ** 20 }).catch((error: { stdout: string; code: number }) => error);
  return JSON.parse(result.stdout);
}

describe('the bundled command line (dist/cli)', () => {
  it('judges every broken fixture and both seeds exactly as the TypeScript sources do (its SOP schema and meta-schema validators are generated ahead)', async () => {
    const files = [SEED_FILES.pontianak, SEED_FILES.tarakan, ...broken];
    const [bundled, fromSource] = await Promise.all([validateJson(files, false), validateJson(files, true)]);
    expect(bundled).toEqual(fromSource);
    const results = bundled as Array<{ file: string; valid: boolean; diagnostics: Array<{ code: string }> }>;
    expect(results.slice(0, 2).map((r) => [r.valid, r.diagnostics])).toEqual([[true, []], [true, []]]);
    // Every broken fixture has something said about it (a few only warnings).
    expect(results.slice(2).filter((r) => r.diagnostics.length === 0)).toEqual([]);
    // The swapped validators did report: schema errors and an invalid output schema among them.
    const codes = new Set(results.flatMap((r) => r.diagnostics.map((d) => d.code)));
    for (const code of ['unknown-field', 'missing-field', 'invalid-output-schema']) expect(codes).toContain(code);
  }, 120_000);

  it('was built by that run and names an entry that exists', () => {
    const current = JSON.parse(readFileSync(join(root, 'dist/cli/current.json'), 'utf8')) as { entry: string; builtFrom: number };
    expect(existsSync(join(root, 'dist/cli', current.entry))).toBe(true);
    expect(current.builtFrom).toBeGreaterThan(0);
  });
});
