/**
 * Under `npm start` the validation workers load the TypeScript sources themselves (bin/alur.js
 * registers tsx for the main thread only): a real `alur serve` validates an upload in a worker,
 * refuses one over a limit with 413, and still stops cleanly on SIGTERM with its workers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bigSop } from '../support/big-sops.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm start validates uploads in worker threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-serve-validation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a valid upload and a too-large one, then stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/alur.js', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ALUR_DATA_DIR: join(dir, 'data'), ALUR_LOG_LEVEL: 'silent', DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const until = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`alur serve exited:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      const [, url] = await until(/Alur is listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const [, password] = await until(/pontianak\.process-owner +(\S+) +process-owner/);
      const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'pontianak.process-owner', password }) });
      expect(login.status).toBe(200);
      const headers = { 'content-type': 'application/json', cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
      const validate = (source: string) => fetch(`${url}/api/v1/sops/validate`, { method: 'POST', headers, body: JSON.stringify({ source }) });

      const ok = await validate(bigSop(20));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ valid: true, diagnostics: [], definition: { steps: expect.any(Array) } });
      const tooMany = await validate(bigSop(2_500));
      expect(tooMany.status).toBe(413);
      expect(((await tooMany.json()) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code)).toEqual(['too-many-steps']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 120_000);
});
