/**
 * `media.startRelay` and `media.stopRelay`. A relay's status is read from the media server's own
 * stream list: the adapter reports "berjalan" only once the stream is live there, and fails with
 * the reason otherwise (the operator may retry, or complete the step saying "gagal"). A case's
 * relays stop when the case ends.
 */
import { parseStreamUrl, StreamUrlError } from '../adapters/cameras/stream-url.js';
import type { MediaServer } from '../adapters/media/media-server.js';
import type { RelaySupervisor } from '../adapters/media/relay-supervisor.js';
import { getCaseRow } from '../adapters/store/cases-table.js';
import { finishedAdapterRunsInActiveCases } from '../adapters/store/jobs-table.js';
import { CaseClosedError, own, SYSTEM_ACTOR, type CaseContext } from '../engine/index.js';
import type { AdapterFunction } from './adapter-registry.js';
import type { Alur } from './alur.js';
import { AdapterInputError } from './camera-adapters.js';
import { connectableCamera } from './cameras.js';

export interface MediaToolkit {
  server: MediaServer;
  relays: RelaySupervisor;
  /** How long a new relay may take to appear live in the media server. */
  liveTimeoutMs: number;
  /** A relay reported "berjalan" that is not live for this long is reported failed to its case (default: liveTimeoutMs). */
  downGraceMs?: number;
  /** A failure to record a dropped relay (the case's log refused it). */
  onError?: (error: unknown) => void;
}

/**
 * After "berjalan": watch the media server's list. A relay that stays off it longer than the grace
 * (a source restart usually comes back sooner) is reported to its case as failed, so the step can no
 * longer be completed "berjalan" until the operator retries it. Ends when the relay is stopped.
 */
function watchRelay(alur: Alur, kit: MediaToolkit, watchers: Map<string, NodeJS.Timeout>, key: string, caseId: string, step: string): void {
  clearInterval(watchers.get(key));
  const graceMs = kit.downGraceMs ?? kit.liveTimeoutMs;
  let downSince: number | undefined;
  let reported = false;
  const timer = setInterval(() => {
    const relay = kit.relays.status(key);
    if (!relay || relay.owner !== caseId) {
      clearInterval(timer);
      if (watchers.get(key) === timer) watchers.delete(key);
      return;
    }
    if (kit.server.isLive(RELAY_APP, key)) {
      downSince = undefined;
      return;
    }
    downSince ??= performance.now();
    if (reported || performance.now() - downSince < graceMs) return;
    reported = true;
    const error = `relay ${key} terputus: tidak live di media server selama ${Math.round(graceMs / 1000)} detik${relay.lastError ? ` (${relay.lastError})` : ''}; coba lagi setelah sumbernya kembali`;
    alur.cases.execute({ caseId, command: { type: 'adapter-failed', step, error }, actor: SYSTEM_ACTOR, idempotencyKey: `relay-down:${caseId}:${key}:${relay.starts}` })
      .catch((caught: unknown) => {
        if (!(caught instanceof CaseClosedError)) kit.onError?.(caught);
      });
  }, 500);
  timer.unref();
  watchers.set(key, timer);
}

/** The app under which relays are published: rtmp://host/live/<streamKey>. */
export const RELAY_APP = 'live';

