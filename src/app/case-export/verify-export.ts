/**
 * `alur audit verify --export x.zip`: check a case's evidence export offline, with no database.
 * Every file must be in the archive with the sha256 the manifest gives (and nothing else may be),
 * the event log must form an intact hash chain (the engine's own check) that ends at the head the
 * manifest records, event 1 must record the hash of the SOP source shipped with it, and with the
 * audit key the head, the manifest and every event must carry valid HMACs.
 *
 * Without the key an export of a plain-chained case is only as strong as its chain: someone who
 * edits an event, re-chains the rest and rewrites the manifest goes unnoticed here, but not when
 * the head is compared with heads kept elsewhere (`alur audit export-heads`).
 */
import { ArchiveError, readZip } from '../../adapters/archive/zip-archive.js';
import { checkChain, signAdoption, signDocument, signHead, type AuditKey, type ChainedEvent } from '../../engine/index.js';
import type { AuditStatus } from '../audit.js';
import { EVENTS_PATH, eventsFromJsonLines, EXPORT_FORMAT, MANIFEST_PATH, sha256, SOP_PATH, type Manifest } from './export-format.js';

export interface ExportVerification {
  status: AuditStatus;
  caseId: string | null;
  /** Events in the log (0 when it could not be read). */
  events: number;
  head: { seq: number; hash: string } | null;
  /** What proves the export was changed, one sentence each. */
  tampered: string[];
  /** What could not be checked for want of the audit key. */
  unverifiable: string[];
}

export async function verifyExport(zip: Buffer, keys: readonly AuditKey[]): Promise<ExportVerification> {
  let files: Map<string, Buffer>;
  try {
    files = await readZip(zip);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return result(null, [], null, [error.message], []);
  }
  const manifestBytes = files.get(MANIFEST_PATH);
  if (!manifestBytes) return result(null, [], null, [`the archive has no ${MANIFEST_PATH}: it is not an Alur case export (or its manifest was removed)`], []);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch (error) {
    return result(null, [], null, [`${MANIFEST_PATH} is not JSON (${(error as Error).message}): it was edited`], []);
  }
  const shape = manifestProblem(manifest);
  if (shape) return result(null, [], null, [`${MANIFEST_PATH} is not an Alur case export manifest: ${shape}`], []);

  const tampered: string[] = [];
  const unverifiable: string[] = [];
  const key = (id: string | null) => (id === null ? undefined : keys.find((k) => k.id === id));
  const needKey = (what: string, id: string) => unverifiable.push(`${what} is signed with audit key ${id}, which this process does not have; set ALUR_AUDIT_KEY to verify it`);

  if (manifest.keyId !== null) {
    const manifestKey = key(manifest.keyId);
    const { signature, ...body } = manifest;
    if (!manifestKey) needKey('the manifest', manifest.keyId);
    else if (signature !== signDocument(body, manifestKey)) tampered.push('the manifest was altered after the export (its signature does not match)');
  } else if (keys.length > 0) {
    tampered.push('the manifest is not signed although an audit key is configured: it was made or rewritten without the key');
  }

  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    const body = files.get(file.path);
    if (!body) tampered.push(`${file.path} is listed in the manifest but missing from the archive: a file was removed`);
    else if (sha256(body) !== file.sha256 || body.length !== file.bytes) tampered.push(`${file.path} does not match its sha256 in the manifest: the file (or the manifest) was edited`);
  }
  for (const path of files.keys()) {
    if (path !== MANIFEST_PATH && !listed.has(path)) tampered.push(`${path} is in the archive but not in the manifest: it was added after the export`);
  }

  let events: ChainedEvent[] = [];
  const log = files.get(EVENTS_PATH);
  if (log && listed.has(EVENTS_PATH)) {
    try {
      events = eventsFromJsonLines(log.toString('utf8'));
    } catch (error) {
      tampered.push(`${(error as Error).message}: the event log was edited`);
    }
  } else if (!listed.has(EVENTS_PATH)) {
    tampered.push(`the manifest does not list ${EVENTS_PATH}: the event log was left out`);
  }
  if (events.length > 0) checkEvents(manifest, events, keys, files.get(SOP_PATH), tampered, unverifiable);
  return result(manifest.caseId, events, { seq: manifest.head.seq, hash: manifest.head.hash }, tampered, unverifiable);
}

