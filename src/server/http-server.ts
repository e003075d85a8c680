/**
 * Listening and stopping. On SIGTERM: stop accepting connections, let requests in flight finish,
 * end live event streams, stop the scheduler, close the database.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Alur } from '../app/alur.js';
import type { Scheduler } from '../app/scheduler.js';
import type { AlurConfig } from '../config.js';
import { createHttpApp, type AlurHttpApp } from './app.js';
import type { LoginThrottle } from './auth/login-throttle.js';

export interface RunningServer {
  url: string;
  server: Server;
  http: AlurHttpApp;
  /** Graceful stop; resolves when everything is closed. */
  close(): Promise<void>;
}

export async function startHttpServer(deps: { alur: Alur; config: AlurConfig; logger: Logger; scheduler?: Scheduler; port?: number; host?: string; shutdownGraceMs?: number; heartbeatMs?: number; loginThrottle?: LoginThrottle }): Promise<RunningServer> {
  const http = createHttpApp(deps);
  const server = createServer(http.app);
  server.keepAliveTimeout = 5_000;
  const port = deps.port ?? deps.config.port;
  const host = deps.host ?? deps.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    http,
    close: () => (closing ??= (async () => {
      http.markShuttingDown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      http.streams.closeAll();
      server.closeIdleConnections();
      // Requests in flight get a grace period; after it, whatever is still open is cut.
      const grace = setTimeout(() => server.closeAllConnections(), deps.shutdownGraceMs ?? 10_000);
      grace.unref();
      await closed;
      clearTimeout(grace);
      await http.close();
      await deps.scheduler?.stop();
      await deps.alur.close();
    })()),
  };
}
