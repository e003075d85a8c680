import { beforeEach, describe, expect, it } from 'vitest';
import { timingStats } from '../../src/adapters/store/timing-stats.js';
import { MINUTE, person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const WITA = { timeZone: 'Asia/Makassar', shiftStartHours: [7, 15, 23] };
const LETTER = { type: 'complete' as const, step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['A'] } };

describe.each(dialects)('timing statistics on $name', (dialect) => {
  const t = useHarness(dialect);
  beforeEach(async () => {
    // Three letters (budget 15 menit): waits 0/5/10 min, work 10/14/20 min; the third by a deputy in the afternoon shift.
    const runs = [
      { who: person('uray', 'kadis'), startAfter: 0, wait: 0, work: 10 },
      { who: person('uray', 'kadis'), startAfter: 60, wait: 5, work: 14 },
      { who: person('wakil', 'kadis'), startAfter: 8 * 60, wait: 10, work: 20 },
    ];
    const t0 = t.h.clock.now().getTime(); // 08:00 WITA
    for (const run of runs) {
      t.h.clock.set(new Date(t0 + run.startAfter * MINUTE));
      const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: run.who });
      t.h.clock.advance(run.wait * MINUTE);
      await t.h.alur.cases.execute({ caseId: c.id, actor: run.who, command: { type: 'start-step', step: 'surat-permintaan-relay' } });
      t.h.clock.advance(run.work * MINUTE);
      await t.h.alur.cases.execute({ caseId: c.id, actor: run.who, command: LETTER });
    }
  });

  it('gives count, median, p90, max, share within budget and waiting time per step', async () => {
    const rows = await timingStats(t.db.knex, { ...WITA, sopId: 'pontianak-relay-tayangan' });
    expect(rows).toEqual([{
      sopId: 'pontianak-relay-tayangan', revision: 1, stepId: 'surat-permintaan-relay', group: null, count: 3,
      budgetMs: 15 * MINUTE, medianMs: 14 * MINUTE, p90Ms: 18.8 * MINUTE, maxMs: 20 * MINUTE,
      withinBudget: 2 / 3, overdue: 0, medianWaitMs: 5 * MINUTE, maxWaitMs: 10 * MINUTE,
    }]);
  });

  it('splits by actor, by day and by shift in the SOP\'s time zone', async () => {
    const byActor = await timingStats(t.db.knex, { ...WITA, groupBy: 'actor' });
    expect(byActor.map((r) => [r.group, r.count, r.medianMs / MINUTE, r.withinBudget])).toEqual([['uray', 2, 12, 1], ['wakil', 1, 20, 0]]);
    const byDay = await timingStats(t.db.knex, { ...WITA, groupBy: 'day' });
    expect(byDay.map((r) => [r.group, r.count])).toEqual([['2026-03-02', 3]]);
    const byShift = await timingStats(t.db.knex, { ...WITA, groupBy: 'shift' });
    expect(byShift.map((r) => [r.group, r.count, r.maxMs / MINUTE])).toEqual([['07:00', 2, 14], ['15:00', 1, 20]]);
    const nightShiftZone = await timingStats(t.db.knex, { timeZone: 'UTC', shiftStartHours: [7, 15, 23], groupBy: 'shift' });
    expect(nightShiftZone.map((r) => [r.group, r.count])).toEqual([['07:00', 1], ['23:00', 2]]);
  });

  it('leaves steps that are still open out', async () => {
    const rows = await timingStats(t.db.knex, { ...WITA });
    expect(rows.map((r) => r.stepId)).toEqual(['surat-permintaan-relay']);
  });
});
