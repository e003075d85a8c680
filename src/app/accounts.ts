/**
 * Accounts: users and their roles, passwords, login sessions and API tokens. The server's auth and
 * user routes and the CLI's user and token commands all come here; the SQL lives in the store.
 *
 * Who may do what is decided here too: a user manages their own tokens; an admin manages the users
 * of their own organisation and their tokens (another organisation's answer "does not exist");
 * the command line ({@link SYSTEM}) has the database and so every right.
 *
 * A credential ends for good when it is revoked, when it expires, when its user is disabled or
 * when the password changes: both of the latter end every session and revoke every API token of
 * the user in the same transaction, and a session or token issued before the last password change
 * is refused even if it slipped past that transaction.
 *
 * @example
 * const accounts = accountsOf(alur);
 * const { token } = await accounts.createToken(user.id, { name: 'scanner', expiresInDays: 90 });
 * await accounts.setPassword(SYSTEM, user.id);   // a new generated password; token now revoked
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  findLoginCredentials, findUserByUsername, getUser, insertUser, isUsernameTaken, listSopRoleIds, listUsers, replaceRoles, setPasswordHash, setUserDisabled, type UserRow,
} from '../adapters/store/accounts-table.js';
import { findApiTokenBySecret, getApiToken, insertApiToken, listApiTokens, revokeApiToken, revokeUserApiTokens, touchApiToken, type ApiTokenWithOwner } from '../adapters/store/api-tokens-table.js';
import { deleteExpiredSessions, deleteSession, deleteUserSessions, findSession, hashToken, insertSession } from '../adapters/store/sessions-table.js';
import { cachedAuthentication, credentialsChanged } from './auth-cache.js';
import { generatePassword, hashPassword, nobodysHash, verifyPassword } from '../adapters/passwords.js';
import { NotFoundError, type Clock } from '../engine/index.js';
import type { Alur } from './alur.js';

import { OPERATOR_ROLE, SYSTEM_ROLES } from './access-policy.js';

export { SYSTEM_ROLES };

/** A token's last use is recorded at this resolution: a busy token costs one write a minute, not one per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_TOKEN_DAYS = 3650;

/** The command line: it holds the database, so it may do anything to any account. */
export const SYSTEM = 'system' as const;
export type AccountActor = { id: string; organizationId: string; roles: readonly string[] } | typeof SYSTEM;

export interface AccountUser {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  roles: string[];
  disabled: boolean;
}

export interface TokenInfo {
  id: string;
  name: string;
  userId: string;
  username: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

/** Who a credential belongs to, or why it no longer counts. */
export type Authentication =
  | { ok: true; user: AccountUser; tokenId?: string; csrfToken?: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'disabled' | 'password-changed'; at?: Date };

/** A request about accounts that cannot be carried out as asked; `fields` point into the input. */
export class AccountError extends Error {
  constructor(readonly code: 'unknown-role' | 'username-taken' | 'wrong-password' | 'own-account' | 'invalid', message: string, readonly fields: Array<{ field: string; message: string }> = []) {
    super(message);
    this.name = 'AccountError';
  }
}

export class Accounts {
  constructor(private readonly deps: { db: Knex; clock: Clock }) {}

  // ── passwords and sessions ────────────────────────────────────────────────────────────────

  /** Prepare what a login of an unknown username checks against, so the first one costs no more than any other. */
  async prepareLogins(): Promise<void> {
    await nobodysHash();
  }

  /**
   * The user whose username and password these are, or undefined. Known, unknown and disabled
   * users cost the same work (one query, one scrypt), so the answer's timing names no username.
   */
  async checkPassword(username: string, password: string): Promise<AccountUser | undefined> {
    const credentials = await findLoginCredentials(this.deps.db, username);
    const ok = await verifyPassword(password, credentials?.passwordHash);
    if (!credentials || !ok || credentials.disabled) return undefined;
    const user = await getUser(this.deps.db, credentials.id);
    return user && !user.disabled ? view(user) : undefined;
  }

