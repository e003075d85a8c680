/** Organisations (tenants): each owns its SOPs, cases and users. */
import { findOrganizationByName, getOrganization, listOrganizations, type OrganizationRow } from '../adapters/store/accounts-table.js';
import type { Alur } from './alur.js';

export type { OrganizationRow };

export function findOrganization(alur: Alur, id: string): Promise<OrganizationRow | undefined> {
  return getOrganization(alur.db.knex, id);
}

/** The organisation whose name is exactly `name` (as an SOP's `identity.government` says it). */
export function findOrganizationNamed(alur: Alur, name: string): Promise<OrganizationRow | undefined> {
  return findOrganizationByName(alur.db.knex, name);
}

export function allOrganizations(alur: Alur): Promise<OrganizationRow[]> {
  return listOrganizations(alur.db.knex);
}
