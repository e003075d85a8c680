/**
 * Logging in and out, the current user, changing one's password, and API tokens (create, list,
 * revoke). Logins go through the {@link LoginThrottle}; everything else through the account service.
 */
import { parseCookie as parseCookies } from 'cookie';
import type { Alur } from '../../app/alur.js';
import { accountsOf } from '../../app/accounts.js';
import type { AlurConfig } from '../../config.js';
import { asProblem } from '../auth/account-problems.js';
import { requireRole, SESSION_COOKIE } from '../auth/authenticate.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, loginBody, passwordChangeBody, tokenBody, tokenIdParams, tokenInfo, tokenList, tokenListQuery } from '../schemas.js';

export function registerAuthRoutes(routes: RouteRegistry, alur: Alur, config: AlurConfig, throttle: LoginThrottle): void {
  const accounts = accountsOf(alur);
  accounts.prepareLogins().catch(() => { /* made on first use instead */ });

  routes.add<Record<string, string>, Record<string, unknown>, { username: string; password: string }>({
    method: 'post', path: '/auth/login', tag: 'auth', access: 'public', summary: 'Log in with username and password; sets the session cookie',
    body: loginBody,
    responses: {
      200: { description: 'Logged in: the user and the CSRF token to send as X-CSRF-Token', schema: anyObject },
      401: { description: 'Wrong username or password (the same answer for a username that does not exist)' },
      429: { description: 'Too many failed logins from this address; Retry-After says when to try again' },
      503: { description: 'Too many password checks waiting; Retry-After says when to try again' },
    },
    handler: async ({ req, body, res }) => {
      const settle = await asProblem(res, throttle.admit(req.ip ?? '', body.username));
      let user;
      try {
        user = await asProblem(res, accounts.checkPassword(body.username, body.password));
      } catch (error) {
        settle('aborted');
        throw error;
      }
      settle(user ? 'success' : 'failure');
      if (!user) throw new HttpProblem(401, 'bad-credentials', 'wrong username or password');
      const session = await accounts.startSession(user.id, config.sessionTtlMs);
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: res.req.secure, path: '/', maxAge: config.sessionTtlMs });
      const { id, username, displayName, organizationId, roles } = user;
      return { user: { id, username, displayName, organizationId, roles }, csrfToken: session.csrfToken };
    },
  });

  routes.add({
    method: 'post', path: '/auth/logout', tag: 'auth', access: 'user', summary: 'End the session, or revoke the API token the request carries',
    responses: { 204: { description: 'Logged out; with a Bearer token, that token is revoked' } },
    handler: async ({ req, res, user }) => {
      if (user.via === 'token' && user.tokenId) {
        await accounts.revokeToken(user, user.tokenId);
      } else {
        const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
        if (token) await accounts.endSession(token);
      }
      res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end();
      return undefined;
    },
  });

  routes.add({
    method: 'get', path: '/auth/me', tag: 'auth', access: 'user', summary: 'The logged-in user with roles; for a session, also its CSRF token (so a new tab of the web UI needs no second login)',
    responses: { 200: { description: 'The user, and csrfToken when the caller came with a session cookie', schema: anyObject } },
    // The token is readable only by a same-origin caller holding the session cookie (SameSite=Strict, no CORS), which could send it anyway.
    handler: async ({ user }) => {
      const { csrfToken, ...me } = user;
      return { user: me, ...(csrfToken ? { csrfToken } : {}) };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { currentPassword: string; newPassword: string }>({
    method: 'post', path: '/auth/password', tag: 'auth', access: 'user', summary: 'Change your password; every session and API token of yours ends',
    body: passwordChangeBody,
    responses: {
      204: { description: 'Changed; log in again with the new password' },
      422: { description: 'The current password is not right, or the new one is the same' },
      429: { description: 'Too many wrong passwords from this address' },
    },
    handler: async ({ req, res, user, body }) => {
      const settle = await asProblem(res, throttle.admit(req.ip ?? '', user.username));
      try {
        await asProblem(res, accounts.changeOwnPassword(user.id, body.currentPassword, body.newPassword));
      } catch (error) {
        settle(error instanceof HttpProblem && error.code === 'wrong-password' ? 'failure' : 'aborted');
        throw error;
      }
      settle('success');
      res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end();
      return undefined;
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { name: string; expiresInDays?: number }>({
    method: 'post', path: '/auth/tokens', tag: 'auth', access: 'user', summary: 'Create an API token for yourself (its secret is shown once)',
    body: tokenBody, status: 201,
    responses: { 201: { description: 'The token; store the secret, it is not shown again', schema: anyObject } },
    handler: async ({ user, body, res }) => {
      const { token, info } = await asProblem(res, accounts.createToken(user.id, body));
      return { token, ...info };
    },
  });

  routes.add<Record<string, string>, { scope?: 'mine' | 'organization' }>({
    method: 'get', path: '/auth/tokens', tag: 'auth', access: 'user', summary: 'Your API tokens (name, created, last used, expiry, status; never the secret); an admin may ask for the whole organisation\'s',
    query: tokenListQuery,
    responses: { 200: { description: 'Tokens, newest first', schema: tokenList } },
    handler: async ({ user, query }) => {
      if (query.scope === 'organization') requireRole(user, 'admin');
      return { tokens: await accounts.listTokens(user, { organization: query.scope === 'organization' }) };
    },
  });

  routes.add<{ tokenId: string }>({
    method: 'delete', path: '/auth/tokens/:tokenId', tag: 'auth', access: 'user', summary: 'Revoke an API token: your own, or (admin) one of a user of your organisation',
    params: tokenIdParams,
    responses: { 200: { description: 'The token, now revoked (revoking twice keeps the first time)', schema: tokenInfo }, 404: { description: 'No such token of yours (or of your organisation, for an admin)' } },
    handler: async ({ user, params }) => accounts.revokeToken(user, params.tokenId),
  });
}
