import type { Knex } from 'knex';
import { GENESIS_HASH, hashEvent, type AuditKey, type ChainedEvent } from '../../engine/index.js';

function fromRow(row: Record<string, unknown>): ChainedEvent {
  return {
    caseId: row.case_id as string,
    seq: row.seq as number,
    type: row.type as string,
    payload: row.payload,
    actorId: row.actor_id as string,
    actorRoles: row.actor_roles as string[],
    at: row.at as Date,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    keyId: (row.key_id as string | null) ?? null,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}

/** Append the event that takes the case from `seq - 1` to `seq`, chained to the one before it. */
export async function appendEvent(db: Knex, event: Omit<ChainedEvent, 'prevHash' | 'hash' | 'keyId'>, key?: AuditKey): Promise<ChainedEvent> {
  const previous = event.seq === 1 ? undefined : await db('case_events').select('hash').where({ case_id: event.caseId, seq: event.seq - 1 }).first();
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const chained = { ...event, keyId: key?.id ?? null, prevHash };
  const full: ChainedEvent = { ...chained, hash: hashEvent(chained, key) };
  await db('case_events').insert({
    case_id: full.caseId, seq: full.seq, type: full.type, payload: JSON.stringify(full.payload), actor_id: full.actorId,
    actor_roles: JSON.stringify(full.actorRoles), at: full.at, idempotency_key: full.idempotencyKey, key_id: full.keyId, prev_hash: full.prevHash, hash: full.hash,
  });
  return full;
}

export async function findEventByKey(db: Knex, caseId: string, idempotencyKey: string): Promise<ChainedEvent | undefined> {
  const row = await db('case_events').where({ case_id: caseId, idempotency_key: idempotencyKey }).first();
  return row ? fromRow(row) : undefined;
}

export async function listEvents(db: Knex, caseId: string): Promise<ChainedEvent[]> {
  return (await db('case_events').where({ case_id: caseId }).orderBy('seq')).map(fromRow);
}

/** Each case's last plain-chained (unkeyed) event, for cases that have one. */
export async function lastPlainEvents(db: Knex): Promise<Array<{ caseId: string; seq: number; hash: string }>> {
  return (await db('case_events').distinctOn('case_id').select({ caseId: 'case_id', seq: 'seq', hash: 'hash' }).whereNull('key_id')
    .orderBy([{ column: 'case_id' }, { column: 'seq', order: 'desc' }])) as Array<{ caseId: string; seq: number; hash: string }>;
}
