/**
 * The command line compiled ahead: src/cli/main.ts and everything it imports bundled by esbuild
 * into dist/cli (ESM, split per lazily imported command, packages left in node_modules), with the
 * SOP schema's ajv validator generated as standalone code instead of compiled at every start.
 * bin/alur.js runs the SOP tooling commands from it; `freshCliBundle()` builds it on first use
 * and again whenever a source is newer than the bundle, so nobody runs a build step by hand.
 *
 * Safe when several processes start at once (the test suite does): every output file is written
 * to a temporary name and renamed, the chunks are named by their content, and `current.json`
 * (renamed last) names the entry of the newest complete build.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', 'cli');
const pointer = join(outDir, 'current.json');
/** What the bundle is made of: a change to any of these rebuilds it. */
const INPUTS = ['src', 'migrations', 'sops/sop.schema.json', 'package-lock.json', 'scripts/build-cli.mjs'];
const SKIP = new Set([join(root, 'src', 'ui')]);
/**
 * Packages bundled in rather than loaded from node_modules: what `alur validate` needs, which as
 * CommonJS would be ~180 files to find, read and compile (a third of its start-up). The rest stay
 * in node_modules (the database, the server, the renderers load only for their commands).
 */
const BUNDLED_PACKAGES = new Set(['yaml', 'ajv', 'ajv-formats', 'fast-uri', 'fast-deep-equal', 'json-schema-traverse', 'commander', 'xstate', 'fastest-levenshtein', 'canonicalize']);

async function newestMtime(path) {
  if (SKIP.has(path)) return 0;
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

async function newestInput() {
  let newest = 0;
  for (const input of INPUTS) newest = Math.max(newest, await newestMtime(join(root, input)));
  return newest;
}

/**
 * The modules of src/engine/language that compile a fixed schema, as ES modules of standalone
 * code generated with the options the engine uses (createAjv): the SOP schema's validator and the
 * JSON Schema meta-schema's. Keyed by the module's path in src/engine/language. The code requires
 * ajv's runtime helpers and ajv-formats' formats by name; the bundle defines `require`.
 */
export async function standaloneModules() {
  const { createAjv, appendErrorsInPlace } = await import('../src/engine/language/json-schema.ts');
  const { META_SCHEMA_ID } = await import('../src/engine/language/json-schema-meta.ts');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const sopSchema = JSON.parse(await readFile(join(root, 'sops', 'sop.schema.json'), 'utf8'));
  const sopAjv = createAjv({ code: { source: true, esm: true } });
  const metaAjv = createAjv({ logger: false, code: { source: true, esm: true } });
  return {
    'sop-schema-validator.ts': appendErrorsInPlace(standaloneCode(sopAjv, sopAjv.compile(sopSchema))),
    'json-schema-meta.ts': `${appendErrorsInPlace(standaloneCode(metaAjv, metaAjv.getSchema(META_SCHEMA_ID)))}
export const META_SCHEMA_ID = ${JSON.stringify(META_SCHEMA_ID)};
export function metaSchemaValidator() { return validate; }
`,
  };
}

/** Build dist/cli now; returns the entry's path. Needs tsx registered (the validator is generated from the TypeScript sources). */
export async function buildCli() {
  const { build } = await import('esbuild');
  // Taken before reading the sources: one edited during the build makes the next start rebuild.
  const builtFrom = await newestInput();
  const generated = await standaloneModules();
  const result = await build({
    entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    outdir: outDir, entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]', write: false, logLevel: 'warning',
    banner: { js: "import { createRequire as __alurCreateRequire } from 'node:module'; const require = __alurCreateRequire(import.meta.url);" },
    plugins: [{
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
        });
      },
    }, {
      name: 'standalone-validators',
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/]engine[\\/]language[\\/](sop-schema-validator|json-schema-meta)\.ts$/ }, (args) => ({ contents: generated[args.path.split(/[\\/]/).at(-1)], loader: 'js' }));
      },
    }],
  });
  await mkdir(outDir, { recursive: true });
  let entry;
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
    if (/[\\/]main-[^\\/]+\.js$/.test(file.path)) entry = file.path;
  }
  if (!entry) throw new Error('build-cli: esbuild produced no entry');
  const temporary = `${pointer}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ entry: entry.slice(outDir.length + 1), builtFrom }));
  await rename(temporary, pointer);
  // Files of older builds, once no process that started before this build can still be loading them.
  const keep = new Set([...result.outputFiles.map((f) => f.path), pointer]);
  for (const name of await readdir(outDir)) {
    const path = join(outDir, name);
    if (!keep.has(path) && Date.now() - (await stat(path)).mtimeMs > 60_000) await rm(path, { force: true });
  }
  return entry;
}

/** The entry of an up-to-date bundle, building it first when it is missing or older than a source. */
export async function freshCliBundle() {
  let current;
  try {
    current = JSON.parse(await readFile(pointer, 'utf8'));
  } catch {
    current = undefined;
  }
  if (current && (await newestInput()) <= current.builtFrom) return join(outDir, current.entry);
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  try {
    return await buildCli();
  } finally {
    await unregister();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await freshCliBundle());
