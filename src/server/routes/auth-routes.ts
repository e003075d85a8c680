import { randomBytes } from 'node:crypto';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Router } from 'express';
import type { Alur } from '../../app/alur.js';
import type { AlurConfig } from '../../config.js';
import { findUserByUsername } from '../../adapters/store/accounts-table.js';
import { deleteSession, insertApiToken, insertSession } from '../../adapters/store/sessions-table.js';
import { parseCookie as parseCookies } from 'cookie';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { verifyPassword } from '../../adapters/passwords.js';
import { HttpProblem, problemBody } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, loginBody, tokenBody } from '../schemas.js';

/** Ten failed logins per account and address per quarter hour, then 429. */
export function loginRateLimit(router: Router): void {
  router.post('/auth/login', rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}:${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
    handler: (_req, res) => {
      res.status(429).type('application/problem+json').json(problemBody(429, 'too-many-logins', 'too many failed logins for this account from this address; wait 15 minutes'));
    },
  }));
}

export function registerAuthRoutes(routes: RouteRegistry, alur: Alur, config: AlurConfig): void {
  const db = alur.db.knex;

  routes.add<Record<string, string>, Record<string, unknown>, { username: string; password: string }>({
    method: 'post', path: '/auth/login', tag: 'auth', access: 'public', summary: 'Log in with username and password; sets the session cookie',
    body: loginBody,
    responses: { 200: { description: 'Logged in: the user and the CSRF token to send as X-CSRF-Token', schema: anyObject }, 401: { description: 'Wrong username or password' }, 429: { description: 'Too many failed logins' } },
    handler: async ({ body, res }) => {
      const user = await findUserByUsername(db, body.username);
      // Verify even for unknown users so timing does not reveal which usernames exist.
      const ok = await verifyPassword(body.password, user?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      if (!user || !ok || user.disabled) throw new HttpProblem(401, 'bad-credentials', 'wrong username or password');
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const now = alur.clock.now();
      await insertSession(db, { token, userId: user.id, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + config.sessionTtlMs) });
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: res.req.secure, path: '/', maxAge: config.sessionTtlMs });
      return { user: { id: user.id, username: user.username, displayName: user.displayName, organizationId: user.organizationId, roles: user.roles }, csrfToken };
    },
  });

  routes.add({
    method: 'post', path: '/auth/logout', tag: 'auth', access: 'user', summary: 'End the session',
    responses: { 204: { description: 'Logged out' } },
    handler: async ({ req, res }) => {
      const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end();
      return undefined;
    },
  });

  routes.add({
    method: 'get', path: '/auth/me', tag: 'auth', access: 'user', summary: 'The logged-in user with roles',
    responses: { 200: { description: 'The user', schema: anyObject } },
    handler: async ({ user }) => ({ user }),
  });

  routes.add<Record<string, string>, Record<string, unknown>, { name: string }>({
    method: 'post', path: '/auth/tokens', tag: 'auth', access: 'user', summary: 'Create an API token for the current user (shown once)',
    body: tokenBody, status: 201,
    responses: { 201: { description: 'The token; store it, it is not shown again', schema: anyObject } },
    handler: async ({ user, body }) => {
      const token = `alur_${randomBytes(32).toString('base64url')}`;
      await insertApiToken(db, { token, userId: user.id, name: body.name, createdAt: alur.clock.now() });
      return { token, name: body.name };
    },
  });
}
