/** The OpenAPI 3.1 description, generated from the route declarations that also validate requests. */
import type { JsonSchema, RouteSpec } from './route-registry.js';
import { problemSchema } from './schemas.js';

export function buildOpenApi(routes: readonly RouteSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...parametersOf(route.headers, 'header'),
    ];
    const responses = Object.fromEntries(Object.entries(route.responses).map(([status, r]) => [status, {
      description: r.description,
      ...(r.schema || r.contentType ? { content: { [r.contentType?.split(',')[0]!.trim() ?? 'application/json']: { schema: r.schema ?? {} } } } : {}),
    }]));
    for (const status of route.access === 'public' ? ['400'] : ['400', '401']) {
      responses[status] ??= { description: status === '400' ? 'The request is invalid; errors name each field' : 'Not logged in', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: 'Alur API', version, description: 'Government SOPs (Permenpan RB 35/2012) run as durable cases. Errors are application/problem+json and name the field at fault.' },
    servers: [{ url: '/api/v1' }],
    security: [{ session: [] }, { token: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'alur_session', description: 'From POST /auth/login; state-changing requests also need the X-CSRF-Token header.' },
        token: { type: 'http', scheme: 'bearer', description: 'From POST /auth/tokens.' },
      },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}

function parametersOf(schema: JsonSchema | undefined, where: 'path' | 'query' | 'header'): unknown[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  return Object.entries(properties).map(([name, property]) => ({
    name, in: where, required: where === 'path' || required.includes(name),
    ...(property.description ? { description: property.description } : {}), schema: property,
  }));
}
