import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface EngineChild {
  process: ChildProcessWithoutNullStreams;
  /** Every JSON line the child printed, in order. */
  messages: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves when `predicate` holds for the messages so far. */
  until(predicate: (messages: Array<Record<string, unknown>>) => boolean, timeoutMs?: number): Promise<void>;
  send(message: object): void;
  exited: Promise<number | null>;
}

/** Start the engine child on a database: ['pglite', dir] or ['postgres', url, schema]. */
export function startEngineChild(args: string[], env: Record<string, string> = {}): EngineChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const messages: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line));
    } catch {
      stderr += `[stdout] ${line}\n`;
    }
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    for (const wake of waiters) wake();
    resolve(code);
  }));
  return {
    process: child,
    messages,
    stderr: () => stderr,
    send: (message) => child.stdin.write(JSON.stringify(message) + '\n'),
    exited,
    until(predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`child did not get there in ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          if (predicate(messages)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`child exited (${child.exitCode ?? child.signalCode}); stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}
