/** Organisations: the operator creates and renames them and gives each its first administrator. */
import type { Alur } from '../../app/alur.js';
import { addAdministrator, changeOrganization, createOrganization, visibleOrganizations } from '../../app/organizations.js';
import { asProblem } from '../auth/account-problems.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, slug } from '../schemas.js';

const name = { type: 'string', minLength: 1, maxLength: 200, description: 'As the organisation calls itself, e.g. "Pemerintah Kabupaten Contoh".' };
const timeZone = { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone for days and shifts, e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura.' };
const orgParams = { type: 'object', properties: { orgId: slug }, required: ['orgId'] };

export function registerOrganizationRoutes(routes: RouteRegistry, alur: Alur): void {
  routes.add({
    method: 'get', path: '/organizations', tag: 'organizations', access: 'user', summary: 'Organisations: all of them for the operator, your own for everybody else',
    responses: { 200: { description: 'Organisations', schema: anyObject } },
    handler: async ({ user }) => ({ organizations: await visibleOrganizations(alur, user) }),
  });

  routes.add<Record<string, string>, Record<string, unknown>, { id: string; name: string; timeZone?: string }>({
    method: 'post', path: '/organizations', tag: 'organizations', access: 'user', summary: 'Create an organisation (operator)', status: 201,
    body: { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: slug, name, timeZone } },
    responses: { 201: { description: 'Created', schema: anyObject }, 403: { description: 'Not the operator' }, 409: { description: 'The id or name is taken' } },
    handler: async ({ user, body }) => ({ organization: await createOrganization(alur, user, body) }),
  });

  routes.add<{ orgId: string }, Record<string, unknown>, { name?: string; timeZone?: string }>({
    method: 'put', path: '/organizations/:orgId', tag: 'organizations', access: 'user', summary: 'Rename an organisation or change its time zone (operator)',
    params: orgParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name, timeZone } },
    responses: { 200: { description: 'The organisation', schema: anyObject }, 404: { description: 'No such organisation' }, 409: { description: 'Another organisation has that name' } },
    handler: async ({ user, params, body }) => ({ organization: await changeOrganization(alur, user, params.orgId, body) }),
  });

  routes.add<{ orgId: string }, Record<string, unknown>, { username: string; displayName: string; password?: string }>({
    method: 'post', path: '/organizations/:orgId/admins', tag: 'organizations', access: 'user', status: 201,
    summary: 'Give an organisation an administrator (operator); a generated password is returned once',
    params: orgParams,
    body: {
      type: 'object', additionalProperties: false, required: ['username', 'displayName'],
      properties: { username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }, displayName: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 12, maxLength: 200 } },
    },
    responses: { 201: { description: 'The administrator', schema: anyObject }, 404: { description: 'No such organisation' }, 409: { description: 'Username taken' } },
    handler: async ({ user, params, body, res }) => asProblem(res, addAdministrator(alur, user, params.orgId, body)),
  });
}
