/**
 * The per-case hash chain over the event log: each event's hash covers the previous event's hash
 * and this event's content, so editing, deleting or reordering any event breaks the chain at
 * that point. With an audit key (kept outside the database) the hash is an HMAC, so someone who
 * can write the database but not read the key cannot forge a consistent chain.
 */
import { createHash, createHmac } from 'node:crypto';
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
  /** Id of the audit key the hash was made with; null for a plain SHA-256 chain link. */
  keyId: string | null;
  prevHash: string;
  hash: string;
}

/** A secret for keyed chains; its id (derived from it) is stored with each event it signs. */
export interface AuditKey {
  id: string;
  secret: string;
}

export function auditKeyFrom(secret: string): AuditKey {
  return { id: createHash('sha256').update(`alur-audit-key:${secret}`).digest('hex').slice(0, 16), secret };
}

/** The event's hash, keyed when `key` is given (its id must be the event's keyId). */
export function hashEvent(event: Omit<ChainedEvent, 'hash'>, key?: AuditKey): string {
  const content = canonicalize({
    caseId: event.caseId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actor: { id: event.actorId, roles: [...event.actorRoles] },
    at: event.at.toISOString(),
    idempotencyKey: event.idempotencyKey,
    keyId: event.keyId,
  });
  const digest = key ? createHmac('sha256', key.secret) : createHash('sha256');
  return digest.update(event.prevHash).update('\n').update(content ?? '').digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** What a chain check found: a break (tampering), or links it cannot check for want of their key. */
export interface ChainCheck {
  /** The first link that proves tampering; null when none does. */
  broken: ChainBreak | null;
  /** The first link signed with a key this process lacks (only set when nothing is broken). */
  unverifiable: ChainBreak | null;
}

/**
 * Check a case's chain. `expectedLength` is the case's own sequence counter, which catches events
 * deleted from the end. With `keys` given, an audit key is configured: a plain SHA-256 link is then
 * a break (anyone who can write the database can compute one), never a weaker kind of valid link.
 * A link signed with a key not in `keys` cannot be checked: its order and linkage still are.
 * `plainUpTo`: the plain links up to this sequence number were vouched for with the key (see signAdoption).
 */
export function checkChain(events: readonly ChainedEvent[], expectedLength: number, keys: readonly AuditKey[] = [], plainUpTo = 0): ChainCheck {
  let previous = GENESIS_HASH;
  let unverifiable: ChainBreak | null = null;
  const broken = (seq: number, reason: string): ChainCheck => ({ broken: { seq, reason }, unverifiable: null });
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i]!;
    const expectedSeq = i + 1;
    if (event.seq !== expectedSeq) {
      return broken(expectedSeq, event.seq > expectedSeq ? `event ${expectedSeq} is missing (the next one found is ${event.seq})` : `event ${event.seq} appears out of order`);
    }
    if (event.prevHash !== previous) return broken(event.seq, `event ${event.seq} does not follow event ${event.seq - 1} (its previous-hash does not match): events were removed or reordered`);
    if (event.keyId === null && keys.length > 0 && event.seq > plainUpTo) {
      return broken(event.seq, `event ${event.seq} is chained with plain SHA-256 although an audit key is configured: it was written or re-chained without the key`);
    }
    const key = event.keyId === null ? undefined : keys.find((k) => k.id === event.keyId);
    if (event.keyId !== null && !key) {
      unverifiable ??= { seq: event.seq, reason: `event ${event.seq} is signed with audit key ${event.keyId}, which this process does not have; set ALUR_AUDIT_KEY to verify it` };
    } else if (hashEvent(event, key) !== event.hash) {
      return broken(event.seq, `event ${event.seq} was altered after it was written (its content no longer matches its hash)`);
    }
    previous = event.hash;
  }
  if (events.length < expectedLength) return broken(events.length + 1, `event ${events.length + 1} is missing: the case has ${expectedLength} events but the log holds ${events.length}`);
  if (events.length > expectedLength) return broken(expectedLength + 1, `event ${expectedLength + 1} is not counted by the case (it says ${expectedLength} events): events were added behind Alur's back`);
  return { broken: null, unverifiable };
}

/** The first broken or uncheckable link of a case's chain, or null when it is intact and checked. */
export function findChainBreak(events: readonly ChainedEvent[], expectedLength: number, keys: readonly AuditKey[] = []): ChainBreak | null {
  const check = checkChain(events, expectedLength, keys);
  return check.broken ?? check.unverifiable;
}

/** A case's head as recorded next to its log: the last event's sequence number and hash. */
export interface CaseHead {
  caseId: string;
  seq: number;
  hash: string;
  keyId: string | null;
}

/** The HMAC of a head with the audit key (its id must be the head's keyId). */
export function signHead(head: CaseHead, key: AuditKey): string {
  return createHmac('sha256', key.secret).update(canonicalize({ caseId: head.caseId, seq: head.seq, hash: head.hash, keyId: head.keyId }) ?? '').digest('hex');
}

/** The HMAC of any JSON document (an exported heads file) with the audit key. */
export function signDocument(document: unknown, key: AuditKey): string {
  return createHmac('sha256', key.secret).update(canonicalize(document) ?? '').digest('hex');
}

/**
 * The HMAC with which an operator who configures a key on a database with plain-chained cases
 * vouches for a case's plain prefix up to `seq` (whose last hash commits to all of it).
 */
export function signAdoption(adoption: { caseId: string; seq: number; hash: string }, key: AuditKey): string {
  return createHmac('sha256', key.secret).update(canonicalize({ purpose: 'adopt-plain-prefix', caseId: adoption.caseId, seq: adoption.seq, hash: adoption.hash, keyId: key.id }) ?? '').digest('hex');
}
