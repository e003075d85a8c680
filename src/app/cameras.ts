/**
 * The camera registry of an organisation: its administrators and process owners add, import and
 * remove cameras; everybody in the organisation sees the list. A camera's password is split off
 * its stream URL when it is added and never appears in a listing, an answer or a log line.
 */
import { randomUUID } from 'node:crypto';
import { sealSecret, openSecret } from '../adapters/cameras/secret-box.js';
import { maskPassword, splitPassword, StreamUrlError, withPassword } from '../adapters/cameras/stream-url.js';
import { findCameraByName, getCamera, getCameraSecret, insertCamera, listCameras, removeCamera, type CameraRow } from '../adapters/store/cameras-table.js';
import { getOrganization } from '../adapters/store/accounts-table.js';
import { NotFoundError } from '../engine/index.js';
import { requireRole, type Viewer } from './access-policy.js';
import { SYSTEM } from './accounts.js';
import type { Alur } from './alur.js';
import { parseCsv } from './csv-parse.js';

export type { CameraRow };

/** Who manages cameras: a user of the organisation, or the command line (which holds the database). */
export type CameraActor = Pick<Viewer, 'organizationId' | 'roles' | 'username'> | typeof SYSTEM;

export const CAMERA_MANAGER_ROLES = ['admin', 'process-owner'] as const;

export class CameraError extends Error {
  constructor(readonly code: 'invalid' | 'taken', message: string, readonly fields: Array<{ field: string; message: string }>) {
    super(message);
    this.name = 'CameraError';
  }
}

/** A camera as shown: the stream URL with any password masked, and whether one is kept. */
export interface CameraView {
  id: string;
  name: string;
  location: string;
  streamUrl: string;
  hasPassword: boolean;
  createdAt: string;
  createdBy: string;
}

export interface CameraInput {
  name: string;
  location?: string;
  streamUrl: string;
}

function view(row: CameraRow, hasPassword: boolean): CameraView {
  return { id: row.id, name: row.name, location: row.location, streamUrl: hasPassword ? withPassword(row.streamUrl, '***') : maskPassword(row.streamUrl), hasPassword, createdAt: row.createdAt.toISOString(), createdBy: row.createdBy };
}

function checkManager(actor: CameraActor, organizationId: string): void {
  if (actor === SYSTEM) return;
  if (actor.organizationId !== organizationId) throw new NotFoundError('organisation', organizationId);
  requireRole(actor, ...CAMERA_MANAGER_ROLES);
}

async function checkOrganization(alur: Alur, organizationId: string): Promise<void> {
  if (!(await getOrganization(alur.db.knex, organizationId))) throw new NotFoundError('organisation', organizationId);
}

type PreparedCamera = CameraRow & { secret: string | null };

/** Check one camera's fields and split its password off; nothing is stored yet. */
function prepareCamera(alur: Alur, actor: CameraActor, organizationId: string, input: CameraInput): PreparedCamera {
  const name = input.name.trim();
  if (name === '') throw new CameraError('invalid', 'a camera needs a name, e.g. "Simpang Grand Tarakan"', [{ field: '/name', message: 'is empty' }]);
  let split: { url: string; password: string | null };
  try {
    split = splitPassword(input.streamUrl);
  } catch (error) {
    if (error instanceof StreamUrlError) throw new CameraError('invalid', error.message, [{ field: '/streamUrl', message: error.message }]);
    throw error;
  }
  return {
    id: randomUUID(), organizationId, name, location: (input.location ?? '').trim(), streamUrl: split.url, createdAt: alur.clock.now(),
    createdBy: actor === SYSTEM ? 'system' : actor.username, secret: split.password === null ? null : sealSecret(split.password, alur.cameraKey),
  };
}

function nameTaken(name: string): CameraError {
  return new CameraError('taken', `the organisation already has a camera called "${name}"; choose another name or remove that one first`, [{ field: '/name', message: 'is taken' }]);
}

