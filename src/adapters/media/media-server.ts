/**
 * node-media-server v4 embedded in Alur's process: RTMP in, HTTP-FLV and WebSocket-FLV out, on
 * loopback by default. Alur asks it, not anyone's word, whether a stream is live. node-media-server
 * keeps its state in a module-level singleton, so one process runs at most one of these.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findFreePort, isPortFree } from './free-port.js';

export interface MediaServerOptions {
  host: string;
  /** 0 picks a free port. */
  rtmpPort: number;
  httpPort: number;
  /** node-media-server's own small JSON store (relay tasks, history). */
  dataDir: string;
  /** Record every published stream as FLV under this directory; absent: no recording. */
  recordDir?: string;
}

export interface LiveStream {
  app: string;
  name: string;
  /** When the current publisher connected, as the media server recorded it. */
  since: Date | null;
  video: boolean;
}

export interface MediaServer {
  readonly host: string;
  readonly rtmpPort: number;
  readonly httpPort: number;
  /** Where a publisher sends `app/name`. */
  publishUrl(app: string, name: string): string;
  /** Where a player (browser, ffprobe) reads `app/name` as HTTP-FLV. */
  playUrl(app: string, name: string): string;
  /** Streams with a publisher right now (not ones in their reconnect grace window), as the server lists them. */
  liveStreams(): LiveStream[];
  /** Publishing, with video arriving. */
  isLive(app: string, name: string): boolean;
  stop(): Promise<void>;
}

interface NmsBroadcast {
  publisher: { createTime?: number; startTime?: number } | null;
  _publishGraceTimer: unknown;
  flvVideoHeader: unknown;
}
interface NmsContext { broadcasts: Map<string, NmsBroadcast> }
interface NmsInstance { run(): Promise<void>; stop(): Promise<void> }
type NmsConstructor = new (config: Record<string, unknown>) => NmsInstance;

export class MediaServerPortError extends Error {
  constructor(host: string, port: number, variable: string) {
    super(`the media server cannot listen on ${host}:${port} (in use); set ${variable} to another port, 0 for any free one, or ALUR_MEDIA_SERVER=off`);
    this.name = 'MediaServerPortError';
  }
}

export class MediaServerBusyError extends Error {
  constructor() {
    super('a media server is already running in this process (node-media-server keeps global state); stop it first');
    this.name = 'MediaServerBusyError';
  }
}

let running: MediaServer | undefined;

export async function startMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  if (running) throw new MediaServerBusyError();
  const require = createRequire(import.meta.url);
  const NodeMediaServer = require('node-media-server') as NmsConstructor;
  const context = require('node-media-server/src/core/context.js') as NmsContext;
  const logger = require('node-media-server/src/core/logger.js') as { level: string; log: (...args: unknown[]) => void };
  const rtmpPort = options.rtmpPort || (await findFreePort(options.host));
  const httpPort = options.httpPort || (await findFreePort(options.host));
  if (!(await isPortFree(options.host, rtmpPort))) throw new MediaServerPortError(options.host, rtmpPort, 'ALUR_RTMP_PORT');
  if (!(await isPortFree(options.host, httpPort))) throw new MediaServerPortError(options.host, httpPort, 'ALUR_MEDIA_HTTP_PORT');
  mkdirSync(options.dataDir, { recursive: true });
  // Its constructor prints a banner and sets the level to "debug": quiet while it runs, then errors only.
  const log = logger.log;
  logger.log = () => {};
  let nms: NmsInstance;
  try {
    nms = new NodeMediaServer({
      bind: options.host,
      rtmp: { port: rtmpPort },
      http: { port: httpPort },
      webadmin: { enable: false },
      store: { path: join(options.dataDir, 'store') },
      ...(options.recordDir ? { record: { path: options.recordDir } } : {}),
    });
  } finally {
    logger.log = log;
  }
  logger.level = 'error';
  await nms.run();
  const live = (broadcast: NmsBroadcast) => broadcast.publisher !== null && broadcast._publishGraceTimer === null;
  const server: MediaServer = {
    host: options.host, rtmpPort, httpPort,
    publishUrl: (app, name) => `rtmp://${options.host}:${rtmpPort}/${app}/${name}`,
    playUrl: (app, name) => `http://${options.host}:${httpPort}/${app}/${name}.flv`,
    liveStreams() {
      const streams: LiveStream[] = [];
      for (const [path, broadcast] of context.broadcasts) {
        if (!live(broadcast)) continue;
        const [, app = '', name = ''] = path.split('/');
        const started = broadcast.publisher?.startTime ?? broadcast.publisher?.createTime;
        streams.push({ app, name, since: started === undefined ? null : new Date(started), video: broadcast.flvVideoHeader !== null && broadcast.flvVideoHeader !== undefined });
      }
      return streams;
    },
    isLive(app, name) {
      const broadcast = context.broadcasts.get(`/${app}/${name}`);
      return broadcast !== undefined && live(broadcast) && broadcast.flvVideoHeader !== null && broadcast.flvVideoHeader !== undefined;
    },
    async stop() {
      await nms.stop();
      for (const [path, broadcast] of context.broadcasts) if (!live(broadcast)) context.broadcasts.delete(path);
      running = undefined;
    },
  };
  running = server;
  return server;
}
