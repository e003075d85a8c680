import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { hasErrors, InvalidSopError, validateSop, type Diagnostic, type ValidationResult } from '../engine/index.js';
import { findSopVersionByHash, insertSopVersion, type SopVersionRow } from '../adapters/store/sop-versions-table.js';
import { isUniqueViolation } from '../adapters/store/pg-errors.js';

export interface PublishResult {
  version: Omit<SopVersionRow, 'source' | 'definition'>;
  /** False when the same file was published before: no new version. */
  created: boolean;
  warnings: Diagnostic[];
}

export interface PublishInput {
  source: string;
  file: string;
  by: string | null;
  at: Date;
  organizationId?: string | null;
  /** How to validate the text; in process by default, in a worker thread for uploads (validate-in-worker.ts). */
  validate?: (source: string, file: string) => ValidationResult | Promise<ValidationResult>;
}

/**
 * Publish an SOP file: validate it, and store it as the SOP's next revision unless this exact
 * content is already published. Running cases keep the revision they started on.
 */
export async function publishSop(db: Knex, input: PublishInput): Promise<PublishResult> {
  const result = await (input.validate ?? validateSop)(input.source, input.file);
  if (!result.definition || hasErrors(result.diagnostics)) throw new InvalidSopError(result.diagnostics);
  const definition = result.definition;
  const contentHash = createHash('sha256').update(input.source).digest('hex');
  const warnings = result.diagnostics;
  const organizationId = input.organizationId ?? null;
  // The first publish of an id claims it for its organisation; a concurrent second one sees the claim.
  for (let attempt = 0; ; attempt += 1) {
    const existing = await findSopVersionByHash(db, organizationId, definition.id, contentHash);
    if (existing) return { version: light(existing), created: false, warnings };
    try {
      const row = await insertSopVersion(db, {
        sopId: definition.id, declaredVersion: definition.version, title: definition.identity.title, file: input.file,
        source: input.source, contentHash, definition, publishedAt: input.at, publishedBy: input.by, organizationId,
      });
      return { version: light(row), created: true, warnings };
    } catch (error) {
      // Two publishers at once: one wins the revision number; look again.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

function light(row: SopVersionRow): PublishResult['version'] {
  const { source: _source, definition: _definition, ...rest } = row;
  return rest;
}
