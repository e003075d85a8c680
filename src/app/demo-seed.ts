/**
 * What `npm start` sets up on a fresh database: the two organisations, both seed SOPs published
 * into them, and one demo account per role with a generated password (reported once, at creation).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateSop } from '../engine/index.js';
import { OPERATOR_ROLE } from './access-policy.js';
import { accountsOf, SYSTEM, SYSTEM_ROLES } from './accounts.js';
import { ensureOrganization } from './organizations.js';
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

/** The installation's own organisation, home of the operator account. */
export const OPERATOR_ORGANIZATION = { id: 'alur', name: 'Penyelenggara Alur', timeZone: 'Asia/Jakarta' } as const;

/**
 * Set up the demo through the same services any installation uses: organisations, their SOPs
 * (each published into the organisation its "Pemerintah …" line names), and accounts.
 */
export async function seedDemo(alur: Alur, sopsDir: string): Promise<SeedResult> {
  const now = alur.clock.now();
  for (const org of [...DEMO_ORGANIZATIONS, OPERATOR_ORGANIZATION]) await ensureOrganization(alur, { id: org.id, name: org.name, timeZone: org.timeZone });

  const published: SeedResult['published'] = [];
  const rolesByOrg = new Map<string, Set<string>>();
  const files = (await readdir(sopsDir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  for (const name of files) {
    const file = join(sopsDir, name);
    const source = await readFile(file, 'utf8');
    const definition = validateSop(source, file).definition;
    const org = definition ? DEMO_ORGANIZATIONS.find((o) => o.name === (definition.identity.government ?? definition.identity.organization)) : undefined;
    if (!definition || !org) continue;
    published.push({ file, result: await publishSop(alur.db.knex, { source, file, by: 'alur-start', at: now, organizationId: org.id }) });
    const roles = rolesByOrg.get(org.id) ?? new Set<string>();
    for (const role of definition.roles) roles.add(role.id);
    rolesByOrg.set(org.id, roles);
  }

  const wanted: Array<{ organization: string; orgName: string; username: string; role: string }> = [
    { organization: OPERATOR_ORGANIZATION.id, orgName: OPERATOR_ORGANIZATION.name, username: 'alur.operator', role: OPERATOR_ROLE },
  ];
  for (const org of DEMO_ORGANIZATIONS) {
    for (const role of [...(rolesByOrg.get(org.id) ?? []), ...SYSTEM_ROLES]) {
      const names = TWO_PERSON_ROLES.has(role) ? [`${org.prefix}.${role}`, `${org.prefix}.${role}-2`] : [`${org.prefix}.${role}`];
      for (const username of names) wanted.push({ organization: org.id, orgName: org.name, username, role });
    }
  }
  const accounts = accountsOf(alur);
  const created: DemoAccount[] = [];
  const existing: string[] = [];
  for (const account of wanted) {
    if (await accounts.findUser(account.username)) {
      existing.push(account.username);
      continue;
    }
    const { password } = await accounts.createUser(SYSTEM, { organizationId: account.organization, username: account.username, displayName: `Demo ${account.role} (${account.orgName})`, roles: [account.role] });
    created.push({ organization: account.organization, username: account.username, password: password!, roles: [account.role] });
  }
  return { published, created, existing };
}
