import type { Knex } from 'knex';
import type { SopDefinition } from '../../engine/index.js';

export interface SopVersionRow {
  id: number;
  sopId: string;
  revision: number;
  declaredVersion: number;
  title: string;
  file: string;
  source: string;
  contentHash: string;
  definition: SopDefinition;
  publishedAt: Date;
  publishedBy: string | null;
  /** The organisation the SOP belongs to; null only for files published from the CLI before any organisation existed. */
  organizationId: string | null;
}

const COLUMNS = {
  id: 'id', sopId: 'sop_id', revision: 'revision', declaredVersion: 'declared_version', title: 'title', file: 'file',
  source: 'source', contentHash: 'content_hash', definition: 'definition', publishedAt: 'published_at', publishedBy: 'published_by',
  organizationId: 'organization_id',
} as const;

function fromRow(row: Record<string, unknown>): SopVersionRow {
  return { ...(row as unknown as SopVersionRow), id: Number(row.id) };
}

/** SOP ids are per organisation; organisation-less revisions (null) are a namespace of their own. */
function ofOrganization<Q extends Knex.QueryBuilder>(query: Q, organizationId: string | null): Q {
  return (organizationId === null ? query.whereNull('organization_id') : query.where('organization_id', organizationId)) as Q;
}

export async function findSopVersionByHash(db: Knex, organizationId: string | null, sopId: string, contentHash: string): Promise<SopVersionRow | undefined> {
  const row = await ofOrganization(db('sop_versions').select(COLUMNS).where({ sop_id: sopId, content_hash: contentHash }), organizationId).first();
  return row ? fromRow(row) : undefined;
}

export async function latestSopVersion(db: Knex, organizationId: string | null, sopId: string): Promise<SopVersionRow | undefined> {
  const row = await ofOrganization(db('sop_versions').select(COLUMNS).where({ sop_id: sopId }), organizationId).orderBy('revision', 'desc').first();
  return row ? fromRow(row) : undefined;
}

export async function getSopVersion(db: Knex, id: number): Promise<SopVersionRow | undefined> {
  const row = await db('sop_versions').select(COLUMNS).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

export async function getSopRevision(db: Knex, organizationId: string | null, sopId: string, revision: number): Promise<SopVersionRow | undefined> {
  const row = await ofOrganization(db('sop_versions').select(COLUMNS).where({ sop_id: sopId, revision }), organizationId).first();
  return row ? fromRow(row) : undefined;
}

/** Organisations that publish an SOP under this id (to tell an ambiguous id from a missing one). */
export async function organizationsWithSop(db: Knex, sopId: string): Promise<Array<string | null>> {
  return (await db('sop_versions').distinct('organization_id').where({ sop_id: sopId }).orderBy('organization_id')).map((r) => (r.organization_id as string | null) ?? null);
}

/** Every version of every SOP (without sources), newest revision first per SOP. */
export async function listSopVersions(db: Knex, filter: { sopId?: string; organizationId?: string } = {}): Promise<Array<Omit<SopVersionRow, 'source' | 'definition'>>> {
  const { source: _s, definition: _d, ...light } = COLUMNS;
  const query = db('sop_versions').select(light).orderBy([{ column: 'sop_id' }, { column: 'revision', order: 'desc' }]);
  if (filter.sopId) query.where({ sop_id: filter.sopId });
  if (filter.organizationId) query.where({ organization_id: filter.organizationId });
  return (await query).map((row) => fromRow(row));
}

export async function insertSopVersion(db: Knex, version: Omit<SopVersionRow, 'id' | 'revision'>): Promise<SopVersionRow> {
  // The revision is the next one for this SOP; the unique (sop_id, revision) index settles races.
  const [row] = await db('sop_versions')
    .insert({
      sop_id: version.sopId,
      // The next revision of this SOP in its organisation; the unique index settles races.
      revision: db.raw("(select coalesce(max(revision), 0) + 1 from sop_versions where sop_id = ? and coalesce(organization_id, '') = coalesce(?, ''))", [version.sopId, version.organizationId]),
      declared_version: version.declaredVersion,
      title: version.title,
      file: version.file,
      source: version.source,
      content_hash: version.contentHash,
      definition: JSON.stringify(version.definition),
      published_at: version.publishedAt,
      published_by: version.publishedBy,
      organization_id: version.organizationId,
    })
    .returning(Object.values(COLUMNS).map((c, i) => `${c} as ${Object.keys(COLUMNS)[i]}`));
  const inserted = fromRow(row);
  // The pelaksana of this version, as rows the access policy joins on.
  const roles = [...new Set(version.definition.roles.map((r) => r.id))];
  if (roles.length > 0) await db('sop_roles').insert(roles.map((role) => ({ sop_version_id: inserted.id, role })));
  return inserted;
}