  /** A new login session: the cookie secret and the CSRF token that must accompany writes. */
  async startSession(userId: string, ttlMs: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await deleteExpiredSessions(this.deps.db, now);
    await insertSession(this.deps.db, { token, userId, csrfToken, createdAt: now, expiresAt });
    return { token, csrfToken, expiresAt };
  }

  async endSession(token: string): Promise<void> {
    await deleteSession(this.deps.db, token);
    credentialsChanged();
  }

  /** Who holds this session (cached briefly, see auth-cache.ts). */
  async authenticateSession(token: string): Promise<Authentication> {
    const now = this.deps.clock.now();
    return cachedAuthentication(this.deps.db, `s:${hashToken(token)}`, now, async () => {
      const session = await findSession(this.deps.db, token, now);
      if (!session) return { result: { ok: false, reason: 'unknown' } };
      const checked = await this.holder(session.userId, session.createdAt);
      return { result: checked.ok ? { ...checked, csrfToken: session.csrfToken } : checked, expiresAt: session.expiresAt };
    });
  }

  /** Who holds this API token (cached briefly, see auth-cache.ts; `last_used_at` written at most once a minute). */
  async authenticateToken(secret: string): Promise<Authentication> {
    const now = this.deps.clock.now();
    return cachedAuthentication(this.deps.db, `t:${hashToken(secret)}`, now, async () => {
      const token = await findApiTokenBySecret(this.deps.db, secret);
      if (!token) return { result: { ok: false, reason: 'unknown' } };
      if (token.revokedAt) return { result: { ok: false, reason: 'revoked', at: token.revokedAt } };
      if (token.expiresAt && token.expiresAt <= now) return { result: { ok: false, reason: 'expired', at: token.expiresAt } };
      const checked = await this.holder(token.userId, token.createdAt);
      if (!checked.ok) return { result: checked };
      const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      if (!token.lastUsedAt || token.lastUsedAt < staleBefore) await touchApiToken(this.deps.db, token.id, now, staleBefore);
      return { result: { ...checked, tokenId: token.id }, ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) };
    });
  }

  private async holder(userId: string, issuedAt: Date): Promise<Authentication> {
    const user = await getUser(this.deps.db, userId);
    if (!user) return { ok: false, reason: 'unknown' };
    if (user.disabled) return { ok: false, reason: 'disabled' };
    if (user.passwordChangedAt && issuedAt < user.passwordChangedAt) return { ok: false, reason: 'password-changed', at: user.passwordChangedAt };
    return { ok: true, user: view(user) };
  }

  /**
   * Set a user's password (generated when not given; the generated one is returned once), then end
   * every session and revoke every API token of theirs.
   */
  async setPassword(actor: AccountActor, userId: string, password?: string): Promise<{ user: AccountUser; password?: string; sessionsEnded: number; tokensRevoked: number }> {
    const user = await this.managed(actor, userId);
    const chosen = password ?? generatePassword();
    const ended = await this.replacePassword(user.id, chosen);
    return { user: view(user), ...(password === undefined ? { password: chosen } : {}), ...ended };
  }

