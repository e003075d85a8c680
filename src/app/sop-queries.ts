/** Reading an organisation's published SOPs: each SOP with its revisions, one revision with its source. */
import { NotFoundError } from '../engine/index.js';
import { getSopRevision, listSopVersions, type SopVersionRow } from '../adapters/store/sop-versions-table.js';
import type { Alur } from './alur.js';

export type SopRevisionSummary = Omit<SopVersionRow, 'source' | 'definition'>;

export interface SopSummary {
  sopId: string;
  title: string;
  latestRevision: number;
  /** Newest first. */
  revisions: SopRevisionSummary[];
}

export async function listSops(alur: Alur, organizationId: string): Promise<SopSummary[]> {
  const versions = await listSopVersions(alur.db.knex, { organizationId });
  const bySop = new Map<string, SopRevisionSummary[]>();
  for (const v of versions) bySop.set(v.sopId, [...(bySop.get(v.sopId) ?? []), v]);
  return [...bySop.entries()].map(([sopId, list]) => ({ sopId, title: list[0]!.title, latestRevision: list[0]!.revision, revisions: list }));
}

/** One revision of an SOP of the organisation (the latest when `revision` is omitted); another organisation's is not found. */
export async function findSopRevision(alur: Alur, organizationId: string, sopId: string, revision?: number): Promise<{ revision: SopVersionRow; revisions: SopRevisionSummary[] }> {
  const revisions = await listSopVersions(alur.db.knex, { organizationId, sopId });
  const wanted = revision ?? revisions[0]?.revision;
  const row = wanted === undefined ? undefined : await getSopRevision(alur.db.knex, organizationId, sopId, wanted);
  if (!row || row.organizationId !== organizationId) throw new NotFoundError(revision === undefined ? 'SOP' : 'SOP revision', revision === undefined ? sopId : `${sopId}@${revision}`);
  return { revision: row, revisions };
}
