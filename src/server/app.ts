/**
 * The HTTP application: JSON API under /api/v1 (validated by the same schemas that describe it),
 * problem+json errors, structured request logs with request ids, security headers, health probes.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Alur } from '../app/alur.js';
import { createSopValidator, type SopValidator } from '../app/validate-in-worker.js';
import type { AlurConfig } from '../config.js';
import { createAuthenticate } from './auth/authenticate.js';
import { buildOpenApi } from './openapi.js';
import { HttpProblem, problemBody, toProblem } from './problem.js';
import { RouteRegistry } from './route-registry.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerCaseRoutes } from './routes/case-routes.js';
import { EventStreams } from './routes/event-stream.js';
import { registerOversightRoutes } from './routes/oversight-routes.js';
import { registerSopRoutes } from './routes/sop-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { registerOrganizationRoutes } from './routes/organization-routes.js';
import { registerCameraRoutes } from './routes/camera-routes.js';
import { registerRecordingRoutes } from './routes/recording-routes.js';
import { recordingsAccessFrom } from '../app/playback.js';
import { registerDocumentRoutes } from './routes/document-routes.js';
import { mountUi } from './ui-assets.js';

export const API_VERSION = '1.0.0';

export interface AlurHttpApp {
  app: express.Express;
  routes: RouteRegistry;
  streams: EventStreams;
  /** Set on shutdown: /readyz answers 503 so a load balancer stops sending traffic. */
  markShuttingDown(): void;
  /** Checks uploaded SOP files in worker threads. */
  sopValidator: SopValidator;
  /** Stops what the app runs beside requests (the SOP validation workers); after the server closed. */
  close(): Promise<void>;
}

export function createHttpApp(deps: { alur: Alur; config: AlurConfig; logger: Logger; heartbeatMs?: number; loginThrottle?: LoginThrottle }): AlurHttpApp {
  const { alur, config, logger } = deps;
  let shuttingDown = false;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
  }));
  // Live video (mpegts.js) fetches HTTP-FLV from the media server's origins and plays it from a blob: MediaSource.
  const mediaOrigins = config.media.browserOrigins;
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], connectSrc: ["'self'", ...mediaOrigins], mediaSrc: ["'self'", 'blob:', ...mediaOrigins], upgradeInsecureRequests: null } } }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      if (shuttingDown) {
        res.status(503).type('application/problem+json').json(problemBody(503, 'shutting-down', 'Alur is shutting down'));
        return;
      }
      await alur.ping();
      res.json({ status: 'ready', database: alur.db.description });
    } catch (error) {
      next(new HttpProblem(503, 'database-unavailable', `the database does not answer: ${(error as Error).message}`));
    }
  });
  mountUi(app, API_VERSION);

  const routes = new RouteRegistry();
  const streams = new EventStreams();
  registerAuthRoutes(routes, alur, config, deps.loginThrottle ?? new LoginThrottle({ clock: alur.clock }));
  const sopValidator = createSopValidator({
    timeoutMs: config.validationTimeoutMs, workers: config.validationWorkers, maxQueued: config.validationQueue, memoryMb: config.validationMemoryMb,
  });
  registerSopRoutes(routes, alur, sopValidator);
  registerCaseRoutes(routes, alur);
  registerOversightRoutes(routes, alur, config);
  registerUserRoutes(routes, alur);
  registerOrganizationRoutes(routes, alur);
  registerCameraRoutes(routes, alur);
  registerRecordingRoutes(routes, alur, recordingsAccessFrom(config.media));
  registerDocumentRoutes(routes, alur, config);
  streams.register(routes, alur, deps.heartbeatMs);

  const api = express.Router();
  api.use(express.json({ limit: '2mb' }));
  const openApi = buildOpenApi(routes.routes, API_VERSION);
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  routes.mount(api, createAuthenticate({ db: alur.db.knex, clock: alur.clock }));
  api.use((req: Request) => {
    throw new HttpProblem(404, 'no-route', `there is no ${req.method} ${req.baseUrl}${req.path}; see /api/v1/openapi.json`);
  });
  app.use('/api/v1', api);
  app.use((req: Request, res: Response) => {
    res.status(404).type('application/problem+json').json(problemBody(404, 'no-route', `nothing at ${req.path}`));
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(error);
    if (problem.status >= 500) req.log.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(problem.status).type('application/problem+json').json({ ...problem, instance: req.originalUrl, requestId: req.id });
  });

  return { app, routes, streams, sopValidator, markShuttingDown: () => { shuttingDown = true; }, close: () => sopValidator.close() };
}
