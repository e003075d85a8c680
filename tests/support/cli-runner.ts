/** Running the `alur` command in-process, capturing what it prints, on a data directory of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../src/cli/main.js';

export async function runAlur(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fresh PGlite data directory (and no DATABASE_URL) for the commands of the enclosing describe; returns its parent folder. */
export function useCliDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.ALUR_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
