import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/inspector-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `alur serve` (what `npm start` runs) as a real process on PGlite. */
function serve(dataDir: string, args: string[] = []) {
  const child = spawn(process.execPath, ['bin/alur.js', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ALUR_DATA_DIR: dataDir, ALUR_LOG_LEVEL: 'silent', DATABASE_URL: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    output: () => stdout,
    async until(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
    },
  };
}

describe('npm start (alur serve)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves on embedded PGlite with both SOPs and prints demo accounts once; stops cleanly on SIGTERM', async () => {
    const first = serve(join(dir, 'data'));
    const [, url] = await first.until(/Alur is listening on (http:\/\/127\.0\.0\.1:\d+)/);
    await first.until(/pontianak\.auditor +\S+ +auditor/);
    expect(first.output()).toContain('SOP pontianak-relay-tayangan revision 1 published');
    expect(first.output()).toContain('SOP tarakan-pemantau-cctv revision 1 published');
    const [, password] = /tarakan\.petugas +(\S+) +petugas/.exec(first.output())!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tarakan.petugas', password }) });
    expect(login.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // A second start keeps the data and prints no password again; with --inspect it serves the Stately inspector's page.
    const inspectPort = await freePort();
    const second = serve(join(dir, 'data'), ['--inspect', String(inspectPort)]);
    await second.until(/demo accounts exist already/);
    expect(second.output()).toContain(`Stately inspector (development; case data goes to that page): http://localhost:${inspectPort}`);
    expect(await (await fetch(`http://127.0.0.1:${inspectPort}/`)).text()).toContain('stately.ai/inspect');
    expect(second.output()).toContain('SOP tarakan-pemantau-cctv revision 1 already published');
    expect(second.output()).not.toContain(password!);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
