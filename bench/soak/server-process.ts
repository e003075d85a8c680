/**
 * `node bin/alur.js serve` as a child process on a fixed loopback port, which the soak can
 * kill -9 and start again. Ready means `/readyz` answers 200 (database open, routes mounted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A start-up slower than this fails the part. On a 2-core machine shared with a CI run and run under nice, starts of over 2 minutes were seen. */
const READY_LIMIT_MS = 600_000;

/** A free loopback port: bind port 0, read it, let it go. Kept for every life of the server, so clients keep their URL. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  url: string;
  /** Start a new life; resolves when /readyz answers 200. Returns how long start-up took (ms). */
  start(): Promise<number>;
  /** kill -9 the current life and wait for it to be gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait (a clean shutdown). */
  stop(): Promise<void>;
  /** stderr of every life, for the report when something went wrong. */
  stderr(): string;
  readonly lives: number;
  /** Resident memory of the current life (VmRSS, bytes), read from /proc; undefined elsewhere. */
  rss(): number | undefined;
}

export function serverProcess(port: number, env: Record<string, string>): ServerProcess {
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';
  let lives = 0;
  // The parent's DATABASE_URL must not leak into a PGlite run.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const childEnv = {
    ...inherited, PORT: String(port), HOST: '127.0.0.1', ALUR_MEDIA_SERVER: 'off', ALUR_LOG_LEVEL: 'error', ...env,
  };

  async function waitReady(started: number, current: ChildProcess): Promise<void> {
    for (;;) {
      if (current.exitCode !== null || current.signalCode !== null) throw new Error(`alur serve exited (${current.exitCode ?? current.signalCode}) before it was ready:\n${stderr.slice(-4000)}`);
      try {
        const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
        if (response.status === 200) return;
      } catch { /* not listening yet */ }
      if (performance.now() - started > READY_LIMIT_MS) throw new Error(`alur serve not ready after ${READY_LIMIT_MS / 1000} s:\n${stderr.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    url,
    get lives() { return lives; },
    stderr: () => stderr,
    rss() {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child?.pid}/status`, 'utf8'))?.[1];
        return kb ? Number(kb) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    async start() {
      const started = performance.now();
      const current = spawn(process.execPath, ['bin/alur.js', 'serve'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      child = current;
      lives += 1;
      current.stderr!.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-200_000)));
      exited = new Promise((resolve) => current.once('exit', () => resolve()));
      await waitReady(started, current);
      return performance.now() - started;
    },
    async kill() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
