/**
 * Who is calling: an API token (`Authorization: Bearer …`) or a session cookie. Cookie sessions
 * must also send their CSRF token (`X-CSRF-Token`) on every state-changing request. A revoked or
 * expired token, a disabled account and a credential older than the last password change answer
 * 401, each saying which.
 */
import { parseCookie as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Accounts, type Authentication } from '../../app/accounts.js';
import { HttpProblem } from '../problem.js';

export { SYSTEM_ROLES } from '../../app/access-policy.js';

export const SESSION_COOKIE = 'alur_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthenticatedUser {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  roles: string[];
  via: 'session' | 'token';
  /** The API token's id, when the request came with one. */
  tokenId?: string;
  /** The session's CSRF token (cookie sessions only), so GET /auth/me can hand it to a new tab. */
  csrfToken?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What authenticating needs: the account service's dependencies. */
export type AuthenticateDeps = ConstructorParameters<typeof Accounts>[0];

export function createAuthenticate(deps: AuthenticateDeps): RequestHandler {
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
export async function authenticate(deps: AuthenticateDeps, req: Request): Promise<AuthenticatedUser> {
  const accounts = new Accounts(deps);
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new HttpProblem(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"', [{ field: '/headers/authorization', message: 'must be "Bearer <token>"' }]);
    const result = await accounts.authenticateToken(match[1]!);
    if (!result.ok) throw refusal(result, 'token');
    return { ...userOf(result), via: 'token', ...(result.tokenId ? { tokenId: result.tokenId } : {}) };
  }
  const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  if (!token) throw new HttpProblem(401, 'unauthenticated', 'log in first (POST /api/v1/auth/login) or send an API token');
  const result = await accounts.authenticateSession(token);
  if (!result.ok) throw refusal(result, 'session');
  if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== result.csrfToken) {
    throw new HttpProblem(403, 'csrf', `a ${req.method} with a session cookie needs the ${CSRF_HEADER} header from login`, [{ field: `/headers/${CSRF_HEADER}`, message: 'missing or wrong' }]);
  }
  return { ...userOf(result), via: 'session', csrfToken: result.csrfToken };
}

function userOf(result: Extract<Authentication, { ok: true }>): Omit<AuthenticatedUser, 'via'> {
  const { id, username, displayName, organizationId, roles } = result.user;
  return { id, username, displayName, organizationId, roles };
}

function refusal(result: Extract<Authentication, { ok: false }>, via: 'token' | 'session'): HttpProblem {
  const at = result.at?.toISOString();
  if (via === 'session') {
    const detail = result.reason === 'disabled' ? 'this account is disabled' : result.reason === 'password-changed' ? `the password changed at ${at}; log in again` : 'the session has ended; log in again (POST /api/v1/auth/login)';
    return new HttpProblem(401, 'unauthenticated', detail);
  }
  const field = (message: string) => [{ field: '/headers/authorization', message }];
  switch (result.reason) {
    case 'revoked': return new HttpProblem(401, 'token-revoked', `the API token was revoked at ${at}; create a new one (POST /api/v1/auth/tokens)`, field('revoked token'));
    case 'expired': return new HttpProblem(401, 'token-expired', `the API token expired at ${at}; create a new one (POST /api/v1/auth/tokens)`, field('expired token'));
    case 'password-changed': return new HttpProblem(401, 'token-revoked', `the API token was issued before the password changed at ${at}; create a new one`, field('revoked token'));
    case 'disabled': return new HttpProblem(401, 'unauthenticated', 'this account is disabled', field('the account is disabled'));
    default: return new HttpProblem(401, 'unauthenticated', 'the API token is not valid', field('unknown token'));
  }
}

export { requireRole } from '../../app/access-policy.js';
