/**
 * Cameras of an organisation. The stream URL is stored without its password; the password is a
 * separate column (`secret`) that only the probing and relaying code reads, never a listing.
 */
import type { Knex } from 'knex';

export interface CameraRow {
  id: string;
  organizationId: string;
  name: string;
  location: string;
  /** Without credentials' password (a username may remain). */
  streamUrl: string;
  createdAt: Date;
  createdBy: string;
}

const COLUMNS = { id: 'id', organizationId: 'organization_id', name: 'name', location: 'location', streamUrl: 'stream_url', createdAt: 'created_at', createdBy: 'created_by' };

function toRow(row: CameraRow): CameraRow {
  return { ...row, createdAt: new Date(row.createdAt) };
}

/** A new camera; false when the organisation already has a camera of that name. */
export async function insertCamera(db: Knex, camera: CameraRow & { secret: string | null }): Promise<boolean> {
  const inserted = await db('cameras')
    .insert({ id: camera.id, organization_id: camera.organizationId, name: camera.name, location: camera.location, stream_url: camera.streamUrl, secret: camera.secret, created_at: camera.createdAt, created_by: camera.createdBy })
    .onConflict(db.raw('(organization_id, lower(name)) where removed_at is null')).ignore().returning('id');
  return inserted.length === 1;
}

export async function listCameras(db: Knex, organizationId: string): Promise<CameraRow[]> {
  return (await db('cameras').select(COLUMNS).where({ organization_id: organizationId }).whereNull('removed_at').orderBy('name')).map(toRow);
}

export async function getCamera(db: Knex, organizationId: string, id: string): Promise<CameraRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db('cameras').select(COLUMNS).where({ organization_id: organizationId, id }).whereNull('removed_at').first();
  return row ? toRow(row) : undefined;
}

export async function findCameraByName(db: Knex, organizationId: string, name: string): Promise<CameraRow | undefined> {
  const row = await db('cameras').select(COLUMNS).where({ organization_id: organizationId }).whereRaw('lower(name) = lower(?)', [name]).whereNull('removed_at').first();
  return row ? toRow(row) : undefined;
}

/** The stored secret of a camera, for the code that connects to it. */
export async function getCameraSecret(db: Knex, id: string): Promise<string | null> {
  const row = await db('cameras').select('secret').where({ id }).first();
  return (row?.secret as string | null | undefined) ?? null;
}

/** Mark a camera removed (its evidence keeps referring to it); false when there is none. */
export async function removeCamera(db: Knex, organizationId: string, id: string, at: Date): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  return (await db('cameras').where({ organization_id: organizationId, id }).whereNull('removed_at').update({ removed_at: at })) === 1;
}