/** A stream key from a camera's name: lowercase letters, digits and hyphens (as the SOP's output schema wants). */
export function streamKeyOf(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

async function sourceUrl(alur: Alur, caseId: string, source: string): Promise<string> {
  // A registered camera's name or id reaches it with its stored credentials; anything else must be a stream URL.
  const row = await getCaseRow(alur.db.knex, caseId);
  const camera = row?.organizationId ? await connectableCamera(alur, row.organizationId, source) : undefined;
  if (camera) return camera.connectUrl;
  try {
    return parseStreamUrl(source).toString();
  } catch (error) {
    if (error instanceof StreamUrlError) throw new AdapterInputError(`sumber relay: ${error.message}`);
    throw error;
  }
}

async function waitLive(server: MediaServer, key: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!server.isLive(RELAY_APP, key)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

/** One set of relay watchers per toolkit, shared by the adapters and the restore at start-up. */
const WATCHERS = new WeakMap<MediaToolkit, Map<string, NodeJS.Timeout>>();
function watchersOf(kit: MediaToolkit): Map<string, NodeJS.Timeout> {
  let watchers = WATCHERS.get(kit);
  if (!watchers) WATCHERS.set(kit, (watchers = new Map()));
  return watchers;
}

/**
 * At start-up: every relay a case still running had reported "berjalan" is started again — its
 * ffmpeg died with the process that ran it (relays are tethered to their process). Each is then
 * watched like a new one, so a source that does not come back is reported to its case as failed
 * and "berjalan" needs a retry. Returns the stream keys started.
 */
export async function restoreRelays(alur: Alur, kit: MediaToolkit): Promise<string[]> {
  const latest = new Map<string, { caseId: string; step: string; run: number; params: Record<string, unknown> }>();
  for (const job of await finishedAdapterRunsInActiveCases(alur.db.knex, 'media.startRelay')) {
    const { step, run, params } = job.payload as { step: string; run?: number; params?: Record<string, unknown> };
    latest.set(`${job.caseId}/${step}`, { caseId: job.caseId, step, run: run ?? 1, params: params ?? {} });
  }
  const restored: string[] = [];
  for (const { caseId, step, run, params } of latest.values()) {
    const context = ((await getCaseRow(alur.db.knex, caseId))?.snapshot as { context?: CaseContext } | undefined)?.context;
    const outcome = context ? own(context.adapterResults, step) : undefined;
    // Only the step's current run, and only when it reported the relay live.
    if (!context || own(context.adapterRuns, step) !== run || outcome?.status !== 'done') continue;
    const output = (outcome.result as { output?: { streamKey?: unknown; status?: unknown } } | null)?.output;
    if (output?.status !== 'berjalan' || typeof output.streamKey !== 'string' || typeof params.source !== 'string') continue;
    try {
      await kit.relays.start(output.streamKey, caseId, await sourceUrl(alur, caseId, params.source), kit.server.publishUrl(RELAY_APP, output.streamKey));
      watchRelay(alur, kit, watchersOf(kit), output.streamKey, caseId, step);
      restored.push(output.streamKey);
    } catch (error) {
      kit.onError?.(error);
    }
  }
  return restored;
}

export function mediaAdapters(alur: Alur, kit: MediaToolkit): Record<string, AdapterFunction> {
  const watchers = watchersOf(kit);
  const startRelay: AdapterFunction = async ({ caseId, step, params }) => {
    const source = typeof params.source === 'string' ? params.source.trim() : '';
    if (source === '') throw new AdapterInputError('media.startRelay needs input "source": the camera\'s stream URL or its name in the camera registry');
    const name = typeof params.streamKey === 'string' ? params.streamKey : typeof params.name === 'string' ? params.name : '';
    const key = streamKeyOf(name) || `relay-${caseId.slice(0, 8)}`;
    const running = kit.relays.status(key);
    if (running && running.owner !== caseId) throw new AdapterInputError(`stream "${key}" sudah dipakai relay kasus ${running.owner}; hentikan dulu atau pakai nama lain`);
    await kit.relays.start(key, caseId, await sourceUrl(alur, caseId, source), kit.server.publishUrl(RELAY_APP, key));
    const playUrl = kit.server.playUrl(RELAY_APP, key);
    if (!(await waitLive(kit.server, key, kit.liveTimeoutMs))) {
      const why = kit.relays.status(key)?.lastError;
      await kit.relays.stop(key);
      throw new Error(`relay ${key} tidak live di media server dalam ${Math.round(kit.liveTimeoutMs / 1000)} detik${why ? `: ${why}` : ''}`);
    }
    watchRelay(alur, kit, watchers, key, caseId, step);
    const stream = kit.server.liveStreams().find((s) => s.app === RELAY_APP && s.name === key);
    return { output: { streamKey: key, playUrl, status: 'berjalan' }, liveSince: stream?.since?.toISOString() ?? null, starts: kit.relays.status(key)?.starts ?? 1 };
  };

  const stopRelay: AdapterFunction = async ({ caseId, params }) => {
    const named = typeof params.streamKey === 'string' ? params.streamKey : typeof params.name === 'string' ? streamKeyOf(params.name) : undefined;
    if (named === undefined) return { stopped: await kit.relays.stopOwnedBy(caseId) };
    const running = kit.relays.status(named);
    if (!running || running.owner !== caseId) return { stopped: [] };
    await kit.relays.stop(named);
    return { stopped: [named] };
  };

  return { 'media.startRelay': startRelay, 'media.stopRelay': stopRelay };
}

/** Stop a case's relays when it ends (completed or cancelled), in this process. Returns the unsubscribe. */
export function stopRelaysWhenCasesEnd(alur: Alur, relays: RelaySupervisor, onError: (error: unknown) => void): () => void {
  return alur.changes.subscribe((change) => {
    if (change.kind === 'case.updated' && change.status !== 'active') relays.stopOwnedBy(change.caseId).catch(onError);
  });
}
