import type { Knex } from 'knex';
import * as initial from './0001_initial.js';
import * as accounts from './0002_accounts.js';
import * as sopOwners from './0003_sop_owners.js';
import * as eventKeyId from './0004_event_key_id.js';
import * as engineEffects from './0005_engine_effects.js';
import * as tokenLifecycle from './0006_token_lifecycle.js';
import * as organisationsAndRows from './0009_organisations_and_rows.js';
import * as auditHeads from './0010_audit_heads.js';
import * as cameras from './0011_cameras.js';
import * as monitoringReviews from './0013_monitoring_reviews.js';
import * as overdueFromTimes from './0014_overdue_from_times.js';

/** Every migration, in order. Listed here (not discovered on disk) so the same code runs under tsx, vitest and a bundler. */
export const migrations: ReadonlyArray<{ name: string; module: Knex.Migration }> = [
  { name: '0001_initial', module: initial },
  { name: '0002_accounts', module: accounts },
  { name: '0003_sop_owners', module: sopOwners },
  { name: '0004_event_key_id', module: eventKeyId },
  { name: '0005_engine_effects', module: engineEffects },
  { name: '0006_token_lifecycle', module: tokenLifecycle },
  { name: '0009_organisations_and_rows', module: organisationsAndRows },
  { name: '0010_audit_heads', module: auditHeads },
  { name: '0011_cameras', module: cameras },
  { name: '0013_monitoring_reviews', module: monitoringReviews },
  { name: '0014_overdue_from_times', module: overdueFromTimes },
];
