/**
 * Exported heads: every case's latest head written to a file kept away from the database (another
 * machine, paper, a signed e-mail). A database writer can roll back a case's tail together with
 * its heads, or a whole database to an earlier state; comparing with an earlier export shows it.
 * With the audit key the file is signed, so an edited file is told apart from a rolled-back database.
 */
import { signDocument, type AuditKey } from '../engine/index.js';
import type { CaseHeadRow } from '../adapters/store/case-heads-table.js';

export const HEADS_FORMAT = 'alur-audit-heads/1';

export interface ExportedHead {
  caseId: string;
  organizationId: string | null;
  seq: number;
  hash: string;
}

export interface HeadsFile {
  format: typeof HEADS_FORMAT;
  exportedAt: string;
  /** The audit key that signed the file; null when no key was configured. */
  keyId: string | null;
  heads: ExportedHead[];
  signature: string | null;
}

/** A heads file that cannot be read: say what is wrong with it. */
export class HeadsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeadsFileError';
  }
}

export function createHeadsFile(heads: readonly CaseHeadRow[], at: Date, key?: AuditKey): HeadsFile {
  const body = {
    format: HEADS_FORMAT, exportedAt: at.toISOString(), keyId: key?.id ?? null,
    heads: heads.map((h) => ({ caseId: h.caseId, organizationId: h.organizationId, seq: h.seq, hash: h.hash })),
  } as const;
  return { ...body, heads: [...body.heads], signature: key ? signDocument(body, key) : null };
}

export function parseHeadsFile(text: string, file: string): HeadsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HeadsFileError(`${file} is not JSON (${(error as Error).message}); give the output of \`alur audit export-heads\``);
  }
  const problem = headsFileProblem(json);
  if (problem) throw new HeadsFileError(`${file} is not an Alur heads file: ${problem}; give the output of \`alur audit export-heads\``);
  return json as HeadsFile;
}

function headsFileProblem(json: unknown): string | undefined {
  const file = json as Partial<Record<keyof HeadsFile, unknown>> | null;
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return 'it is not an object';
  if (file.format !== HEADS_FORMAT) return `format is ${JSON.stringify(file.format)}, not "${HEADS_FORMAT}"`;
  if (typeof file.exportedAt !== 'string') return 'exportedAt is not a string';
  if (file.keyId !== null && typeof file.keyId !== 'string') return 'keyId is neither null nor a string';
  if (file.signature !== null && typeof file.signature !== 'string') return 'signature is neither null nor a string';
  if (!Array.isArray(file.heads)) return 'heads is not a list';
  const bad = file.heads.findIndex((h: Partial<ExportedHead> | null) => typeof h !== 'object' || h === null || typeof h.caseId !== 'string' || typeof h.hash !== 'string'
    || !Number.isInteger(h.seq) || (h.seq as number) < 1 || (h.organizationId !== null && typeof h.organizationId !== 'string'));
  return bad >= 0 ? `heads[${bad}] is not { caseId, organizationId, seq, hash }` : undefined;
}

/** What the file's signature says: null when it holds (or the file is unsigned), else the finding. */
export function checkHeadsFileSignature(file: HeadsFile, keys: readonly AuditKey[]): { tampered?: string; unverifiable?: string } {
  if (file.keyId === null) return {};
  const key = keys.find((k) => k.id === file.keyId);
  if (!key) return { unverifiable: `the heads file is signed with audit key ${file.keyId}, which this process does not have; set ALUR_AUDIT_KEY to check it` };
  const { signature, ...body } = file;
  return signature === signDocument(body, key) ? {} : { tampered: 'the heads file was altered after it was exported (its signature does not match)' };
}
