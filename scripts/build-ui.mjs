#!/usr/bin/env node
/**
 * Builds the web UI (src/ui) into dist/ui with Vite. `--if-stale` skips the build when dist/ui is
 * newer than every source file and the lock file, so `npm start` and the browser tests build only
 * on a fresh clone or after a change. Plain JavaScript so it runs before anything else is set up.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../src/ui', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/ui', import.meta.url));
const stamp = join(outDir, '.built');
const inputs = [root, fileURLToPath(new URL('../package-lock.json', import.meta.url)), fileURLToPath(import.meta.url)];

async function newestMtime(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

async function isStale() {
  let built;
  try {
    built = (await stat(stamp)).mtimeMs;
  } catch {
    return true;
  }
  for (const input of inputs) if ((await newestMtime(input)) > built) return true;
  return false;
}

if (process.argv.includes('--if-stale') && !(await isStale())) process.exit(0);

// Always the production build of React & co.: the test runner's child inherits NODE_ENV=test, which
// made the tests' bundle React's development build (about 260 KB more, and not what users get).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
const started = performance.now();
await build({
  configFile: false,
  root,
  base: '/',
  logLevel: 'warn',
  // @rjsf/core imports the ajv validator only for a test helper; the UI validates on the server.
  resolve: { alias: { '@rjsf/validator-ajv8': join(root, 'forms/no-ajv-validator.ts') } },
  // The UI is served by Alur on a LAN without internet: everything it needs goes into dist/ui.
  build: {
    outDir, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2500, reportCompressedSize: false,
    rolldownOptions: {
      // React libraries mark client components with "use client"; a plain SPA bundle has no server half.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE' && warning.code !== 'PLUGIN_TIMINGS') warn(warning);
      },
    },
  },
});
await writeFile(stamp, new Date().toISOString());
console.log(`alur: web UI built into dist/ui in ${((performance.now() - started) / 1000).toFixed(1)} s`);
