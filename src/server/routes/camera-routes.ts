/** Cameras of the caller's organisation, and the evidence their checks left (read-only). */
import type { Alur } from '../../app/alur.js';
import { addCamera, camerasOf, deleteCamera, importCameras } from '../../app/cameras.js';
import { evidenceItem, evidenceList, evidenceSnapshot } from '../../app/camera-evidence.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, uuid } from '../schemas.js';

const cameraBody = {
  type: 'object', additionalProperties: false, required: ['name', 'streamUrl'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'As the office calls it, e.g. "Simpang Grand Tarakan".' },
    location: { type: 'string', maxLength: 500, description: 'Area or address.' },
    streamUrl: { type: 'string', minLength: 1, maxLength: 2000, description: 'rtsp://, rtmp:// or http(s):// (HTTP-FLV). A password in it is stored apart and never shown again.' },
  },
};

export function registerCameraRoutes(routes: RouteRegistry, alur: Alur): void {
  routes.add({
    method: 'get', path: '/cameras', tag: 'cameras', access: 'user', summary: 'Cameras of your organisation (stream URLs with passwords masked)',
    responses: { 200: { description: 'Cameras', schema: anyObject } },
    handler: async ({ user }) => ({ cameras: await camerasOf(alur, user, user.organizationId) }),
  });

  routes.add<Record<string, string>, Record<string, unknown>, { name: string; location?: string; streamUrl: string }>({
    method: 'post', path: '/cameras', tag: 'cameras', access: 'user', status: 201, summary: 'Register a camera (admin or process owner)',
    body: cameraBody,
    responses: { 201: { description: 'The camera', schema: anyObject }, 403: { description: 'Not an admin or process owner' }, 409: { description: 'A camera of that name exists' }, 422: { description: 'The stream URL is not one Alur reads' } },
    handler: async ({ user, body }) => ({ camera: await addCamera(alur, user, user.organizationId, body) }),
  });

  routes.add<Record<string, string>, Record<string, unknown>, { csv: string }>({
    method: 'post', path: '/cameras/import', tag: 'cameras', access: 'user', status: 201, summary: 'Register cameras from a CSV with the header name,location,streamUrl (admin or process owner)',
    body: { type: 'object', additionalProperties: false, required: ['csv'], properties: { csv: { type: 'string', minLength: 1, maxLength: 1_000_000 } } },
    responses: { 201: { description: 'The cameras added', schema: anyObject }, 409: { description: 'A name is taken (the line is named)' }, 422: { description: 'A line is invalid (named)' } },
    handler: async ({ user, body }) => ({ cameras: await importCameras(alur, user, user.organizationId, body.csv) }),
  });

  routes.add<{ cameraId: string }>({
    method: 'delete', path: '/cameras/:cameraId', tag: 'cameras', access: 'user', summary: 'Remove a camera from the registry (its evidence stays)',
    params: { type: 'object', properties: { cameraId: uuid }, required: ['cameraId'] },
    responses: { 200: { description: 'Removed', schema: anyObject }, 404: { description: 'No such camera' } },
    handler: async ({ user, params }) => {
      await deleteCamera(alur, user, user.organizationId, params.cameraId);
      return { removed: params.cameraId };
    },
  });

  routes.add<Record<string, string>, { camera?: string; case?: string; limit?: number }>({
    method: 'get', path: '/evidence', tag: 'cameras', access: 'user', summary: 'Camera checks and snapshots of your organisation, newest first',
    query: { type: 'object', additionalProperties: false, properties: { camera: uuid, case: uuid, limit: { type: 'integer', minimum: 1, maximum: 500 } } },
    responses: { 200: { description: 'Evidence (without the images)', schema: anyObject } },
    handler: async ({ user, query }) => ({
      evidence: await evidenceList(alur, user, { ...(query.camera ? { cameraId: query.camera } : {}), ...(query.case ? { caseId: query.case } : {}), ...(query.limit ? { limit: query.limit } : {}) }),
    }),
  });

  routes.add<{ evidenceId: string }>({
    method: 'get', path: '/evidence/:evidenceId', tag: 'cameras', access: 'user', summary: 'One piece of evidence',
    params: { type: 'object', properties: { evidenceId: uuid }, required: ['evidenceId'] },
    responses: { 200: { description: 'The evidence', schema: anyObject }, 404: { description: 'No such evidence' } },
    handler: async ({ user, params }) => ({ evidence: await evidenceItem(alur, user, params.evidenceId) }),
  });

  routes.add<{ evidenceId: string }>({
    method: 'get', path: '/evidence/:evidenceId/snapshot.jpg', tag: 'cameras', access: 'user', summary: 'The snapshot JPEG; its sha256 is in the X-Content-SHA256 header',
    params: { type: 'object', properties: { evidenceId: uuid }, required: ['evidenceId'] },
    responses: { 200: { description: 'JPEG', contentType: 'image/jpeg' }, 404: { description: 'No such snapshot' } },
    handler: async ({ user, params, res }) => {
      const { jpeg, sha256 } = await evidenceSnapshot(alur, user, params.evidenceId);
      res.type('image/jpeg').setHeader('X-Content-SHA256', sha256);
      res.send(jpeg);
      return undefined;
    },
  });
}
