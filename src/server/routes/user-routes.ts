import { randomUUID } from 'node:crypto';
import type { Alur } from '../../app/alur.js';
import { NotFoundError } from '../../engine/index.js';
import { getUser, insertUser, listUsers, replaceRoles, type UserRow } from '../../adapters/store/accounts-table.js';
import { requireRole, SYSTEM_ROLES } from '../auth/authenticate.js';
import { generatePassword, hashPassword } from '../../adapters/passwords.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, createUserBody, rolesBody, uuid } from '../schemas.js';

/** The roles that exist in an organisation: the system roles and the roles of its SOPs. */
export async function organizationRoles(alur: Alur, organizationId: string): Promise<string[]> {
  const rows = await alur.db.knex('sop_versions').select('definition').where({ organization_id: organizationId });
  const sopRoles = rows.flatMap((r) => (r.definition as { roles: Array<{ id: string }> }).roles.map((role) => role.id));
  return [...new Set([...SYSTEM_ROLES, ...sopRoles])].sort();
}

export function registerUserRoutes(routes: RouteRegistry, alur: Alur): void {
  const db = alur.db.knex;
  const checkRoles = async (organizationId: string, roles: string[]) => {
    const known = await organizationRoles(alur, organizationId);
    const errors = roles.flatMap((role, i) => (known.includes(role) ? [] : [{ field: `/body/roles/${i}`, message: `"${role}" is not a role in this organisation (roles: ${known.join(', ')})` }]));
    if (errors.length > 0) throw new HttpProblem(422, 'unknown-role', errors.map((e) => e.message).join('; '), errors);
  };

  routes.add({
    method: 'get', path: '/users', tag: 'users', access: 'user', summary: 'Users of your organisation with their roles (admin)',
    responses: { 200: { description: 'Users', schema: anyObject } },
    handler: async ({ user }) => {
      requireRole(user, 'admin');
      return { users: (await listUsers(db, user.organizationId)).map(userView), roles: await organizationRoles(alur, user.organizationId) };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { username: string; displayName: string; password?: string; roles: string[] }>({
    method: 'post', path: '/users', tag: 'users', access: 'user', summary: 'Create a user in your organisation (admin); a generated password is returned once',
    body: createUserBody, status: 201,
    responses: { 201: { description: 'Created', schema: anyObject }, 409: { description: 'Username taken' }, 422: { description: 'Unknown role' } },
    handler: async ({ user, body }) => {
      requireRole(user, 'admin');
      await checkRoles(user.organizationId, body.roles);
      if (await db('users').where({ username: body.username }).first()) {
        throw new HttpProblem(409, 'username-taken', `the username "${body.username}" is taken`, [{ field: '/body/username', message: 'is taken' }]);
      }
      const password = body.password ?? generatePassword();
      const id = randomUUID();
      const passwordHash = await hashPassword(password);
      await db.transaction((trx) => insertUser(trx, { id, organizationId: user.organizationId, username: body.username, displayName: body.displayName, passwordHash, roles: body.roles }, alur.clock.now()));
      return { user: userView((await getUser(db, id))!), ...(body.password ? {} : { password }) };
    },
  });

  routes.add<{ userId: string }, Record<string, unknown>, { roles: string[] }>({
    method: 'put', path: '/users/:userId/roles', tag: 'users', access: 'user', summary: 'Set a user\'s roles (admin)',
    params: { type: 'object', properties: { userId: uuid }, required: ['userId'] }, body: rolesBody,
    responses: { 200: { description: 'The user with the new roles', schema: anyObject }, 404: { description: 'No such user in your organisation' }, 422: { description: 'Unknown role' } },
    handler: async ({ user, params, body }) => {
      requireRole(user, 'admin');
      const target = await getUser(db, params.userId);
      if (!target || target.organizationId !== user.organizationId) throw new NotFoundError('user', params.userId);
      await checkRoles(user.organizationId, body.roles);
      await db.transaction((trx) => replaceRoles(trx, target.id, body.roles));
      return { user: userView((await getUser(db, target.id))!) };
    },
  });
}

function userView(u: UserRow) {
  return { id: u.id, username: u.username, displayName: u.displayName, organizationId: u.organizationId, roles: u.roles, disabled: u.disabled };
}
