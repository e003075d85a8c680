/**
 * Alur's configuration, read from the environment once, validated, frozen, and passed down.
 * No other module reads `process.env`.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';

export interface AlurConfig {
  /** PostgreSQL connection string; absent → embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory. */
  dataDir: string;
  /** How often the scheduler looks for due deadlines and adapter jobs. */
  schedulerIntervalMs: number;
  /** Shift boundaries for timing statistics: hour (0–23) each shift starts, local to `timeZone`. */
  shiftStartHours: number[];
  timeZone: string;
  /** HTTP port; 0 picks a free one. */
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionTtlMs: number;
  /** Directory of SOP files published at start-up. */
  sopsDir: string;
  /** Secret that signs the event chain (HMAC); keep it outside the database. */
  auditKey?: string;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client address (login throttling, logs):
   * express's `trust proxy` setting. `false` (the default) trusts none: the address is the TCP peer.
   */
  trustProxy: boolean | number | string[];
  /** Uploaded SOP files are validated in worker threads: longest one validation may run. */
  validationTimeoutMs: number;
  /** Validation worker threads (validations running at once). */
  validationWorkers: number;
  /** Validations that may wait for a worker; more are refused with 503. */
  validationQueue: number;
  /** Heap limit of one validation worker, in MB. */
  validationMemoryMb: number;
  /** Chromium to print documents with (ALUR_CHROMIUM); absent → a system one, else the bundled one. */
  chromiumPath?: string;
  /** Cameras and media (see README "Cameras and media"). */
  media: MediaConfig;
}

export interface MediaConfig {
  /** Encrypts camera passwords at rest (ALUR_CAMERA_KEY, at least 32 characters). */
  cameraKey?: string;
  /** ffmpeg / ffprobe to use (ALUR_FFMPEG, ALUR_FFPROBE); absent → PATH, else the npm-shipped builds. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** The PATH searched for a system ffmpeg. */
  searchPath: string;
  /** One camera's probe or snapshot may take this long (ALUR_CAMERA_TIMEOUT_MS, default 5000). */
  cameraTimeoutMs: number;
  /** Cameras probed at once by cameras.checkAll (ALUR_CAMERA_CONCURRENCY, default 4). */
  cameraConcurrency: number;
  /** Run node-media-server inside Alur (ALUR_MEDIA_SERVER=embedded, the default) or not at all (off). */
  server: 'embedded' | 'off';
  /** Where the embedded media server listens (ALUR_MEDIA_HOST, default 127.0.0.1). */
  host: string;
  /** ALUR_RTMP_PORT (default 1935) and ALUR_MEDIA_HTTP_PORT (HTTP-FLV, default 8000); 0 picks a free port. */
  rtmpPort: number;
  httpPort: number;
  /** A relay must be live in the media server within this time to be reported "berjalan" (ALUR_RELAY_LIVE_TIMEOUT_MS, default 20000). */
  relayLiveTimeoutMs: number;
  /** Recordings, laid out `<app>/<stream>/<startMs>.flv` (ALUR_RECORDINGS_DIR, default `<data dir>-recordings`). */
  recordingsDir: string;
  /** The embedded media server records every stream into `recordingsDir` (ALUR_MEDIA_RECORD=on; default off). */
  record: boolean;
  /** How long a playback URL opens (ALUR_PLAYBACK_TTL_MS, default 900000: 15 minutes). */
  playbackTtlMs: number;
  /** `alur serve` starts test-pattern cameras and registers them in the demo organisations (ALUR_DEMO_CAMERAS, default on). */
  demoCameras: boolean;
  /**
   * Origins the web UI may load live video from (ALUR_MEDIA_ORIGINS, comma-separated, e.g.
   * `http://10.0.0.2:8000`): added to the CSP's connect-src and media-src. Default: the embedded
   * media server's own HTTP-FLV origin when its host and port are fixed, else none.
   */
  browserOrigins: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<AlurConfig> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl}")`);
  }
  const interval = Number(env.ALUR_SCHEDULER_INTERVAL_MS ?? 1000);
  if (!Number.isInteger(interval) || interval < 10) throw new ConfigError('ALUR_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds, at least 10');
  const shifts = (env.ALUR_SHIFT_START_HOURS ?? '7,15,23').split(',').map((h) => Number(h.trim()));
  if (shifts.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) throw new ConfigError('ALUR_SHIFT_START_HOURS must list hours 0–23, e.g. "7,15,23"');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number 0–65535 (got "${env.PORT}")`);
  const logLevel = env.ALUR_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ConfigError('ALUR_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  const sessionHours = Number(env.ALUR_SESSION_HOURS ?? 12);
  if (!(sessionHours > 0)) throw new ConfigError('ALUR_SESSION_HOURS must be a positive number of hours');
  const auditKey = env.ALUR_AUDIT_KEY?.trim() || undefined;
  if (auditKey !== undefined && auditKey.length < 32) throw new ConfigError('ALUR_AUDIT_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  const trustProxy = parseTrustProxy(env.ALUR_TRUST_PROXY);
  const validation = {
    validationTimeoutMs: wholeNumber(env, 'ALUR_VALIDATION_TIMEOUT_MS', 20_000, 1, 'milliseconds'),
    validationWorkers: wholeNumber(env, 'ALUR_VALIDATION_WORKERS', 2, 1, 'worker threads'),
    validationQueue: wholeNumber(env, 'ALUR_VALIDATION_QUEUE', 16, 0, 'waiting validations'),
    validationMemoryMb: wholeNumber(env, 'ALUR_VALIDATION_MEMORY_MB', 256, 32, 'MB'),
  };
  const chromiumPath = env.ALUR_CHROMIUM?.trim() || undefined;
  const media = loadMediaConfig(env);
  return Object.freeze({
    media,
    ...(auditKey ? { auditKey } : {}),
    ...(chromiumPath ? { chromiumPath } : {}),
    ...validation,
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir: resolve(env.ALUR_DATA_DIR ?? 'data'),
    schedulerIntervalMs: interval,
    shiftStartHours: [...shifts].sort((a, b) => a - b),
    timeZone: env.ALUR_TIME_ZONE ?? 'Asia/Makassar',
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: logLevel as AlurConfig['logLevel'],
    sessionTtlMs: sessionHours * 3_600_000,
    sopsDir: resolve(env.ALUR_SOPS_DIR ?? 'sops'),
    trustProxy,
  });
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `ALUR_TRUST_PROXY`: unset, `false` or `0` trust no proxy; a whole number trusts that many hops in
 * front of Alur; `true` trusts every hop (only when nothing reaches Alur except through the proxy);
 * otherwise a comma-separated list of proxy addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`.
 */
