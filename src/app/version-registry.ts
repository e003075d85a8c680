import type { Knex } from 'knex';
import { createRunnableVersion, NotFoundError, type RunnableVersion } from '../engine/index.js';
import { getSopVersion } from '../adapters/store/sop-versions-table.js';

/** Compiled versions by id. A version never changes once published, so a cache entry never goes stale. */
export class VersionRegistry {
  private readonly cache = new Map<number, RunnableVersion>();

  /** The compiled version if this process has it already (every version a command just used is here). */
  peek(versionId: number): RunnableVersion | undefined {
    return this.cache.get(versionId);
  }

  async get(db: Knex, versionId: number): Promise<RunnableVersion> {
    const cached = this.cache.get(versionId);
    if (cached) return cached;
    const row = await getSopVersion(db, versionId);
    if (!row) throw new NotFoundError('SOP version', String(versionId));
    const runnable = createRunnableVersion(versionId, row.definition);
    this.cache.set(versionId, runnable);
    return runnable;
  }
}
