/**
 * Recordings and their playback. `recordings.playback` runs only inside the SOP's playback
 * procedure, after management's approval: the machine enters its step no other way. It finds the
 * requested camera's recordings for the requested period and issues one short-lived signed URL
 * per recording. Opening a URL works only while that step is open, only for the case's pelaksana,
 * and every view is first written to the case's hash-chained log (who, when, which recording,
 * which approval); if the log refuses, nothing is served. Nothing alters or deletes a recording.
 */
import { randomUUID } from 'node:crypto';
import { findRecording, listRecordings, type Recording } from '../adapters/media/recordings-dir.js';
import { getCaseRow } from '../adapters/store/cases-table.js';
import { NotFoundError } from '../engine/index.js';
import { ForbiddenError, type Viewer } from './access-policy.js';
import type { AdapterFunction } from './adapter-registry.js';
import type { Alur } from './alur.js';
import type { MediaConfig } from '../config.js';
import { AdapterInputError } from './camera-adapters.js';
import { connectableCamera } from './cameras.js';
import { commandAsViewer } from './case-queries.js';
import { streamKeyOf } from './media-adapters.js';
import { PlaybackSigner } from './playback-grants.js';

export interface RecordingsAccess {
  dir: string;
  signer: PlaybackSigner;
  /** How long a playback URL opens. */
  ttlMs: number;
}

let processSigner: PlaybackSigner | undefined;

/** What the configuration says about recordings: where they are, how URLs are signed, how long they open. */
export function recordingsAccessFrom(media: Pick<MediaConfig, 'recordingsDir' | 'cameraKey' | 'playbackTtlMs'>): RecordingsAccess {
  return { dir: media.recordingsDir, signer: playbackSigner(media.cameraKey), ttlMs: media.playbackTtlMs };
}

/** The signer for `secret`, or this process's own random one (its URLs then open only here). */
export function playbackSigner(secret: string | undefined): PlaybackSigner {
  if (secret) return new PlaybackSigner(secret);
  processSigner ??= new PlaybackSigner();
  return processSigner;
}

export interface RecordingView {
  id: string;
  stream: string;
  startedAt: string;
  endedAt: string;
  bytes: number;
}

function view(r: Recording): RecordingView {
  return { id: r.id, stream: `${r.app}/${r.stream}`, startedAt: r.startedAt.toISOString(), endedAt: r.endedAt.toISOString(), bytes: r.bytes };
}

/** A registered camera's recordings in a period (metadata only; the content opens only through playback). */
export async function cameraRecordings(alur: Alur, viewer: Pick<Viewer, 'organizationId'>, access: RecordingsAccess, camera: string, range: { from?: Date; to?: Date }): Promise<RecordingView[]> {
  const found = await connectableCamera(alur, viewer.organizationId, camera);
  if (!found) throw new NotFoundError('camera', camera);
  return (await listRecordings(access.dir, streamKeyOf(found.name), range)).map(view);
}

type Outputs = Record<string, Record<string, unknown> | undefined>;

/** The request (camera and period) and the approval number, from the adapter's input or the case's outputs so far. */
function playbackRequest(params: Record<string, unknown>, outputs: Outputs): { camera: string; from: Date; to: Date; approval: string } {
  const values = Object.values(outputs).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object');
  const request = values.find((o) => typeof o.kamera === 'string' && typeof o.dari === 'string' && typeof o.sampai === 'string') ?? {};
  const approval = values.find((o) => typeof o.nomorSurat === 'string' && o !== request)?.nomorSurat;
  const pick = (key: string, fallback: unknown) => (typeof params[key] === 'string' ? params[key] : fallback) as string | undefined;
  const camera = pick('camera', request.kamera);
  const from = pick('from', request.dari);
  const to = pick('to', request.sampai);
  const approved = pick('approval', approval);
  if (!approved) throw new AdapterInputError('pemutaran rekaman hanya dengan izin manajemen: kasus ini tidak memuat nomor surat perintah/disposisi');
  if (!camera || !from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    throw new AdapterInputError('permintaan pemutaran harus menyebut kamera, dari dan sampai (tanggal-waktu)');
  }
  return { camera, from: new Date(from), to: new Date(to), approval: approved };
}

export function playbackAdapters(alur: Alur, access: RecordingsAccess): Record<string, AdapterFunction> {
  const playback: AdapterFunction = async ({ caseId, step, params }) => {
    const row = await getCaseRow(alur.db.knex, caseId);
    if (!row?.organizationId) throw new AdapterInputError('this case belongs to no organisation, and cameras are registered per organisation');
    const outputs = ((row.snapshot as { context?: { outputs?: Outputs } } | null)?.context?.outputs ?? {});
    const request = playbackRequest(params, outputs);
    const camera = await connectableCamera(alur, row.organizationId, request.camera);
    if (!camera) throw new AdapterInputError(`kamera "${request.camera}" tidak terdaftar di organisasi ini`);
    const recordings = await listRecordings(access.dir, streamKeyOf(camera.name), { from: request.from, to: request.to });
    if (recordings.length === 0) throw new AdapterInputError(`tidak ada rekaman kamera ${camera.name} antara ${request.from.toISOString()} dan ${request.to.toISOString()}`);
    const expiresAt = alur.clock.now().getTime() + access.ttlMs;
    return {
      camera: camera.name, from: request.from.toISOString(), to: request.to.toISOString(), approval: request.approval, expiresAt: new Date(expiresAt).toISOString(),
      recordings: recordings.map((r) => ({
        ...view(r),
        url: `/api/v1/playback/${access.signer.sign({ caseId, step, organizationId: row.organizationId!, recordingId: r.id, approval: request.approval, expiresAt })}`,
      })),
    };
  };
  return { 'recordings.playback': playback };
}

export class PlaybackRefusedError extends ForbiddenError {
  constructor(message: string) {
    super(message);
    this.name = 'PlaybackRefusedError';
  }
}

/** Open a playback URL for `viewer`: checked, then logged in the case, then the file to serve. */
export async function openPlayback(alur: Alur, viewer: Viewer, access: RecordingsAccess, token: string): Promise<{ path: string; recording: RecordingView }> {
  const grant = access.signer.verify(token);
  if (!grant) throw new PlaybackRefusedError('this playback URL is not one Alur issued (recordings.restrictedDisclosure): recordings open only through an approved playback procedure');
  if (grant.organizationId !== viewer.organizationId) throw new NotFoundError('recording', grant.recordingId);
  if (alur.clock.now().getTime() > grant.expiresAt) throw new PlaybackRefusedError('this playback URL has expired; retry the playback step to get a new one');
  const row = await getCaseRow(alur.db.knex, grant.caseId);
  if (!row || row.status !== 'active' || !row.activeSteps.includes(grant.step)) {
    throw new PlaybackRefusedError(`playback is allowed only while step "${grant.step}" of its approved procedure is open`);
  }
  const recording = await findRecording(access.dir, grant.recordingId);
  if (!recording) throw new NotFoundError('recording', grant.recordingId);
  // Logged before anything is served: a view the log refused never happens.
  await commandAsViewer(alur, viewer, {
    caseId: grant.caseId, idempotencyKey: `playback:${randomUUID()}`,
    command: {
      type: 'add-note', step: grant.step,
      text: `Rekaman ${recording.app}/${recording.stream} ${recording.startedAt.toISOString()}–${recording.endedAt.toISOString()} (id ${recording.id}) diputar oleh ${viewer.username} dengan izin ${grant.approval}`,
    },
  });
  return { path: recording.path, recording: view(recording) };
}
