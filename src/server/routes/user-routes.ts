/** Users of the admin's organisation: list, create, roles, disable/enable, password reset, their API tokens. */
import type { Alur } from '../../app/alur.js';
import { accountsOf } from '../../app/accounts.js';
import { asProblem } from '../auth/account-problems.js';
import { requireRole } from '../auth/authenticate.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, createUserBody, rolesBody, tokenList, userIdParams } from '../schemas.js';

export function registerUserRoutes(routes: RouteRegistry, alur: Alur): void {
  const accounts = accountsOf(alur);
  const notInOrganisation = { description: 'No such user in your organisation' };

  routes.add({
    method: 'get', path: '/users', tag: 'users', access: 'user', summary: 'Users of your organisation with their roles (admin)',
    responses: { 200: { description: 'Users', schema: anyObject } },
    handler: async ({ user }) => {
      requireRole(user, 'admin');
      return { users: await accounts.listUsers(user.organizationId), roles: await accounts.organizationRoles(user.organizationId) };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { username: string; displayName: string; password?: string; roles: string[] }>({
    method: 'post', path: '/users', tag: 'users', access: 'user', summary: 'Create a user in your organisation (admin); a generated password is returned once',
    body: createUserBody, status: 201,
    responses: { 201: { description: 'Created', schema: anyObject }, 409: { description: 'Username taken' }, 422: { description: 'Unknown role' } },
    handler: async ({ user, body, res }) => {
      requireRole(user, 'admin');
      return asProblem(res, accounts.createUser(user, { ...body, organizationId: user.organizationId }));
    },
  });

  routes.add<{ userId: string }, Record<string, unknown>, { roles: string[] }>({
    method: 'put', path: '/users/:userId/roles', tag: 'users', access: 'user', summary: 'Set a user\'s roles (admin)',
    params: userIdParams, body: rolesBody,
    responses: { 200: { description: 'The user with the new roles', schema: anyObject }, 404: notInOrganisation, 422: { description: 'Unknown role' } },
    handler: async ({ user, params, body, res }) => {
      requireRole(user, 'admin');
      return { user: await asProblem(res, accounts.setRoles(user, params.userId, body.roles)) };
    },
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    routes.add<{ userId: string }>({
      method: 'post', path: `/users/:userId/${action}`, tag: 'users', access: 'user',
      summary: disabled ? 'Disable a user (admin): every session and API token of theirs ends, and they cannot log in' : 'Enable a disabled user again (admin); ended sessions and revoked tokens stay ended',
      params: userIdParams,
      responses: disabled
        ? { 200: { description: 'The user, with how many sessions ended and tokens were revoked', schema: anyObject }, 404: notInOrganisation, 422: { description: 'Your own account' } }
        : { 200: { description: 'The user', schema: anyObject }, 404: notInOrganisation },
      handler: async ({ user, params, res }) => {
        requireRole(user, 'admin');
        return asProblem(res, accounts.setDisabled(user, params.userId, disabled));
      },
    });
  }

  routes.add<{ userId: string }>({
    method: 'post', path: '/users/:userId/password', tag: 'users', access: 'user',
    summary: 'Give a user a new generated password, returned once (admin); every session and API token of theirs ends',
    params: userIdParams,
    responses: { 200: { description: 'The user and the new password', schema: anyObject }, 404: notInOrganisation },
    handler: async ({ user, params }) => {
      requireRole(user, 'admin');
      return accounts.setPassword(user, params.userId);
    },
  });

  routes.add<{ userId: string }>({
    method: 'get', path: '/users/:userId/tokens', tag: 'users', access: 'user', summary: 'A user\'s API tokens, never their secrets (admin)',
    params: userIdParams,
    responses: { 200: { description: 'Tokens, newest first', schema: tokenList }, 404: notInOrganisation },
    handler: async ({ user, params }) => {
      requireRole(user, 'admin');
      return { tokens: await accounts.listTokens(user, { userId: params.userId }) };
    },
  });
}
