/**
 * `cameras.checkAll` and `cameras.snapshot`: probe the organisation's cameras (ffprobe), take a
 * JPEG of each (ffmpeg), and keep every result as evidence with the snapshot's sha256 and the
 * probe time. checkAll's result names the output fields it vouches for (`output`): the operator
 * confirms them and may annotate, but cannot report a dead camera as good.
 */
import { randomUUID } from 'node:crypto';
import { probeStream, takeSnapshot, type StreamInfo } from '../adapters/cameras/camera-probe.js';
import type { FfmpegBinaries } from '../adapters/cameras/ffmpeg-binaries.js';
import { insertCameraEvidence } from '../adapters/store/camera-evidence-table.js';
import { getCaseRow } from '../adapters/store/cases-table.js';
import { coerceError } from '../engine/index.js';
import { mapBounded, type AdapterFunction, type AdapterInput } from './adapter-registry.js';
import type { Alur } from './alur.js';
import { connectableCamera, connectableCameras, type ConnectableCamera } from './cameras.js';

export interface CameraToolkit {
  bin: FfmpegBinaries;
  /** Per camera, for the probe and again for the snapshot. */
  timeoutMs: number;
  concurrency: number;
}

export interface CameraCheck {
  camera: string;
  cameraId: string;
  ok: boolean;
  error?: string;
  codec?: string;
  width?: number;
  height?: number;
  fps?: number | null;
  evidence: string;
  snapshotSha256?: string;
  probedAt: string;
}

export class AdapterInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterInputError';
  }
}

async function caseOf(alur: Alur, caseId: string) {
  const row = await getCaseRow(alur.db.knex, caseId);
  if (!row?.organizationId) throw new AdapterInputError('this case belongs to no organisation, and cameras are registered per organisation');
  return { ...row, organizationId: row.organizationId };
}

/** Probe one camera and take its snapshot; whatever happens, one piece of evidence is stored. */
async function checkCamera(alur: Alur, kit: CameraToolkit, camera: ConnectableCamera, input: AdapterInput, kind: 'check' | 'snapshot'): Promise<CameraCheck> {
  const probedAt = alur.clock.now();
  const evidence = randomUUID();
  let info: StreamInfo | undefined;
  let snapshot: { jpeg: Buffer; sha256: string } | undefined;
  let error: string | undefined;
  try {
    info = await probeStream(kit.bin, camera.connectUrl, kit.timeoutMs);
    snapshot = await takeSnapshot(kit.bin, camera.connectUrl, kit.timeoutMs);
  } catch (caught) {
    error = `kamera ${camera.name} ${coerceError(caught).message}`;
  }
  const ok = error === undefined;
  await insertCameraEvidence(alur.db.knex, {
    id: evidence, organizationId: camera.organizationId, cameraId: camera.id, caseId: input.caseId, step: input.step, kind, probedAt, ok,
    error: error ?? null, probe: info ? { codec: info.codec, width: info.width, height: info.height, ...(info.fps !== null ? { fps: info.fps } : {}) } : null,
    snapshot: snapshot?.jpeg ?? null, snapshotSha256: snapshot?.sha256 ?? null,
  });
  return {
    camera: camera.name, cameraId: camera.id, ok, ...(error ? { error } : {}), ...(info ? { codec: info.codec, width: info.width, height: info.height, fps: info.fps } : {}),
    evidence, ...(snapshot ? { snapshotSha256: snapshot.sha256 } : {}), probedAt: probedAt.toISOString(),
  };
}

function publishProgress(alur: Alur, row: Awaited<ReturnType<typeof caseOf>>, input: AdapterInput, adapter: string, done: number, total: number): void {
  alur.changes.publish({
    kind: 'adapter.progress', caseId: row.id, organizationId: row.organizationId, sopId: row.sopId,
    sopRoles: alur.versions.peek(row.sopVersionId)?.definition.roles.map((r) => r.id) ?? [], seq: row.seq, eventType: 'adapter.progress',
    status: row.status, activeSteps: row.activeSteps, step: input.step, at: alur.clock.now().toISOString(),
    progress: { adapter, done, total, message: `${done}/${total} kamera diperiksa` },
  });
}

/** The cameras an input names (`camera` or `cameras`, by name or id), or all of the organisation's. */
async function camerasFor(alur: Alur, organizationId: string, params: Record<string, unknown>): Promise<ConnectableCamera[]> {
  const named = [params.camera, ...(Array.isArray(params.cameras) ? params.cameras : [])].filter((c): c is string => typeof c === 'string' && c !== '');
  if (named.length === 0) {
    const all = await connectableCameras(alur, organizationId);
    if (all.length === 0) throw new AdapterInputError('organisasi ini belum mendaftarkan kamera; tambahkan dengan `alur camera add` atau POST /api/v1/cameras');
    return all;
  }
  return Promise.all(named.map(async (name) => {
    const camera = await connectableCamera(alur, organizationId, name);
    if (!camera) throw new AdapterInputError(`kamera "${name}" tidak terdaftar di organisasi ini`);
    return camera;
  }));
}

export function cameraAdapters(alur: Alur, kit: CameraToolkit): Record<string, AdapterFunction> {
  const checkAll: AdapterFunction = async (input) => {
    const row = await caseOf(alur, input.caseId);
    const cameras = await camerasFor(alur, row.organizationId, input.params);
    let done = 0;
    publishProgress(alur, row, input, 'cameras.checkAll', 0, cameras.length);
    const checks = await mapBounded(cameras, kit.concurrency, async (camera) => {
      const check = await checkCamera(alur, kit, camera, input, 'check');
      done += 1;
      publishProgress(alur, row, input, 'cameras.checkAll', done, cameras.length);
      return check;
    });
    const failed = checks.filter((c) => !c.ok);
    return {
      output: { semuaBaik: failed.length === 0, kameraBermasalah: failed.map((c) => c.camera) },
      checked: checks.length, ok: checks.length - failed.length, failed: failed.length, cameras: checks,
    };
  };
  const snapshot: AdapterFunction = async (input) => {
    const row = await caseOf(alur, input.caseId);
    const cameras = await camerasFor(alur, row.organizationId, input.params);
    const shots = await mapBounded(cameras, kit.concurrency, (camera) => checkCamera(alur, kit, camera, input, 'snapshot'));
    if (shots.every((s) => !s.ok)) throw new Error(shots.map((s) => s.error).join('; '));
    return { snapshots: shots };
  };
  return { 'cameras.checkAll': checkAll, 'cameras.snapshot': snapshot };
}
