import { describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { auditKeyFrom, GENESIS_HASH, hashEvent, signHead } from '../../src/engine/index.js';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

/** What a superuser does with triggers and foreign keys off. */
async function asSuperuser(db: Knex, edit: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('set local session_replication_role = replica');
    await edit(trx);
  });
}

describe.each(dialects)('GET /audit/cases on $name', (dialect) => {
  const t = useApi(dialect);

  it('tells "cannot verify" (a log signed with a key this server lacks) apart from "tampered" (a case deleted)', async () => {
    const [kadis, auditor] = await Promise.all([t.api.login('pontianak.kadis'), t.api.login('pontianak.auditor')]);
    const started = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' });
    expect(started.status).toBe(201);
    const id = started.body.case.id as string;
    expect((await kadis.request('POST', `/api/v1/cases/${id}/commands`, { type: 'add-note', text: 'Mulai' })).status).toBe(200);

    const clean = await auditor.request('GET', '/api/v1/audit/cases');
    expect(clean.body).toMatchObject({ status: 'ok', broken: 0, unverifiable: 0, missing: [], problems: [] });
    expect(clean.body.expected).toBe(clean.body.found);

    // The same log as an Alur with ALUR_AUDIT_KEY would have written it: this server has no key.
    const key = auditKeyFrom('kunci-lain-'.padEnd(40, 'x'));
    await asSuperuser(t.db.knex, async (trx) => {
      const [{ organization_id: organizationId }] = await trx('cases').select('organization_id').where({ id });
      let prevHash = GENESIS_HASH;
      for (const event of await listEvents(trx, id)) {
        const hash = hashEvent({ ...event, keyId: key.id, prevHash }, key);
        await trx('case_events').where({ case_id: id, seq: event.seq }).update({ key_id: key.id, prev_hash: prevHash, hash });
        await trx('case_heads').where({ case_id: id, seq: event.seq }).delete();
        await trx('case_heads').insert({
          case_id: id, seq: event.seq, hash, key_id: key.id, signature: signHead({ caseId: id, seq: event.seq, hash, keyId: key.id }, key),
          organization_id: organizationId, recorded_at: event.at,
        });
        prevHash = hash;
      }
    });
    const keyed = await auditor.request('GET', '/api/v1/audit/cases');
    expect(keyed.body).toMatchObject({ status: 'unverifiable', broken: 0, unverifiable: 1 });
    const one = await auditor.request('GET', `/api/v1/audit/cases/${id}`);
    expect(one.body).toEqual({
      caseId: id, events: 2, ok: false, status: 'unverifiable', lateEvents: [],
      cannotVerify: { seq: 1, reason: `event 1 is signed with audit key ${key.id}, which this process does not have; set ALUR_AUDIT_KEY to verify it` },
    });

    await asSuperuser(t.db.knex, async (trx) => {
      for (const table of ['jobs', 'notifications', 'step_executions', 'case_events']) await trx(table).where({ case_id: id }).delete();
      await trx('cases').where({ id }).delete();
    });
    const deleted = await auditor.request('GET', '/api/v1/audit/cases');
    expect(deleted.body).toMatchObject({ status: 'tampered', missing: [id], expected: clean.body.expected, found: clean.body.found - 1 });
    expect(deleted.body.summary).toMatch(new RegExp(`^${clean.body.expected} case\\(s\\) expected, ${clean.body.found - 1} found`));
  });
});
