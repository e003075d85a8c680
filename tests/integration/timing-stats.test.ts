import { beforeEach, describe, expect, it } from 'vitest';
import { caseTimings, type CaseTimingQuery } from '../../src/adapters/store/case-timings.js';
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

  it('gives count, median, p90, max from available to completed against the waktu, the share within it, and waiting and work apart', async () => {
    const rows = await timingStats(t.db.knex, { ...WITA, sopId: 'pontianak-relay-tayangan' });
    // Available → completed: 10, 19 and 30 minutes against 15; the two late ones are overdue, though no deadline fired.
    expect(rows).toEqual([{
      sopId: 'pontianak-relay-tayangan', revision: 1, versionId: expect.any(Number), stepId: 'surat-permintaan-relay', group: null, count: 3,
      budgetMs: 15 * MINUTE, medianMs: 19 * MINUTE, p90Ms: 27.8 * MINUTE, maxMs: 30 * MINUTE,
      withinBudget: 1 / 3, medianWorkMs: 14 * MINUTE, overdue: 2, medianWaitMs: 5 * MINUTE, maxWaitMs: 10 * MINUTE,
    }]);
  });

  it('splits by actor, by day and by shift in the SOP\'s time zone', async () => {
    const byActor = await timingStats(t.db.knex, { ...WITA, groupBy: 'actor' });
    expect(byActor.map((r) => [r.group, r.count, r.medianMs / MINUTE, r.withinBudget])).toEqual([['uray', 2, 14.5, 0.5], ['wakil', 1, 30, 0]]);
    const byDay = await timingStats(t.db.knex, { ...WITA, groupBy: 'day' });
    expect(byDay.map((r) => [r.group, r.count])).toEqual([['2026-03-02', 3]]);
    const byShift = await timingStats(t.db.knex, { ...WITA, groupBy: 'shift' });
    expect(byShift.map((r) => [r.group, r.count, r.maxMs / MINUTE])).toEqual([['07:00', 2, 19], ['15:00', 1, 30]]);
    const nightShiftZone = await timingStats(t.db.knex, { timeZone: 'UTC', shiftStartHours: [7, 15, 23], groupBy: 'shift' });
    expect(nightShiftZone.map((r) => [r.group, r.count])).toEqual([['07:00', 1], ['23:00', 2]]);
  });

  it('lists the cases behind one row of a grouped table, and counts only a period of local days', async () => {
    const behind = async (query: Partial<CaseTimingQuery>) =>
      (await caseTimings(t.db.knex, { ...WITA, stepId: 'surat-permintaan-relay', limit: 10, ...query })).map((c) => c.step!.maxMs / MINUTE).sort((a, b) => a - b);
    expect(await behind({})).toEqual([10, 19, 30]);
    expect(await behind({ group: { by: 'actor', value: 'uray' } })).toEqual([10, 19]);
    expect(await behind({ group: { by: 'actor', value: 'wakil' } })).toEqual([30]);
    expect(await behind({ group: { by: 'shift', value: '15:00' } })).toEqual([30]);
    expect(await behind({ group: { by: 'day', value: '2026-03-02' }, fromDay: '2026-03-02', toDay: '2026-03-02' })).toEqual([10, 19, 30]);
    expect(await behind({ toDay: '2026-03-01' })).toEqual([]);
    expect(await timingStats(t.db.knex, { ...WITA, fromDay: '2026-03-03' })).toEqual([]);
    expect((await timingStats(t.db.knex, { ...WITA, fromDay: '2026-03-02', toDay: '2026-03-02' }))[0]?.count).toBe(3);
    // The days are the zone's: in Los Angeles the two morning letters (WITA) were done on 1 March.
    expect((await timingStats(t.db.knex, { ...WITA, timeZone: 'America/Los_Angeles', toDay: '2026-03-01' }))[0]?.count).toBe(2);
  });

  it('leaves steps that are still open out', async () => {
    const rows = await timingStats(t.db.knex, { ...WITA });
    expect(rows.map((r) => r.stepId)).toEqual(['surat-permintaan-relay']);
  });
});

describe.each(dialects)('timing in SOP order with case totals on $name', (dialect) => {
  const t = useHarness(dialect);
  const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
  const kadis = person('uray', 'kadis');

  it('lists steps as the SOP prints them, with their row numbers, and each case\'s total against the jumlah waktu', async () => {
    for (const minutesPerStep of [10, 30]) {
      const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
      const go = async (actor: ReturnType<typeof person>, command: Parameters<typeof t.h.alur.cases.execute>[0]['command']) => {
        t.h.clock.advance(minutesPerStep * MINUTE);
        await t.h.alur.cases.execute({ caseId: c.id, actor, command });
      };
      await go(kadis, LETTER);
      await go(person('opd', 'opd'), { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'a', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } });
      await go(kadis, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
      await go(person('kabid', 'kabid-tkpbet'), { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });
      await go(person('kasi', 'kasi-sptik'), { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'a', playUrl: 'http://127.0.0.1/a.flv', status: 'gagal' } });
      await go(person('kasi', 'kasi-sptik'), { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'ok' } });
    }
    const { timingForOrganization } = await import('../../src/app/case-queries.js');
    const timing = await timingForOrganization(t.h.alur, undefined, { defaultTimeZone: WITA.timeZone, shiftStartHours: WITA.shiftStartHours, groupBy: 'step', sopId: 'pontianak-relay-tayangan' });
    expect(timing.steps.map((s) => [s.row, s.stepId])).toEqual([
      [1, 'surat-permintaan-relay'], [2, 'beri-akses-tayang'], [3, 'disposisi-ke-bidang'], [4, 'disposisi-ke-seksi'], [5, 'setting-relay'], [6, 'lapor-hasil-relay'],
    ]);
    // Two cases of 6 × 10 and 6 × 30 minutes against the declared 135 minutes.
    expect(timing.cases).toEqual([{
      sopId: 'pontianak-relay-tayangan', revision: 1, versionId: expect.any(Number), count: 2,
      medianMs: 120 * MINUTE, p90Ms: 168 * MINUTE, maxMs: 180 * MINUTE, declaredMs: 135 * MINUTE, medianWithinDeclared: true,
    }]);
  });
});
