import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/store/database.js';
import { timingStats } from '../../src/adapters/store/timing-stats.js';
import { MINUTE, openHarness, person, type Harness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const WITA = { timeZone: 'Asia/Makassar', shiftStartHours: [7, 15, 23] };
const LETTER = { type: 'complete' as const, step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['A'] } };

describe.each(dialects)('timing statistics on $name', (dialect) => {
  let db: Database;
  let h: Harness;
  beforeEach(async () => {
    db = await dialect.open();
    h = await openHarness(db);
    // Three letters (budget 15 menit): waits 0/5/10 min, work 10/14/20 min; the third by a deputy in the afternoon shift.
    const runs = [
      { who: person('uray', 'kadis'), startAfter: 0, wait: 0, work: 10 },
      { who: person('uray', 'kadis'), startAfter: 60, wait: 5, work: 14 },
      { who: person('wakil', 'kadis'), startAfter: 8 * 60, wait: 10, work: 20 },
    ];
    const t0 = h.clock.now().getTime(); // 08:00 WITA
    for (const run of runs) {
      h.clock.set(new Date(t0 + run.startAfter * MINUTE));
      const { case: c } = await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: run.who });
      h.clock.advance(run.wait * MINUTE);
      await h.alur.cases.execute({ caseId: c.id, actor: run.who, command: { type: 'start-step', step: 'surat-permintaan-relay' } });
      h.clock.advance(run.work * MINUTE);
      await h.alur.cases.execute({ caseId: c.id, actor: run.who, command: LETTER });
    }
  });
  afterEach(async () => {
    await h.alur.close();
  });

  it('gives count, median, p90, max, share within budget and waiting time per step', async () => {
    const rows = await timingStats(db.knex, { ...WITA, sopId: 'pontianak-relay-tayangan' });
    expect(rows).toEqual([{
      sopId: 'pontianak-relay-tayangan', revision: 1, stepId: 'surat-permintaan-relay', group: null, count: 3,
      budgetMs: 15 * MINUTE, medianMs: 14 * MINUTE, p90Ms: 18.8 * MINUTE, maxMs: 20 * MINUTE,
      withinBudget: 2 / 3, overdue: 0, medianWaitMs: 5 * MINUTE, maxWaitMs: 10 * MINUTE,
    }]);
  });

  it('splits by actor, by day and by shift in the SOP\'s time zone', async () => {
    const byActor = await timingStats(db.knex, { ...WITA, groupBy: 'actor' });
    expect(byActor.map((r) => [r.group, r.count, r.medianMs / MINUTE, r.withinBudget])).toEqual([['uray', 2, 12, 1], ['wakil', 1, 20, 0]]);
    const byDay = await timingStats(db.knex, { ...WITA, groupBy: 'day' });
    expect(byDay.map((r) => [r.group, r.count])).toEqual([['2026-03-02', 3]]);
    const byShift = await timingStats(db.knex, { ...WITA, groupBy: 'shift' });
    expect(byShift.map((r) => [r.group, r.count, r.maxMs / MINUTE])).toEqual([['07:00', 2, 14], ['15:00', 1, 20]]);
    const nightShiftZone = await timingStats(db.knex, { timeZone: 'UTC', shiftStartHours: [7, 15, 23], groupBy: 'shift' });
    expect(nightShiftZone.map((r) => [r.group, r.count])).toEqual([['07:00', 1], ['23:00', 2]]);
  });

  it('leaves steps that are still open out', async () => {
    const rows = await timingStats(db.knex, { ...WITA });
    expect(rows.map((r) => r.stepId)).toEqual(['surat-permintaan-relay']);
  });
});
