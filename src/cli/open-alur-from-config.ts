import { systemClock } from '../adapters/clock.js';
import { unconnectedAdapters } from '../adapters/unconnected-adapters.js';
import { openAlur, type Alur } from '../app/alur.js';
import { loadConfig } from '../config.js';
import { auditKeyFrom } from '../engine/index.js';

/** Alur on the configured database (DATABASE_URL, else PGlite in ALUR_DATA_DIR), migrated. */
export async function openAlurFromConfig(): Promise<Alur> {
  const config = loadConfig();
  return openAlur({
    database: config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
    clock: systemClock,
    adapters: unconnectedAdapters,
    ...(config.auditKey ? { auditKey: auditKeyFrom(config.auditKey) } : {}),
    ...(config.media.cameraKey ? { cameraKey: config.media.cameraKey } : {}),
  });
}

/** Open Alur, run `work`, always close. */
export async function withAlur<T>(work: (alur: Alur) => Promise<T>): Promise<T> {
  const alur = await openAlurFromConfig();
  try {
    return await work(alur);
  } finally {
    await alur.close();
  }
}
