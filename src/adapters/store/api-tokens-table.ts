/**
 * API tokens (`Authorization: Bearer alur_…`), stored by the SHA-256 of their secret. A token is
 * listed and revoked by its id; revoking keeps the row (with `revoked_at`) for the record.
 */
import type { Knex } from 'knex';
import { hashToken } from './sessions-table.js';

export interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** A token with the account it belongs to, for listings and access checks. */
export interface ApiTokenWithOwner extends ApiTokenRow {
  username: string;
  organizationId: string;
}

const COLUMNS = { id: 't.id', userId: 't.user_id', name: 't.name', createdAt: 't.created_at', lastUsedAt: 't.last_used_at', expiresAt: 't.expires_at', revokedAt: 't.revoked_at' };
const OWNER_COLUMNS = { ...COLUMNS, username: 'u.username', organizationId: 'u.organization_id' };

function toRow<T extends ApiTokenRow>(row: T): T {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return { ...row, createdAt: new Date(row.createdAt), lastUsedAt: date(row.lastUsedAt), expiresAt: date(row.expiresAt), revokedAt: date(row.revokedAt) };
}

export async function insertApiToken(db: Knex, token: { id: string; token: string; userId: string; name: string; createdAt: Date; expiresAt: Date | null }): Promise<void> {
  await db('api_tokens').insert({ id: token.id, token_hash: hashToken(token.token), user_id: token.userId, name: token.name, created_at: token.createdAt, expires_at: token.expiresAt });
}

/** The token with this secret, whatever its state (expired and revoked tokens are reported as such). */
export async function findApiTokenBySecret(db: Knex, secret: string): Promise<ApiTokenRow | undefined> {
  const row = await db('api_tokens as t').select(COLUMNS).where('t.token_hash', hashToken(secret)).first();
  return row ? toRow(row) : undefined;
}

export async function getApiToken(db: Knex, id: string): Promise<ApiTokenWithOwner | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db('api_tokens as t').join('users as u', 'u.id', 't.user_id').select(OWNER_COLUMNS).where('t.id', id).first();
  return row ? toRow(row) : undefined;
}

/** Tokens of one user, or of every user of an organisation, or all; newest first. */
export async function listApiTokens(db: Knex, filter: { userId?: string; organizationId?: string }): Promise<ApiTokenWithOwner[]> {
  const query = db('api_tokens as t').join('users as u', 'u.id', 't.user_id').select(OWNER_COLUMNS).orderBy([{ column: 't.created_at', order: 'desc' }, { column: 't.id' }]);
  if (filter.userId !== undefined) query.where('t.user_id', filter.userId);
  if (filter.organizationId !== undefined) query.where('u.organization_id', filter.organizationId);
  return (await query).map(toRow);
}

/** Record a use, unless one was recorded after `staleBefore` (so a busy token costs one write a minute, not one per request). */
export async function touchApiToken(db: Knex, id: string, now: Date, staleBefore: Date): Promise<void> {
  await db('api_tokens').where({ id }).where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', staleBefore)).update({ last_used_at: now });
}

/** Revoke one token; false when it was revoked already. */
export async function revokeApiToken(db: Knex, id: string, at: Date): Promise<boolean> {
  return (await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: at }).returning('id')).length > 0;
}

/** Revoke every live token of a user; returns how many. */
export async function revokeUserApiTokens(db: Knex, userId: string, at: Date): Promise<number> {
  return (await db('api_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: at }).returning('id')).length;
}
