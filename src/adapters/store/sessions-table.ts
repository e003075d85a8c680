/** Login sessions, stored by the SHA-256 of their secret: a leaked table reveals no credential. */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionRow {
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(db: Knex, session: { token: string; userId: string; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db('sessions').insert({ token_hash: hashToken(session.token), user_id: session.userId, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt });
}

/** The session with this secret, unless it has expired. */
export async function findSession(db: Knex, token: string, now: Date): Promise<SessionRow | undefined> {
  const row = await db('sessions').select('user_id', 'csrf_token', 'created_at', 'expires_at').where({ token_hash: hashToken(token) }).where('expires_at', '>', now).first();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) } : undefined;
}

export async function deleteSession(db: Knex, token: string): Promise<void> {
  await db('sessions').where({ token_hash: hashToken(token) }).delete();
}

/** End every session of a user; returns how many there were. */
export async function deleteUserSessions(db: Knex, userId: string): Promise<number> {
  return (await db('sessions').where({ user_id: userId }).delete().returning('token_hash')).length;
}

/** Forget sessions that expired before `now`. */
export async function deleteExpiredSessions(db: Knex, now: Date): Promise<number> {
  return (await db('sessions').where('expires_at', '<=', now).delete().returning('token_hash')).length;
}