function parseTrustProxy(value: string | undefined): AlurConfig['trustProxy'] {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^[0-9]+$/.test(text)) return Number(text);
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    if (NAMED_RANGES.has(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(`ALUR_TRUST_PROXY: "${entry}" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal (e.g. "loopback,10.0.0.0/8", a hop count such as "1", or "false")`);
    }
  }
  return entries;
}

function wholeNumber(env: Record<string, string | undefined>, name: string, fallback: number, min: number, unit: string): number {
  const raw = env[name]?.trim();
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number of ${unit}, at least ${min} (got "${raw}")`);
  return value;
}

function loadMediaConfig(env: Record<string, string | undefined>): MediaConfig {
  const cameraKey = env.ALUR_CAMERA_KEY?.trim() || undefined;
  if (cameraKey !== undefined && cameraKey.length < 32) throw new ConfigError('ALUR_CAMERA_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  const server = env.ALUR_MEDIA_SERVER?.trim() || 'embedded';
  if (server !== 'embedded' && server !== 'off') throw new ConfigError(`ALUR_MEDIA_SERVER must be "embedded" or "off" (got "${server}")`);
  const port = (name: string, fallback: number) => {
    const value = wholeNumber(env, name, fallback, 0, 'port');
    if (value > 65535) throw new ConfigError(`${name} must be a port number 0–65535 (got "${value}")`);
    return value;
  };
  const ffmpegPath = env.ALUR_FFMPEG?.trim() || undefined;
  const ffprobePath = env.ALUR_FFPROBE?.trim() || undefined;
  return Object.freeze({
    ...(cameraKey ? { cameraKey } : {}),
    ...(ffmpegPath ? { ffmpegPath } : {}),
    ...(ffprobePath ? { ffprobePath } : {}),
    searchPath: env.PATH ?? '',
    cameraTimeoutMs: wholeNumber(env, 'ALUR_CAMERA_TIMEOUT_MS', 5_000, 100, 'milliseconds'),
    cameraConcurrency: wholeNumber(env, 'ALUR_CAMERA_CONCURRENCY', 4, 1, 'cameras'),
    server,
    host: env.ALUR_MEDIA_HOST?.trim() || '127.0.0.1',
    rtmpPort: port('ALUR_RTMP_PORT', 1935),
    httpPort: port('ALUR_MEDIA_HTTP_PORT', 8000),
    relayLiveTimeoutMs: wholeNumber(env, 'ALUR_RELAY_LIVE_TIMEOUT_MS', 20_000, 100, 'milliseconds'),
    // Beside the PGlite directory, not in it: that directory is PostgreSQL's own.
    recordingsDir: resolve(env.ALUR_RECORDINGS_DIR ?? `${resolve(env.ALUR_DATA_DIR ?? 'data')}-recordings`),
    record: onOff(env, 'ALUR_MEDIA_RECORD', false),
    playbackTtlMs: wholeNumber(env, 'ALUR_PLAYBACK_TTL_MS', 900_000, 1_000, 'milliseconds'),
    demoCameras: onOff(env, 'ALUR_DEMO_CAMERAS', true),
    browserOrigins: mediaOrigins(env, server),
  });
}

function mediaOrigins(env: Record<string, string | undefined>, server: string): string[] {
  const listed = env.ALUR_MEDIA_ORIGINS?.trim();
  if (listed) {
    return listed.split(',').map((s) => s.trim()).filter(Boolean).map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new ConfigError(`ALUR_MEDIA_ORIGINS: "${origin}" is not a URL (e.g. http://10.0.0.2:8000)`);
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin.replace(/\/$/, '')) {
        throw new ConfigError(`ALUR_MEDIA_ORIGINS: "${origin}" must be an http(s) origin: scheme, host and port only (e.g. http://10.0.0.2:8000)`);
      }
      return url.origin;
    });
  }
  const host = env.ALUR_MEDIA_HOST?.trim() || '127.0.0.1';
  const port = env.ALUR_MEDIA_HTTP_PORT?.trim() || '8000';
  // A wildcard host or a port picked at start has no origin known now: the operator names it.
  if (server !== 'embedded' || port === '0' || host === '0.0.0.0' || host === '::') return [];
  return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
}

function onOff(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off (got "${env[name]}")`);
}
