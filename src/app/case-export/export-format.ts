/**
 * The layout of a case's evidence export (a zip), shared by the exporter and the offline verifier:
 *
 * - `events.jsonl`  the case's event log, one chained event per line, as stored
 * - `timeline.json` the step timeline (when each step was available, started, done; by whom)
 * - `case.json`     the case row (without its machine snapshot)
 * - `sop.yaml`      the SOP source the case ran on (its sha256 is recorded in event 1)
 * - `evidence.json` and `snapshots/<id>.jpg`  camera checks and snapshots of the case, if any
 * - `report.html` or `report.pdf`  the case report for people
 * - `documents/<step>-<visit>.html|pdf`  the berita acara of each done step that names one
 * - `manifest.json` the sha256 of every other file, the case head (last seq + hash, with its HMAC
 *   when an audit key is set) and, with the key, the manifest's own HMAC.
 */
import { createHash } from 'node:crypto';
import type { ChainedEvent } from '../../engine/index.js';

export const EXPORT_FORMAT = 'alur-case-export/1';
export const MANIFEST_PATH = 'manifest.json';
export const EVENTS_PATH = 'events.jsonl';
export const SOP_PATH = 'sop.yaml';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** The case head as the database recorded it when the export was made. */
export interface ManifestHead {
  seq: number;
  hash: string;
  keyId: string | null;
  /** HMAC of the head with the audit key (see signHead); null for unkeyed heads. */
  signature: string | null;
}

/** The record vouching, with the audit key, for a case's plain-chained events (alur audit adopt-key). */
export interface ManifestAdoption {
  seq: number;
  hash: string;
  keyId: string;
  signature: string;
}

export interface Manifest {
  format: typeof EXPORT_FORMAT;
  caseId: string;
  organizationId: string | null;
  sopId: string;
  revision: number;
  exportedAt: string;
  head: ManifestHead;
  adoption: ManifestAdoption | null;
  files: ManifestFile[];
  /** The audit key that signed the manifest; null when none was configured. */
  keyId: string | null;
  signature: string | null;
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** One stored event per line, dates as ISO strings (what the chain hashes). */
export function eventsToJsonLines(events: readonly ChainedEvent[]): string {
  return events.map((e) => JSON.stringify({
    caseId: e.caseId, seq: e.seq, type: e.type, payload: e.payload, actorId: e.actorId, actorRoles: e.actorRoles,
    at: e.at.toISOString(), idempotencyKey: e.idempotencyKey, keyId: e.keyId, prevHash: e.prevHash, hash: e.hash,
  })).join('\n').concat(events.length > 0 ? '\n' : '');
}

/** The events of `events.jsonl`; throws with the line at fault when one is not an event. */
export function eventsFromJsonLines(text: string): ChainedEvent[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line, i) => {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${EVENTS_PATH} line ${i + 1} is not JSON (${(error as Error).message})`);
    }
    const strings = ['caseId', 'type', 'actorId', 'at', 'prevHash', 'hash'] as const;
    const bad = strings.find((k) => typeof json[k] !== 'string');
    if (bad || !Number.isInteger(json.seq) || !Array.isArray(json.actorRoles) || Number.isNaN(Date.parse(String(json.at)))) {
      throw new Error(`${EVENTS_PATH} line ${i + 1} is not an event (${bad ? `${bad} is not a string` : 'seq, actorRoles or at is malformed'})`);
    }
    return {
      caseId: json.caseId as string, seq: json.seq as number, type: json.type as string, payload: json.payload, actorId: json.actorId as string,
      actorRoles: json.actorRoles as string[], at: new Date(json.at as string), idempotencyKey: (json.idempotencyKey as string | null) ?? null,
      keyId: (json.keyId as string | null) ?? null, prevHash: json.prevHash as string, hash: json.hash as string,
    };
  });
}
