/**
 * Recordings: their list (metadata) for the organisation's cameras, playback through the signed
 * URLs an approved procedure issued, and a refusal for anything that would alter or delete one.
 */
import type { Alur } from '../../app/alur.js';
import { cameraRecordings, openPlayback, type RecordingsAccess } from '../../app/playback.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject } from '../schemas.js';

const recordingParams = { type: 'object', properties: { recordingId: { type: 'string', minLength: 1, maxLength: 500 } }, required: ['recordingId'] };

export function registerRecordingRoutes(routes: RouteRegistry, alur: Alur, access: RecordingsAccess): void {
  routes.add<Record<string, string>, { camera: string; from?: string; to?: string }>({
    method: 'get', path: '/recordings', tag: 'cameras', access: 'user', summary: 'Recordings of one of your cameras in a period (metadata; playing one needs an approved playback procedure)',
    query: {
      type: 'object', additionalProperties: false, required: ['camera'],
      properties: { camera: { type: 'string', minLength: 1, maxLength: 200, description: 'Camera name or id' }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } },
    },
    responses: { 200: { description: 'Recordings, oldest first', schema: anyObject }, 404: { description: 'No such camera' } },
    handler: async ({ user, query }) => ({
      recordings: await cameraRecordings(alur, user, access, query.camera, { ...(query.from ? { from: new Date(query.from) } : {}), ...(query.to ? { to: new Date(query.to) } : {}) }),
    }),
  });

  routes.add<{ token: string }>({
    method: 'get', path: '/playback/:token', tag: 'cameras', access: 'user',
    summary: 'Play a recording through a URL an approved playback procedure issued; the view is written to the case log first',
    params: { type: 'object', properties: { token: { type: 'string', minLength: 10, maxLength: 4000 } }, required: ['token'] },
    responses: { 200: { description: 'The recording (FLV)', contentType: 'video/x-flv' }, 403: { description: 'Not issued by Alur, expired, or its step is over' } },
    handler: async ({ user, params, res }) => {
      const { path } = await openPlayback(alur, user, access, params.token);
      res.type('video/x-flv').setHeader('Cache-Control', 'no-store');
      await new Promise<void>((resolve, reject) => res.sendFile(path, (error) => (error ? reject(error) : resolve())));
      return undefined;
    },
  });

  // recordings.immutable: there is no way to change or remove a recording; say so, and log the attempt.
  for (const method of ['put', 'delete'] as const) {
    routes.add<{ recordingId: string }>({
      method, path: '/recordings/:recordingId', tag: 'cameras', access: 'user', summary: `Refused: recordings cannot be ${method === 'put' ? 'altered' : 'deleted'} (recordings.immutable)`,
      params: recordingParams,
      responses: { 403: { description: 'Always' } },
      handler: async ({ user, params, req }) => {
        req.log.warn({ user: user.username, recording: params.recordingId, method }, 'refused an attempt to change a recording (recordings.immutable)');
        throw new HttpProblem(403, 'recordings-immutable', 'recordings and evidence cannot be altered or deleted through Alur (recordings.immutable); this attempt was logged');
      },
    });
  }
}
