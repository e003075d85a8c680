/** Login sessions and API tokens, stored by the SHA-256 of their secret: a leaked table reveals no credential. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function insertSession(db: Knex, session: { token: string; userId: string; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db('sessions').insert({ token_hash: hashToken(session.token), user_id: session.userId, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt });
}

export async function findSession(db: Knex, token: string, now: Date): Promise<{ userId: string; csrfToken: string } | undefined> {
  const row = await db('sessions').select('user_id', 'csrf_token').where({ token_hash: hashToken(token) }).where('expires_at', '>', now).first();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(db: Knex, token: string): Promise<void> {
  await db('sessions').where({ token_hash: hashToken(token) }).delete();
}

export async function insertApiToken(db: Knex, token: { token: string; userId: string; name: string; createdAt: Date }): Promise<void> {
  await db('api_tokens').insert({ token_hash: hashToken(token.token), user_id: token.userId, name: token.name, created_at: token.createdAt });
}

export async function findApiToken(db: Knex, token: string, now: Date): Promise<{ userId: string } | undefined> {
  const row = await db('api_tokens').select('user_id').where({ token_hash: hashToken(token) }).first();
  if (!row) return undefined;
  await db('api_tokens').where({ token_hash: hashToken(token) }).update({ last_used_at: now });
  return { userId: row.user_id };
}