function checkEvents(manifest: Manifest, events: ChainedEvent[], keys: readonly AuditKey[], sop: Buffer | undefined, tampered: string[], unverifiable: string[]): void {
  const { head, adoption } = manifest;
  const keyOf = (id: string | null) => (id === null ? undefined : keys.find((k) => k.id === id));
  const foreign = events.find((e) => e.caseId !== manifest.caseId);
  if (foreign) tampered.push(`event ${foreign.seq} belongs to case ${foreign.caseId}, not to the exported case ${manifest.caseId}`);
  let plainUpTo = 0;
  if (adoption) {
    const adoptionKey = keyOf(adoption.keyId);
    if (adoptionKey && adoption.signature !== signAdoption({ caseId: manifest.caseId, seq: adoption.seq, hash: adoption.hash }, adoptionKey)) {
      tampered.push('the record vouching for the case\'s plain-chained events does not carry a valid signature: it was forged');
    } else if (adoptionKey) {
      plainUpTo = adoption.seq;
      if (events[adoption.seq - 1]?.hash !== adoption.hash) tampered.push(`event ${adoption.seq} is not the one vouched for when the audit key was adopted: the plain-chained events were rewritten`);
    }
  }
  const chain = checkChain(events, head.seq, keys, plainUpTo);
  if (chain.broken) tampered.push(`event log: ${chain.broken.reason}`);
  else if (chain.unverifiable) unverifiable.push(`event log: ${chain.unverifiable.reason}`);
  const last = events.at(-1)!;
  if (last.seq === head.seq && last.hash !== head.hash) tampered.push(`event ${last.seq} is not the one the manifest's head records (its hash differs): the log was rewritten`);
  if (head.keyId !== null && head.signature !== null) {
    const headKey = keyOf(head.keyId);
    if (headKey && head.signature !== signHead({ caseId: manifest.caseId, seq: head.seq, hash: head.hash, keyId: head.keyId }, headKey)) {
      tampered.push(`the head of event ${head.seq} in the manifest does not carry a valid signature: it was forged`);
    } else if (!headKey && chain.unverifiable === null) {
      unverifiable.push(`the head is signed with audit key ${head.keyId}, which this process does not have; set ALUR_AUDIT_KEY to verify it`);
    }
  }
  const recorded = (events[0]!.payload as { sourceHash?: unknown } | null)?.sourceHash;
  if (recorded !== undefined && sop && sha256(sop) !== recorded) tampered.push(`${SOP_PATH} is not the SOP source the case started on (event 1 records source hash ${String(recorded)})`);
}

function manifestProblem(manifest: Manifest): string | undefined {
  const m = manifest as Partial<Record<keyof Manifest, unknown>> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'it is not an object';
  if (m.format !== EXPORT_FORMAT) return `format is ${JSON.stringify(m.format)}, not "${EXPORT_FORMAT}"`;
  if (typeof m.caseId !== 'string') return 'caseId is not a string';
  const head = m.head as Partial<Manifest['head']> | null;
  if (typeof head !== 'object' || head === null || !Number.isInteger(head.seq) || typeof head.hash !== 'string') return 'head is not { seq, hash, keyId, signature }';
  if (!Array.isArray(m.files) || m.files.some((f: Partial<Manifest['files'][number]> | null) => typeof f?.path !== 'string' || typeof f.sha256 !== 'string')) return 'files is not a list of { path, bytes, sha256 }';
  return undefined;
}

function result(caseId: string | null, events: readonly ChainedEvent[], head: ExportVerification['head'], tampered: string[], unverifiable: string[]): ExportVerification {
  const status: AuditStatus = tampered.length > 0 ? 'tampered' : unverifiable.length > 0 ? 'unverifiable' : 'ok';
  return { status, caseId, events: events.length, head, tampered, unverifiable };
}
