import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/adapters/store/database.js';
import { migrateToLatest } from '../../src/adapters/store/migrate.js';
import { ensureUiBuilt } from './ui-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** Migrate one PGlite once and hand its data directory image to every test file. */
export default async function setup(project: TestProject): Promise<void> {
  // `alur serve` children of tests run no media server on the fixed default ports; media tests start their own on free ports.
  process.env.ALUR_MEDIA_SERVER = 'off';
  const pglite = new PGlite();
  const db = await openDatabase({ pglite });
  await migrateToLatest(db);
  const image = await pglite.dumpDataDir('gzip');
  await db.close();
  const file = join(mkdtempSync(join(tmpdir(), 'alur-pglite-')), 'template.tar.gz');
  writeFileSync(file, Buffer.from(await image.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  // The browser tests load the web UI's bundle: built here once, so parallel test files never race to build it.
  ensureUiBuilt();
}
