import { readFile } from 'node:fs/promises';
import { formatDiagnostic, InvalidSopError } from '../../engine/index.js';
import { publishSop } from '../../app/publish-sop.js';
import type { Alur } from '../../app/alur.js';
import { SYSTEM } from '../../app/accounts.js';
import { findOrganization, visibleOrganizations } from '../../app/organizations.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';

/** `alur migrate`: apply pending migrations (opening Alur migrates; this says what it did). */
export async function migrateCommand(io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const applied = await alur.migrate();
    io.out(`${alur.db.description}: schema up to date${applied.length ? ` (applied ${applied.join(', ')})` : ''}`);
    return 0;
  });
}

/** `alur publish <files…>`: publish each valid SOP file as a new revision (unchanged files make none). */
export async function publishCommand(files: string[], options: { by?: string; org?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    let failed = false;
    for (const file of files) {
      try {
        const source = await readFile(file, 'utf8');
        const organizationId = await organizationFor(alur, options.org);
        const result = await publishSop(alur.db.knex, { source, file, by: options.by ?? null, at: alur.clock.now(), organizationId });
        const v = result.version;
        io.out(`${file}: ${result.created ? 'published' : 'unchanged'} ${v.sopId} revision ${v.revision} (version ${v.declaredVersion} in the file)`);
      } catch (error) {
        failed = true;
        if (error instanceof InvalidSopError && error.diagnostics.length > 0) {
          for (const d of error.diagnostics) io.err(formatDiagnostic(d));
          io.err(`${file}: not published`);
        } else {
          io.err(`${file}: ${(error as Error).message}`);
        }
      }
    }
    return failed ? 1 : 0;
  });
}

/** The organisation to publish into: --org; else the only one there is; with several, the caller must say. */
async function organizationFor(alur: Alur, org: string | undefined): Promise<string | null> {
  if (org !== undefined) {
    if (!(await findOrganization(alur, org))) throw new InvalidSopError([], `organisation "${org}" does not exist (alur org list)`);
    return org;
  }
  const all = await visibleOrganizations(alur, SYSTEM);
  if (all.length > 1) throw new InvalidSopError([], `there are ${all.length} organisations (${all.map((o) => o.id).join(', ')}); say which one publishes it with --org`);
  return all[0]?.id ?? null;
}
