/**
 * A process killed after leasing a deadline (found by `npm run soak`'s crash loop: deadlines fired
 * 60–90 s late after a kill -9) delays it by the deadline lease only, not the adapters' minute.
 */
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import type { CaseService } from '../../src/app/case-service.js';
import { DEADLINE_LEASE_MS, fireDueDeadlines } from '../../src/app/deadlines.js';
import { MINUTE, person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');

describe.each(dialects)('a deadline leased by a process that died, on $name', (dialect) => {
  const t = useHarness(dialect);

  it('fires once its short lease runs out, well within a minute', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    t.h.clock.advance(15 * MINUTE);
    // The dying process: it leases the due deadline, then never gets to give the case its command.
    const hang = () => new Promise(() => undefined);
    const hung = { execute: hang, executeBatch: hang } as unknown as CaseService;
    void fireDueDeadlines({ db: t.db.knex, clock: t.h.clock, service: hung });
    await expect.poll(async () => (await t.db.knex('jobs').where({ case_id: c.id, kind: 'deadline', status: 'running' })).length).toBe(1);

    const overdue = async () => (await listEvents(t.db.knex, c.id)).filter((e) => e.type === 'step.overdue');
    await t.h.alur.runBackgroundWork();
    expect(await overdue()).toHaveLength(0);
    expect(DEADLINE_LEASE_MS).toBeLessThanOrEqual(15_000);
    t.h.clock.advance(DEADLINE_LEASE_MS + 1);
    await t.h.alur.runBackgroundWork();
    expect((await overdue()).map((e) => e.payload)).toEqual([{ step: 'surat-permintaan-relay', visit: 1 }]);
  });
});
