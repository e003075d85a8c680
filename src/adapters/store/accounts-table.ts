/** Organisations, users and their role assignments. */
import type { Knex } from 'knex';

export interface OrganizationRow {
  id: string;
  name: string;
  timeZone: string;
}

export interface UserRow {
  id: string;
  organizationId: string;
  username: string;
  displayName: string;
  passwordHash: string;
  disabled: boolean;
  /** Sessions and tokens issued before this are refused; null: never changed since creation. */
  passwordChangedAt: Date | null;
  roles: string[];
}

export async function upsertOrganization(db: Knex, org: OrganizationRow, at: Date): Promise<void> {
  await db('organizations').insert({ id: org.id, name: org.name, time_zone: org.timeZone, created_at: at }).onConflict('id').merge(['name', 'time_zone']);
}

/** A new organisation; false when the id or the name is taken. */
export async function insertOrganization(db: Knex, org: OrganizationRow, at: Date): Promise<boolean> {
  const inserted = await db('organizations').insert({ id: org.id, name: org.name, time_zone: org.timeZone, created_at: at }).onConflict().ignore().returning('id');
  return inserted.length === 1;
}

export async function updateOrganization(db: Knex, id: string, patch: { name?: string; timeZone?: string }): Promise<boolean> {
  const changes = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}) };
  if (Object.keys(changes).length === 0) return (await getOrganization(db, id)) !== undefined;
  return (await db('organizations').where({ id }).update(changes)) === 1;
}

export async function listOrganizations(db: Knex): Promise<OrganizationRow[]> {
  return db('organizations').select({ id: 'id', name: 'name', timeZone: 'time_zone' }).orderBy('id');
}

export async function getOrganization(db: Knex, id: string): Promise<OrganizationRow | undefined> {
  return db('organizations').select({ id: 'id', name: 'name', timeZone: 'time_zone' }).where({ id }).first();
}

export async function findOrganizationByName(db: Knex, name: string): Promise<OrganizationRow | undefined> {
  return db('organizations').select({ id: 'id', name: 'name', timeZone: 'time_zone' }).where({ name }).first();
}

const USER_COLUMNS = { id: 'u.id', organizationId: 'u.organization_id', username: 'u.username', displayName: 'u.display_name', passwordHash: 'u.password_hash', disabled: 'u.disabled', passwordChangedAt: 'u.password_changed_at' };

async function withRoles(db: Knex, rows: Array<Omit<UserRow, 'roles'>>): Promise<UserRow[]> {
  if (rows.length === 0) return [];
  const assignments = await db('role_assignments').whereIn('user_id', rows.map((r) => r.id)).orderBy('role');
  return rows.map((row) => ({
    ...row,
    passwordChangedAt: row.passwordChangedAt === null ? null : new Date(row.passwordChangedAt),
    roles: assignments.filter((a) => a.user_id === row.id).map((a) => a.role as string),
  }));
}

/** What a login checks, in one statement whether or not the user exists (so both take the same work). */
export async function findLoginCredentials(db: Knex, username: string): Promise<{ id: string; passwordHash: string; disabled: boolean } | undefined> {
  return db('users').select({ id: 'id', passwordHash: 'password_hash', disabled: 'disabled' }).where({ username }).first();
}

export async function isUsernameTaken(db: Knex, username: string): Promise<boolean> {
  return (await db('users').select('id').where({ username }).first()) !== undefined;
}

export async function findUserByUsername(db: Knex, username: string): Promise<UserRow | undefined> {
  const row = await db('users as u').select(USER_COLUMNS).where('u.username', username).first();
  return row ? (await withRoles(db, [row]))[0] : undefined;
}

export async function getUser(db: Knex, id: string): Promise<UserRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db('users as u').select(USER_COLUMNS).where('u.id', id).first();
  return row ? (await withRoles(db, [row]))[0] : undefined;
}

export async function listUsers(db: Knex, organizationId: string): Promise<UserRow[]> {
  return withRoles(db, await db('users as u').select(USER_COLUMNS).where('u.organization_id', organizationId).orderBy('u.username'));
}

export async function insertUser(db: Knex, user: Omit<UserRow, 'disabled' | 'passwordChangedAt'>, at: Date): Promise<void> {
  await db('users').insert({ id: user.id, organization_id: user.organizationId, username: user.username, display_name: user.displayName, password_hash: user.passwordHash, created_at: at });
  await replaceRoles(db, user.id, user.roles);
}

/** Set a user's roles to exactly `roles`. */
export async function replaceRoles(db: Knex, userId: string, roles: readonly string[]): Promise<void> {
  await db('role_assignments').where({ user_id: userId }).delete();
  if (roles.length > 0) await db('role_assignments').insert([...new Set(roles)].map((role) => ({ user_id: userId, role })));
}

export async function setUserDisabled(db: Knex, userId: string, disabled: boolean): Promise<void> {
  await db('users').where({ id: userId }).update({ disabled });
}

export async function setPasswordHash(db: Knex, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db('users').where({ id: userId }).update({ password_hash: passwordHash, password_changed_at: at });
}

/** The role ids declared by the SOPs an organisation has published (any revision). */
export async function listSopRoleIds(db: Knex, organizationId: string): Promise<string[]> {
  const rows = await db.raw<{ rows: Array<{ role: string }> }>(
    "select distinct role.value->>'id' as role from sop_versions, jsonb_array_elements(definition->'roles') as role where organization_id = ? order by 1",
    [organizationId],
  );
  return rows.rows.map((r) => r.role);
}
