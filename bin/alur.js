#!/usr/bin/env node
// The `alur` command. The SOP tooling commands (validate, compile, graph, simulate, help) run from
// the bundle in dist/cli, which scripts/build-cli.mjs builds on first use and again after any
// change to the sources, so they start in a fraction of a second; every other command runs the
// TypeScript sources through tsx. Either way a fresh clone needs no build step.
// ALUR_CLI_FROM_SOURCE=1 runs every command from the sources.
const BUNDLED = new Set(['validate', 'compile', 'graph', 'simulate', 'help', '--help', '-h', undefined]);

async function bundledMain() {
  try {
    const { freshCliBundle } = await import('../scripts/build-cli.mjs');
    return (await import(await freshCliBundle())).main;
  } catch (error) {
    // A bundle that cannot be built (a read-only checkout, say) costs only speed.
    console.error(`alur: running from the sources (the command-line bundle could not be built: ${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

let main = BUNDLED.has(process.argv[2]) && process.env.ALUR_CLI_FROM_SOURCE !== '1' ? await bundledMain() : undefined;
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