  /** A user changes their own password, proving the current one; every session and token of theirs ends. */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
    const user = await getUser(this.deps.db, userId);
    if (!user) throw new NotFoundError('user', userId);
    if (!(await verifyPassword(current, user.passwordHash))) {
      throw new AccountError('wrong-password', 'the current password is not right', [{ field: '/currentPassword', message: 'is not your current password' }]);
    }
    if (next === current) throw new AccountError('invalid', 'the new password is the current one', [{ field: '/newPassword', message: 'must differ from the current password' }]);
    return this.replacePassword(user.id, next);
  }

  private async replacePassword(userId: string, password: string): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
    const hash = await hashPassword(password);
    const at = this.deps.clock.now();
    const ended = await this.deps.db.transaction(async (trx) => {
      await setPasswordHash(trx, userId, hash, at);
      return this.endCredentials(trx, userId, at);
    });
    credentialsChanged();
    return ended;
  }

  /** Disable (and end every session and token of) a user, or enable them again. */
  async setDisabled(actor: AccountActor, userId: string, disabled: boolean): Promise<{ user: AccountUser; sessionsEnded: number; tokensRevoked: number }> {
    const user = await this.managed(actor, userId);
    if (disabled && actor !== SYSTEM && actor.id === user.id) {
      throw new AccountError('own-account', 'you cannot disable your own account; ask another admin, or use `alur user disable`');
    }
    const at = this.deps.clock.now();
    const ended = await this.deps.db.transaction(async (trx) => {
      await setUserDisabled(trx, user.id, disabled);
      return disabled ? this.endCredentials(trx, user.id, at) : { sessionsEnded: 0, tokensRevoked: 0 };
    });
    credentialsChanged();
    return { user: { ...view(user), disabled }, ...ended };
  }

  private async endCredentials(trx: Knex, userId: string, at: Date): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
    return { sessionsEnded: await deleteUserSessions(trx, userId), tokensRevoked: await revokeUserApiTokens(trx, userId, at) };
  }

  // ── API tokens ────────────────────────────────────────────────────────────────────────────

  /** A new API token for the user; the secret is returned now and never again. */
  async createToken(userId: string, options: { name: string; expiresInDays?: number }): Promise<{ token: string; info: TokenInfo }> {
    if (options.expiresInDays !== undefined && !(Number.isInteger(options.expiresInDays) && options.expiresInDays >= 1 && options.expiresInDays <= MAX_TOKEN_DAYS)) {
      throw new AccountError('invalid', `a token expires in 1 to ${MAX_TOKEN_DAYS} whole days`, [{ field: '/expiresInDays', message: `must be a whole number from 1 to ${MAX_TOKEN_DAYS}` }]);
    }
    const user = await getUser(this.deps.db, userId);
    if (!user) throw new NotFoundError('user', userId);
    const now = this.deps.clock.now();
    const id = randomUUID();
    const token = `alur_${randomBytes(32).toString('base64url')}`;
    const expiresAt = options.expiresInDays === undefined ? null : new Date(now.getTime() + options.expiresInDays * 86_400_000);
    await insertApiToken(this.deps.db, { id, token, userId, name: options.name, createdAt: now, expiresAt });
    return { token, info: tokenInfo({ id, userId, username: user.username, organizationId: user.organizationId, name: options.name, createdAt: now, lastUsedAt: null, expiresAt, revokedAt: null }, now) };
  }

  /**
   * Tokens, newest first, never with their secret: the actor's own (no `userId`), one user's
   * (their own, or an admin's user), or with `organization` every token of the actor's organisation
   * (admin). The command line sees every token.
   */
  async listTokens(actor: AccountActor, filter: { userId?: string; organization?: boolean } = {}): Promise<TokenInfo[]> {
    const now = this.deps.clock.now();
    if (filter.userId !== undefined) {
      if (actor === SYSTEM || actor.id !== filter.userId) await this.managed(actor, filter.userId);
      return (await listApiTokens(this.deps.db, { userId: filter.userId })).map((t) => tokenInfo(t, now));
    }
    if (actor === SYSTEM) return (await listApiTokens(this.deps.db, {})).map((t) => tokenInfo(t, now));
    if (filter.organization) {
      if (!actor.roles.includes('admin')) throw new NotFoundError('organisation', actor.organizationId);
      return (await listApiTokens(this.deps.db, { organizationId: actor.organizationId })).map((t) => tokenInfo(t, now));
    }
    return (await listApiTokens(this.deps.db, { userId: actor.id })).map((t) => tokenInfo(t, now));
  }

  /** Revoke a token of the actor's own, or (admin) of a user of their organisation. Revoking twice keeps the first time. */
  async revokeToken(actor: AccountActor, tokenId: string): Promise<TokenInfo> {
    const token = await getApiToken(this.deps.db, tokenId);
    const visible = token && (actor === SYSTEM || token.userId === actor.id || (actor.roles.includes('admin') && token.organizationId === actor.organizationId));
    if (!token || !visible) throw new NotFoundError('API token', tokenId);
    const now = this.deps.clock.now();
    await revokeApiToken(this.deps.db, token.id, now);
    credentialsChanged();
    return tokenInfo({ ...token, revokedAt: token.revokedAt ?? now }, now);
  }

  // ── users and roles ───────────────────────────────────────────────────────────────────────

  /** The roles that exist in an organisation: the system roles and the roles of its SOPs. */
  async organizationRoles(organizationId: string): Promise<string[]> {
    return [...new Set([...SYSTEM_ROLES, ...(await listSopRoleIds(this.deps.db, organizationId))])].sort();
  }

  async listUsers(organizationId: string): Promise<AccountUser[]> {
    return (await listUsers(this.deps.db, organizationId)).map(view);
  }

  async findUser(username: string): Promise<AccountUser | undefined> {
    const user = await findUserByUsername(this.deps.db, username);
    return user ? view(user) : undefined;
  }

  /** A user the actor may manage (an admin: their organisation's); others' users (and unknown ids) do not exist. */
  async getUser(actor: AccountActor, userId: string): Promise<AccountUser> {
    return view(await this.managed(actor, userId));
  }

  /** Create a user in `organizationId` (an admin: only their own); a generated password is returned once when none is given. */
  async createUser(actor: AccountActor, input: { organizationId: string; username: string; displayName: string; password?: string; roles: string[] }): Promise<{ user: AccountUser; password?: string }> {
    if (actor !== SYSTEM && !(actor.roles.includes('admin') && actor.organizationId === input.organizationId)) throw new NotFoundError('organisation', input.organizationId);
    await this.checkRoles(actor, input.organizationId, input.roles);
    if (await isUsernameTaken(this.deps.db, input.username)) {
      throw new AccountError('username-taken', `the username "${input.username}" is taken`, [{ field: '/username', message: 'is taken' }]);
    }
    const password = input.password ?? generatePassword();
    const id = randomUUID();
    const passwordHash = await hashPassword(password);
    await this.deps.db.transaction((trx) => insertUser(trx, { id, organizationId: input.organizationId, username: input.username, displayName: input.displayName, passwordHash, roles: input.roles }, this.deps.clock.now()));
    return { user: view((await getUser(this.deps.db, id))!), ...(input.password === undefined ? { password } : {}) };
  }

  async setRoles(actor: AccountActor, userId: string, roles: string[]): Promise<AccountUser> {
    const user = await this.managed(actor, userId);
    await this.checkRoles(actor, user.organizationId, roles);
    await this.deps.db.transaction((trx) => replaceRoles(trx, user.id, roles));
    credentialsChanged();
    return view((await getUser(this.deps.db, user.id))!);
  }

  private async checkRoles(actor: AccountActor, organizationId: string, roles: string[]): Promise<void> {
    // Only the installation (the command line) or an operator makes another operator.
    const mayMakeOperators = actor === SYSTEM || actor.roles.includes(OPERATOR_ROLE);
    const known = [...await this.organizationRoles(organizationId), ...(mayMakeOperators ? [OPERATOR_ROLE] : [])];
    const fields = roles.flatMap((role, i) => (known.includes(role) ? [] : [{ field: `/roles/${i}`, message: `"${role}" is not a role in this organisation (roles: ${known.join(', ')})` }]));
    if (fields.length > 0) throw new AccountError('unknown-role', fields.map((f) => f.message).join('; '), fields);
  }

  private async managed(actor: AccountActor, userId: string): Promise<UserRow> {
    const user = await getUser(this.deps.db, userId);
    const allowed = user && (actor === SYSTEM || (actor.roles.includes('admin') && actor.organizationId === user.organizationId));
    if (!user || !allowed) throw new NotFoundError('user', userId);
    return user;
  }
}

/** The account service on Alur's database and clock. */
export function accountsOf(alur: Pick<Alur, 'db' | 'clock'>): Accounts {
  return new Accounts({ db: alur.db.knex, clock: alur.clock });
}

function view(user: UserRow): AccountUser {
  return { id: user.id, username: user.username, displayName: user.displayName, organizationId: user.organizationId, roles: user.roles, disabled: user.disabled };
}

function tokenInfo(token: ApiTokenWithOwner, now: Date): TokenInfo {
  const status = token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt <= now ? 'expired' : 'active';
  return { id: token.id, name: token.name, userId: token.userId, username: token.username, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt, expiresAt: token.expiresAt, revokedAt: token.revokedAt, status };
}
