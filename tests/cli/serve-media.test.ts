/**
 * `alur serve` with the embedded media server (on free ports): a Pontianak relay case run through
 * the HTTP API becomes "berjalan" by the scheduler's own adapter run once node-media-server lists
 * the stream; on SIGTERM the server stops every ffmpeg it started.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/test-cameras.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

function ffmpegsWith(text: string): number {
  try {
    return execFileSync('pgrep', ['-f', text]).toString().trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('alur serve with the embedded media server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-serve-media-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('relays a camera for a Pontianak case and stops the relay on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/alur.js', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env, PORT: '0', HOST: '127.0.0.1', ALUR_DATA_DIR: join(dir, 'data'), ALUR_LOG_LEVEL: 'silent', DATABASE_URL: '',
        ALUR_MEDIA_SERVER: 'embedded', ALUR_RTMP_PORT: '0', ALUR_MEDIA_HTTP_PORT: '0', ALUR_SCHEDULER_INTERVAL_MS: '200',
      },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitUntil(() => /pontianak\.opd +\S+/.test(stdout), 'alur serve is up', 90_000);
      const url = /Alur is listening on (\S+)/.exec(stdout)![1]!;
      const [, rtmpPort, httpPort] = /Media server: rtmp:\/\/127\.0\.0\.1:(\d+)\/live\/<key> in, http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)!;
      expect(rtmpPort).toBeDefined();
      // npm start's demo cameras publish to the embedded server; the relay pulls one of them.
      expect(stdout).toContain('Demo cameras (test patterns; the last one never answers): Simpang Grand (kota-tarakan), Pelabuhan Malundung (kota-tarakan), Simpang Tanjungpura (kota-pontianak), Jembatan Besi (kota-tarakan)');

      const login = async (username: string) => {
        const password = new RegExp(`${username.replace('.', '\\.')} +(\\S+)`).exec(stdout)![1]!;
        const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
        const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
        const { csrfToken } = (await response.json()) as { csrfToken: string };
        return async (method: string, path: string, body?: unknown) => {
          const answer = await fetch(`${url}${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
          return { status: answer.status, body: (await answer.json()) as any };
        };
      };
      const [kadis, opd, kabid, kasi] = await Promise.all(['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik'].map(login));
      const id = (await kadis!('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' })).body.case.id as string;
      const command = async (as: typeof kadis, body: unknown) => {
        const answer = await as!('POST', `/api/v1/cases/${id}/commands`, body);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      };
      await command(kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-04-08', lokasi: ['Serve Media'] } });
      await command(opd, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Serve Media Test', streamUrl: `http://127.0.0.1:${httpPort}/cam/simpang-tanjungpura.flv`, credentialsRef: 'vault:x' } });
      await command(kadis, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
      await command(kabid, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });

      let result: { output?: { status: string; playUrl: string } } | undefined;
      await waitUntil(async () => {
        const events = (await kasi!('GET', `/api/v1/cases/${id}`)).body.events as Array<{ type: string; payload: { result?: typeof result } }>;
        result = events.find((e) => e.type === 'adapter.succeeded')?.payload.result;
        return result !== undefined;
      }, 'the relay adapter reported', 60_000);
      expect(result!.output).toEqual({ streamKey: 'serve-media-test', playUrl: `http://127.0.0.1:${httpPort}/live/serve-media-test.flv`, status: 'berjalan' });
      // The tether shell, its watcher and ffmpeg itself.
      expect(ffmpegsWith('/live/serve-media-test')).toBeGreaterThan(0);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(ffmpegsWith('/live/serve-media-test')).toBe(0);
      expect(ffmpegsWith('/cam/simpang-tanjungpura')).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 150_000);
});
