/**
 * Who is calling: an API token (`Authorization: Bearer …`) or a session cookie. Cookie sessions
 * must also send their CSRF token (`X-CSRF-Token`) on every state-changing request.
 */
import { parseCookie as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Clock } from '../../engine/index.js';
import { getUser } from '../../adapters/store/accounts-table.js';
import { findApiToken, findSession } from '../../adapters/store/sessions-table.js';
import { HttpProblem } from '../problem.js';

export const SESSION_COOKIE = 'alur_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthenticatedUser {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  roles: string[];
  via: 'session' | 'token';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createAuthenticate(deps: { db: Knex; clock: Clock }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticate(deps, req)
      .then((user) => {
        res.locals.user = user;
        next();
      })
      .catch(next);
  };
}

/** Who sent `req`, or an HttpProblem (401/403) saying why nobody valid did. */
export async function authenticate(deps: { db: Knex; clock: Clock }, req: Request): Promise<AuthenticatedUser> {
  const now = deps.clock.now();
  const authorization = req.headers.authorization;
  let userId: string | undefined;
  let via: AuthenticatedUser['via'] = 'token';
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new HttpProblem(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"', [{ field: '/headers/authorization', message: 'must be "Bearer <token>"' }]);
    userId = (await findApiToken(deps.db, match[1]!, now))?.userId;
    if (!userId) throw new HttpProblem(401, 'unauthenticated', 'the API token is not valid', [{ field: '/headers/authorization', message: 'unknown or revoked token' }]);
  } else {
    const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    const session = token ? await findSession(deps.db, token, now) : undefined;
    if (!session) throw new HttpProblem(401, 'unauthenticated', 'log in first (POST /api/v1/auth/login) or send an API token');
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new HttpProblem(403, 'csrf', `a ${req.method} with a session cookie needs the ${CSRF_HEADER} header from login`, [{ field: `/headers/${CSRF_HEADER}`, message: 'missing or wrong' }]);
    }
    userId = session.userId;
    via = 'session';
  }
  const user = await getUser(deps.db, userId);
  if (!user || user.disabled) throw new HttpProblem(401, 'unauthenticated', 'this account is disabled');
  return { id: user.id, username: user.username, displayName: user.displayName, organizationId: user.organizationId, roles: user.roles, via };
}

/** Refuse (403) unless the user holds one of `roles`. */
export function requireRole(user: AuthenticatedUser, ...roles: string[]): void {
  if (!roles.some((role) => user.roles.includes(role))) {
    throw new HttpProblem(403, 'forbidden', `this needs the role ${roles.map((r) => `"${r}"`).join(' or ')}; you hold ${user.roles.map((r) => `"${r}"`).join(', ') || 'none'}`);
  }
}

export const SYSTEM_ROLES = ['admin', 'process-owner', 'auditor'] as const;
