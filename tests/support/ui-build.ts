/** The web UI bundle the browser tests load: built once per test run, before any test file starts. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds dist/ui unless it is newer than its sources (then it costs a few stat calls). */
export function ensureUiBuilt(): void {
  const result = spawnSync(process.execPath, ['scripts/build-ui.mjs', '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the web UI failed:\n${result.stdout}\n${result.stderr}`);
}
