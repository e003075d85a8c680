import { readFile } from 'node:fs/promises';
import { formatDiagnostic, InvalidSopError } from '../../engine/index.js';
import { publishSop } from '../../app/publish-sop.js';
import type { Alur } from '../../app/alur.js';
import { findOrganization, findOrganizationNamed } from '../../app/organizations.js';
import { parse as parseYaml } from 'yaml';
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
        const organizationId = await organizationFor(alur, source, options.org);
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

/** The organisation to publish into: --org, else the one named like the SOP's `identity.government`, else none. */
async function organizationFor(alur: Alur, source: string, org: string | undefined): Promise<string | null> {
  if (org !== undefined) {
    if (!(await findOrganization(alur, org))) throw new InvalidSopError([], `organisation "${org}" does not exist`);
    return org;
  }
  // Only the government's name is needed here; publishing validates the whole file once.
  let government: unknown;
  try {
    government = (parseYaml(source, { uniqueKeys: false }) as { identity?: { government?: unknown } } | null)?.identity?.government;
  } catch {
    return null; // not YAML: publishing reports where and why
  }
  if (typeof government !== 'string') return null;
  return (await findOrganizationNamed(alur, government))?.id ?? null;
}