export async function addCamera(alur: Alur, actor: CameraActor, organizationId: string, input: CameraInput): Promise<CameraView> {
  checkManager(actor, organizationId);
  await checkOrganization(alur, organizationId);
  const camera = prepareCamera(alur, actor, organizationId, input);
  if (!(await insertCamera(alur.db.knex, camera))) throw nameTaken(camera.name);
  return view(camera, camera.secret !== null);
}

export async function camerasOf(alur: Alur, viewer: CameraActor, organizationId: string): Promise<CameraView[]> {
  if (viewer !== SYSTEM && viewer.organizationId !== organizationId) throw new NotFoundError('organisation', organizationId);
  const rows = await listCameras(alur.db.knex, organizationId);
  return Promise.all(rows.map(async (row) => view(row, (await getCameraSecret(alur.db.knex, row.id)) !== null)));
}

export async function deleteCamera(alur: Alur, actor: CameraActor, organizationId: string, idOrName: string): Promise<void> {
  checkManager(actor, organizationId);
  const camera = (await getCamera(alur.db.knex, organizationId, idOrName)) ?? (await findCameraByName(alur.db.knex, organizationId, idOrName));
  if (!camera || !(await removeCamera(alur.db.knex, organizationId, camera.id, alur.clock.now()))) throw new NotFoundError('camera', idOrName);
}

/** Add every camera of a CSV with a header row `name,location,streamUrl`: all of them, or none and the line at fault named. */
export async function importCameras(alur: Alur, actor: CameraActor, organizationId: string, csv: string): Promise<CameraView[]> {
  checkManager(actor, organizationId);
  await checkOrganization(alur, organizationId);
  const rows = parseCsv(csv);
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const column = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const [nameAt, locationAt, urlAt] = [column('name'), column('location'), column('streamUrl')];
  if (nameAt < 0 || urlAt < 0) {
    throw new CameraError('invalid', `the CSV needs a header row with the columns name, location and streamUrl (got: ${header.join(', ') || 'nothing'})`, [{ field: '/csv', message: 'no header row' }]);
  }
  const existing = new Set((await listCameras(alur.db.knex, organizationId)).map((c) => c.name.toLowerCase()));
  const prepared: PreparedCamera[] = [];
  for (const [index, row] of rows.entries()) {
    if (!row.some((cell) => cell.trim() !== '')) continue;
    const line = index + 2;
    try {
      const camera = prepareCamera(alur, actor, organizationId, { name: row[nameAt] ?? '', location: locationAt < 0 ? '' : (row[locationAt] ?? ''), streamUrl: row[urlAt] ?? '' });
      if (existing.has(camera.name.toLowerCase())) throw nameTaken(camera.name);
      existing.add(camera.name.toLowerCase());
      prepared.push(camera);
    } catch (error) {
      if (!(error instanceof CameraError)) throw error;
      throw new CameraError(error.code, `line ${line}: ${error.message}; no camera was added`, error.fields.map((f) => ({ field: `/csv/${line}${f.field}`, message: f.message })));
    }
  }
  await alur.db.knex.transaction(async (trx) => {
    for (const camera of prepared) if (!(await insertCamera(trx, camera))) throw nameTaken(camera.name);
  });
  return prepared.map((c) => view(c, c.secret !== null));
}

/** A camera with the URL to connect to (password put back), for adapters; never for an answer. */
export interface ConnectableCamera extends CameraRow {
  connectUrl: string;
}

export async function connectableCameras(alur: Alur, organizationId: string): Promise<ConnectableCamera[]> {
  const rows = await listCameras(alur.db.knex, organizationId);
  return Promise.all(rows.map((row) => connectable(alur, row)));
}

export async function connectableCamera(alur: Alur, organizationId: string, idOrName: string): Promise<ConnectableCamera | undefined> {
  const row = (await getCamera(alur.db.knex, organizationId, idOrName)) ?? (await findCameraByName(alur.db.knex, organizationId, idOrName));
  return row ? connectable(alur, row) : undefined;
}

async function connectable(alur: Alur, row: CameraRow): Promise<ConnectableCamera> {
  const secret = await getCameraSecret(alur.db.knex, row.id);
  return { ...row, connectUrl: withPassword(row.streamUrl, secret === null ? null : openSecret(secret, alur.cameraKey)) };
}
