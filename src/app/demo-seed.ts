/**
 * What `npm start` sets up on a fresh database: the two organisations, both seed SOPs published
 * into them, and one demo account per role with a generated password (reported once, at creation).
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findOrganizationByName, findUserByUsername, insertUser, upsertOrganization } from '../adapters/store/accounts-table.js';
import { validateSop } from '../engine/index.js';
import { generatePassword, hashPassword } from '../adapters/passwords.js';
import { SYSTEM_ROLES } from './accounts.js';
import type { Alur } from './alur.js';
import { publishSop, type PublishResult } from './publish-sop.js';

export const DEMO_ORGANIZATIONS = [
  { id: 'kota-tarakan', name: 'Pemerintah Kota Tarakan', timeZone: 'Asia/Makassar', prefix: 'tarakan' },
  { id: 'kota-pontianak', name: 'Pemerintah Kota Pontianak', timeZone: 'Asia/Pontianak', prefix: 'pontianak' },
] as const;

/** Roles that need two different people somewhere in an SOP (a handover) get a second account. */
const TWO_PERSON_ROLES = new Set(['petugas']);

export interface DemoAccount {
  organization: string;
  username: string;
  password: string;
  roles: string[];
}

export interface SeedResult {
  published: Array<{ file: string; result: PublishResult }>;
  /** Accounts created now, with their passwords; empty when they all existed already. */
  created: DemoAccount[];
  existing: string[];
}

export async function seedDemo(alur: Alur, sopsDir: string): Promise<SeedResult> {
  const db = alur.db.knex;
  const now = alur.clock.now();
  for (const org of DEMO_ORGANIZATIONS) await upsertOrganization(db, { id: org.id, name: org.name, timeZone: org.timeZone }, now);

  const published: SeedResult['published'] = [];
  const rolesByOrg = new Map<string, Set<string>>();
  const files = (await readdir(sopsDir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  for (const name of files) {
    const file = join(sopsDir, name);
    const source = await readFile(file, 'utf8');
    const definition = validateSop(source, file).definition;
    const org = definition ? await findOrganizationByName(db, definition.identity.government ?? definition.identity.organization) : undefined;
    if (!definition || !org) continue;
    published.push({ file, result: await publishSop(db, { source, file, by: 'alur-start', at: now, organizationId: org.id }) });
    const roles = rolesByOrg.get(org.id) ?? new Set<string>();
    for (const role of definition.roles) roles.add(role.id);
    rolesByOrg.set(org.id, roles);
  }

  const created: DemoAccount[] = [];
  const existing: string[] = [];
  for (const org of DEMO_ORGANIZATIONS) {
    const roles = [...(rolesByOrg.get(org.id) ?? []), ...SYSTEM_ROLES];
    const accounts = roles.flatMap((role) => (TWO_PERSON_ROLES.has(role) ? [[role, `${org.prefix}.${role}`], [role, `${org.prefix}.${role}-2`]] : [[role, `${org.prefix}.${role}`]]));
    for (const [role, username] of accounts as Array<[string, string]>) {
      if (await findUserByUsername(db, username)) {
        existing.push(username);
        continue;
      }
      const password = generatePassword();
      await insertUser(db, { id: randomUUID(), organizationId: org.id, username, displayName: `Demo ${role} (${org.name})`, passwordHash: await hashPassword(password), roles: [role] }, now);
      created.push({ organization: org.id, username, password, roles: [role] });
    }
  }
  return { published, created, existing };
}
