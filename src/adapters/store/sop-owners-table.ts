import type { Knex } from 'knex';

/**
 * Claim an SOP id for an organisation: the first publish of an id wins it, and a concurrent
 * second publish sees the first one's claim. Returns the organisation that owns the id.
 */
export async function claimSopId(db: Knex, sopId: string, organizationId: string | null): Promise<string | null> {
  await db('sop_owners').insert({ sop_id: sopId, organization_id: organizationId }).onConflict('sop_id').ignore();
  const owner = await db('sop_owners').select('organization_id').where({ sop_id: sopId }).first();
  return (owner?.organization_id as string | null | undefined) ?? null;
}
