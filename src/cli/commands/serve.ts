import { pino } from 'pino';
import { systemClock } from '../../adapters/clock.js';
import { openAlur, type Alur } from '../../app/alur.js';
import { observeCommittedCases } from '../../app/inspect-cases.js';
import { startMediaRuntime } from '../../app/media-runtime.js';
import { startDemoCameras } from '../../app/demo-cameras.js';
import { repairPoisonedCases } from '../../app/case-repair.js';
import { seedDemo } from '../../app/demo-seed.js';
import { loadConfig } from '../../config.js';
import { auditKeyFrom } from '../../engine/index.js';
import { startHttpServer } from '../../server/http-server.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

/** `alur serve` (`npm start`): migrate, publish sops/, create demo accounts, serve HTTP until SIGTERM. */
export interface ServeFlags {
  /** Development: relay every case to the Stately inspector on this port. */
  inspectPort?: number | undefined;
}

export async function serveCommand(io: CliOutput, flags: ServeFlags = {}): Promise<number> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const media = await startMediaRuntime(config.media, config.dataDir, (error) => logger.error({ err: error }, 'media adapter failed'));
  for (const warning of media.warnings) logger.warn(warning);
  const alur = await openAlur({
    database: config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
    clock: systemClock,
    adapters: (opened) => media.adapters(opened),
    ...(config.auditKey ? { auditKey: auditKeyFrom(config.auditKey) } : {}),
    ...(config.media.cameraKey ? { cameraKey: config.media.cameraKey } : {}),
  }).catch(async (error: unknown) => {
    await media.close();
    throw error;
  });
  const seed = await seedDemo(alur, config.sopsDir);
  const demoCameras = config.media.demoCameras && media.bin && media.server ? await startDemoCameras(alur, media.bin, media.server) : undefined;
  // Cases an older Alur left in an XState error state take commands again once rebuilt from their log.
  for (const repaired of await repairPoisonedCases(alur)) logger.warn({ caseId: repaired.caseId }, 'case state rebuilt from its event log');
  // Relays of running cases died with the previous process: start them again (demo cameras are up by now).
  for (const key of await media.restoreRelays(alur)) logger.info({ streamKey: key }, 'relay of a running case started again');
  const scheduler = alur.startScheduler(config.schedulerIntervalMs, (error) => logger.error({ err: error }, 'background work failed'));
  const server = await startHttpServer({ alur, config, logger, scheduler });
  const inspector = flags.inspectPort === undefined ? undefined : await attachInspector(alur, flags.inspectPort);

  io.out(`Alur is listening on ${server.url} (database: ${alur.db.description})`);
  io.out(`API description: ${server.url}/api/v1/openapi.json`);
  if (inspector) io.out(`Stately inspector (development; case data goes to that page): ${inspector.pageUrl}`);
  if (media.server) io.out(`Media server: rtmp://${media.server.host}:${media.server.rtmpPort}/live/<key> in, http://${media.server.host}:${media.server.httpPort}/live/<key>.flv out`);
  if (demoCameras) io.out(`Demo cameras (test patterns; the last one never answers): ${demoCameras.names.join(', ')}`);
  if (!config.auditKey) io.out('Note: ALUR_AUDIT_KEY is not set, so the event log is chained with plain SHA-256; set it (32+ characters, kept outside the database) to sign it.');
  for (const { file, result } of seed.published) io.out(`SOP ${result.version.sopId} revision ${result.version.revision} ${result.created ? 'published' : 'already published'} (${file})`);
  if (seed.created.length > 0) {
    io.out('\nDemo accounts (passwords are shown this once; store them):');
    io.out(table(['organisation', 'username', 'password', 'roles'], seed.created.map((a) => [a.organization, a.username, a.password, a.roles.join(', ')])));
  } else if (seed.existing.length > 0) {
    io.out(`\n${seed.existing.length} demo accounts exist already; their passwords were printed when they were created. Set a new one with: npx alur user password <username>`);
  }

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    inspector?.close();
    server.close().then(() => demoCameras?.stop()).then(() => media.close()).then(() => process.exit(0), (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return 0;
}

async function attachInspector(alur: Alur, port: number) {
  const { openStatelyInspector } = await import('../../adapters/inspector/stately-inspector.js');
  const inspector = openStatelyInspector(port);
  observeCommittedCases(alur, inspector.observer);
  return inspector;
}

