/**
 * The per-case hash chain over the event log: each event's hash covers the previous event's hash
 * and this event's content, so editing, deleting or reordering any event breaks the chain at
 * that point.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  caseId: string;
  seq: number;
  type: string;
  payload: unknown;
  actorId: string;
  actorRoles: readonly string[];
  at: Date;
  idempotencyKey: string | null;
  prevHash: string;
  hash: string;
}

export function hashEvent(event: Omit<ChainedEvent, 'hash'>): string {
  const content = canonicalize({
    caseId: event.caseId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actor: { id: event.actorId, roles: [...event.actorRoles] },
    at: event.at.toISOString(),
    idempotencyKey: event.idempotencyKey,
  });
  return createHash('sha256').update(event.prevHash).update('\n').update(content ?? '').digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * The first broken link of a case's chain, or null when it is intact. `expectedLength` is the
 * case's own sequence counter, which catches events deleted from the end.
 */
export function findChainBreak(events: readonly ChainedEvent[], expectedLength: number): ChainBreak | null {
  let previous = GENESIS_HASH;
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i]!;
    const expectedSeq = i + 1;
    if (event.seq !== expectedSeq) {
      return { seq: expectedSeq, reason: event.seq > expectedSeq ? `event ${expectedSeq} is missing (the next one found is ${event.seq})` : `event ${event.seq} appears out of order` };
    }
    if (event.prevHash !== previous) return { seq: event.seq, reason: `event ${event.seq} does not follow event ${event.seq - 1} (its previous-hash does not match): events were removed or reordered` };
    if (hashEvent(event) !== event.hash) return { seq: event.seq, reason: `event ${event.seq} was altered after it was written (its content no longer matches its hash)` };
    previous = event.hash;
  }
  if (events.length < expectedLength) return { seq: events.length + 1, reason: `event ${events.length + 1} is missing: the case has ${expectedLength} events but the log holds ${events.length}` };
  if (events.length > expectedLength) return { seq: expectedLength + 1, reason: `event ${expectedLength + 1} is not counted by the case (it says ${expectedLength} events): events were added behind Alur's back` };
  return null;
}
