/**
 * Child processes (ffmpeg, ffprobe) that cannot outlive Alur. Each runs under a small `sh` that
 * holds a pipe from Alur on its stdin: when Alur exits for any reason, even `kill -9`, the pipe
 * closes and the shell kills its child. Each also gets its own process group, so stopping one
 * stops everything it started. Every live one is tracked, for shutdown and for tests.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

// fd 3 keeps Alur's pipe: background jobs of a non-interactive shell get /dev/null as stdin.
const TETHER = 'exec 3<&0; "$@" </dev/null & c=$!; (read -r _ <&3; kill -TERM $c 2>/dev/null) & w=$!; wait $c; s=$?; kill $w 2>/dev/null; exit $s';

export interface TetheredProcess {
  readonly pid: number;
  /** Resolves with the exit code (128 + signal number when killed) once the process is gone. */
  readonly exited: Promise<number>;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Stop the process group: SIGTERM, then SIGKILL after `graceMs`. Resolves when it is gone. */
  stop(graceMs?: number): Promise<number>;
}

const live = new Set<TetheredProcess>();

export function spawnTethered(binary: string, args: readonly string[]): TetheredProcess {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn('/bin/sh', ['-c', TETHER, 'sh', binary, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  // Never written to and never ended by Alur: only Alur's death closes it.
  child.stdin.on('error', () => {});
  let done = false;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(handle);
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
    child.once('error', () => {
      done = true;
      live.delete(handle);
      resolve(127);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const handle: TetheredProcess = {
    pid: child.pid ?? -1,
    exited,
    stdout: child.stdout,
    stderr: child.stderr,
    async stop(graceMs = 2_000) {
      if (done) return exited;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      // The shell may be gone before its child: make sure nothing of the group is left.
      signalGroup('SIGKILL');
      return code;
    },
  };
  live.add(handle);
  return handle;
}

/** Run a tool to its end with a time limit; stdout is collected up to `maxBytes`. */
export async function runTethered(binary: string, args: readonly string[], options: { timeoutMs: number; maxBytes?: number }): Promise<{ code: number; stdout: Buffer; stderr: string; timedOut: boolean }> {
  const proc = spawnTethered(binary, args);
  const chunks: Buffer[] = [];
  let size = 0;
  let stderr = '';
  const max = options.maxBytes ?? 16 * 1024 * 1024;
  proc.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString('utf8');
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop(500);
  }, options.timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, stdout: Buffer.concat(chunks), stderr, timedOut };
}

/** How many tethered processes are alive (tests check none leaked). */
export function liveTetheredCount(): number {
  return live.size;
}

/** Stop every tethered process (on shutdown). */
export async function stopAllTethered(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}
