/**
 * Organisations (tenants): each owns its SOPs, cases and users. The installation's operator
 * creates and renames them and gives each its first administrator; the administrator does the
 * rest (users, roles) within the organisation, and its process owners publish its SOPs.
 */
import { findOrganizationByName, getOrganization, insertOrganization, listOrganizations, updateOrganization, type OrganizationRow } from '../adapters/store/accounts-table.js';
import { NotFoundError } from '../engine/index.js';
import { OPERATOR_ROLE, type Viewer } from './access-policy.js';
import { accountsOf, AccountError, SYSTEM, type AccountUser } from './accounts.js';
import type { Alur } from './alur.js';
import { ForbiddenError } from './access-policy.js';

export type { OrganizationRow };

/** The command line holds the database: it acts as the operator. */
export type OrganizationActor = Pick<Viewer, 'organizationId' | 'roles'> | typeof SYSTEM;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

export class OrganizationError extends Error {
  constructor(readonly code: 'invalid' | 'taken', message: string, readonly fields: Array<{ field: string; message: string }>) {
    super(message);
    this.name = 'OrganizationError';
  }
}

function requireOperator(actor: OrganizationActor): void {
  if (actor === SYSTEM || actor.roles.includes(OPERATOR_ROLE)) return;
  throw new ForbiddenError(`managing organisations needs the role "${OPERATOR_ROLE}" (whoever runs this Alur installation)`);
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new OrganizationError('invalid', `"${timeZone}" is not a time zone; use an IANA name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)`, [{ field: '/timeZone', message: 'is not an IANA time zone' }]);
  }
}

export async function createOrganization(alur: Alur, actor: OrganizationActor, input: { id: string; name: string; timeZone?: string }): Promise<OrganizationRow> {
  requireOperator(actor);
  if (!ID.test(input.id)) throw new OrganizationError('invalid', `"${input.id}" is not an organisation id; use lowercase letters, digits and hyphens, e.g. kab-contoh`, [{ field: '/id', message: 'lowercase letters, digits and hyphens' }]);
  const org = { id: input.id, name: input.name.trim(), timeZone: input.timeZone ?? DEFAULT_TIME_ZONE };
  checkTimeZone(org.timeZone);
  if (!(await insertOrganization(alur.db.knex, org, alur.clock.now()))) {
    const byName = await findOrganizationByName(alur.db.knex, org.name);
    const field = byName ? '/name' : '/id';
    throw new OrganizationError('taken', `an organisation with this ${byName ? `name ("${org.name}")` : `id ("${org.id}")`} exists already`, [{ field, message: 'is taken' }]);
  }
  return org;
}

/**
 * The time zone an organisation reads its clock in (for days, shifts and the times printed on its
 * documents); a case of no organisation, or of one gone, reads the default (WIB).
 */
export async function organizationTimeZone(alur: Alur, organizationId: string | null): Promise<string> {
  const org = organizationId === null ? undefined : await getOrganization(alur.db.knex, organizationId);
  return org?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** The organisation, created when missing (for set-up scripts such as the demo seed). */
export async function ensureOrganization(alur: Alur, input: OrganizationRow): Promise<OrganizationRow> {
  return (await getOrganization(alur.db.knex, input.id)) ?? createOrganization(alur, SYSTEM, input);
}

export async function changeOrganization(alur: Alur, actor: OrganizationActor, id: string, patch: { name?: string; timeZone?: string }): Promise<OrganizationRow> {
  requireOperator(actor);
  if (patch.timeZone !== undefined) checkTimeZone(patch.timeZone);
  const taken = patch.name === undefined ? undefined : await findOrganizationByName(alur.db.knex, patch.name);
  if (taken && taken.id !== id) throw new OrganizationError('taken', `another organisation is called "${patch.name}"`, [{ field: '/name', message: 'is taken' }]);
  if (!(await updateOrganization(alur.db.knex, id, patch))) throw new NotFoundError('organisation', id);
  return (await getOrganization(alur.db.knex, id))!;
}

/** Every organisation for the operator; one's own for everybody else. */
export async function visibleOrganizations(alur: Alur, actor: OrganizationActor): Promise<OrganizationRow[]> {
  if (actor === SYSTEM || actor.roles.includes(OPERATOR_ROLE)) return listOrganizations(alur.db.knex);
  const own = await getOrganization(alur.db.knex, actor.organizationId);
  return own ? [own] : [];
}

/** An organisation's first administrator (or another one), created by the operator; a generated password is returned once. */
export async function addAdministrator(alur: Alur, actor: OrganizationActor, organizationId: string, input: { username: string; displayName: string; password?: string }): Promise<{ user: AccountUser; password?: string }> {
  requireOperator(actor);
  if (!(await getOrganization(alur.db.knex, organizationId))) throw new NotFoundError('organisation', organizationId);
  return accountsOf(alur).createUser(SYSTEM, { organizationId, ...input, roles: ['admin'] });
}

export function findOrganization(alur: Alur, id: string): Promise<OrganizationRow | undefined> {
  return getOrganization(alur.db.knex, id);
}

/** The organisation whose name is exactly `name` (as an SOP's `identity.government` says it). */
export function findOrganizationNamed(alur: Alur, name: string): Promise<OrganizationRow | undefined> {
  return findOrganizationByName(alur.db.knex, name);
}

export { AccountError };
