/**
 * Found by the first 100-kill PostgreSQL crash loop: 3 acknowledged starts "at another seq than
 * acknowledged". A start repeated with its key answers with the case as it is now, so when the
 * first answer was lost to a kill -9 and a deadline fired before the retry, `case.seq` is past 1;
 * the start's own event is `case.started` at seq 1. The soak took `case.seq` as the start's seq.
 */
import { describe, expect, it } from 'vitest';
import { misplacedAcks, startAck } from '../../bench/soak/crash-loop.js';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

describe.each(dialects)('what the crash loop acknowledges for a start, on $name', (dialect) => {
  const t = useApi(dialect);

  it('a start repeated after the case moved on answers with the case as it is now, and its event stays at seq 1', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const first = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' }, { 'idempotency-key': 'soak-start' });
    const id = first.body.case.id as string;
    expect((await kadis.request('POST', `/api/v1/cases/${id}/commands`, { type: 'add-note', text: 'Sementara itu' })).status).toBe(200);
    const again = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' }, { 'idempotency-key': 'soak-start' });
    expect([again.status, again.body.duplicate, again.body.case.id, again.body.case.seq]).toEqual([201, true, id, 2]);

    const rows = (await t.api.alur.db.knex('case_events').whereNotNull('idempotency_key').select('case_id', 'seq', 'idempotency_key')) as Array<{ case_id: string; seq: number; idempotency_key: string }>;
    const byKey = new Map(rows.map((r) => [r.idempotency_key.slice(r.idempotency_key.indexOf(':') + 1), [r]]));
    expect(misplacedAcks([startAck('soak-start', again.body)], byKey)).toEqual([]);
    // What the soak acknowledged before: the answer's case.seq, which the log does not hold for this key.
    expect(misplacedAcks([{ key: 'soak-start', caseId: id, seq: again.body.case.seq }], byKey)).toEqual([`soak-start: acknowledged at case ${id} seq 2, in the log at case ${id} seq 1`]);
  });
});
