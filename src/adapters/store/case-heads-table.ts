/**
 * Case heads: the append-only record, written with each event, of how far each case's log went.
 * It outlives the rows it describes (no foreign key), so it names the cases and events missing.
 */
import type { Knex } from 'knex';
import { signHead, type AuditKey, type ChainedEvent } from '../../engine/index.js';

export interface CaseHeadRow {
  caseId: string;
  seq: number;
  hash: string;
  keyId: string | null;
  /** HMAC of the head with the audit key; null for unkeyed heads and those the migration wrote. */
  signature: string | null;
  organizationId: string | null;
  recordedAt: Date;
}

const COLUMNS = {
  caseId: 'case_id', seq: 'seq', hash: 'hash', keyId: 'key_id', signature: 'signature', organizationId: 'organization_id', recordedAt: 'recorded_at',
} as const;

/** Record the event just appended as its case's head, signed with `key` when given (the key the event was chained with). */
export async function appendHead(db: Knex, event: ChainedEvent, organizationId: string | null, key?: AuditKey): Promise<void> {
  const head = { caseId: event.caseId, seq: event.seq, hash: event.hash, keyId: event.keyId };
  await db('case_heads').insert({
    case_id: head.caseId, seq: head.seq, hash: head.hash, key_id: head.keyId, signature: key ? signHead(head, key) : null,
    organization_id: organizationId, recorded_at: event.at,
  });
}

/** The latest head of every case (of one organisation, when given), by case id. */
export async function latestHeads(db: Knex, organizationId?: string): Promise<CaseHeadRow[]> {
  const query = db('case_heads').distinctOn('case_id').select(COLUMNS).orderBy([{ column: 'case_id' }, { column: 'seq', order: 'desc' }]);
  if (organizationId !== undefined) query.where('organization_id', organizationId);
  return (await query) as CaseHeadRow[];
}

/** The latest head of one case. */
export async function latestHead(db: Knex, caseId: string): Promise<CaseHeadRow | undefined> {
  return (await db('case_heads').select(COLUMNS).where({ case_id: caseId }).orderBy('seq', 'desc').first()) as CaseHeadRow | undefined;
}

/** A case's plain-chained prefix vouched for with an audit key (`alur audit adopt-key`). */
export interface KeyAdoptionRow {
  caseId: string;
  keyId: string;
  seq: number;
  hash: string;
  signature: string;
  adoptedAt: Date;
}

export async function insertKeyAdoptions(db: Knex, rows: readonly KeyAdoptionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('audit_key_adoptions').insert(rows.map((r) => ({ case_id: r.caseId, key_id: r.keyId, seq: r.seq, hash: r.hash, signature: r.signature, adopted_at: r.adoptedAt })));
}

/** The adoptions made with these keys, by case id. */
export async function keyAdoptions(db: Knex, keyIds: readonly string[]): Promise<Map<string, KeyAdoptionRow>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db('audit_key_adoptions')
    .select({ caseId: 'case_id', keyId: 'key_id', seq: 'seq', hash: 'hash', signature: 'signature', adoptedAt: 'adopted_at' })
    .whereIn('key_id', [...keyIds]) as KeyAdoptionRow[];
  return new Map(rows.map((r) => [r.caseId, r]));
}

