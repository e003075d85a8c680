/**
 * A step completed after its waktu ran out, before the scheduler fired its deadline (it was
 * behind, or Alur was down): the deadline is cancelled with the step, but the timeline still says
 * the step was overdue, the statistics count it so, and the audit's replay agrees. Found by
 * `npm run soak`'s crash loop (6–42 % of due deadlines were closed this way under kill -9).
 */
import { describe, expect, it } from 'vitest';
import { caseTimeline } from '../../src/adapters/store/step-executions-table.js';
import { auditCase } from '../../src/app/audit.js';
import { MINUTE, person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');
const LETTER = { type: 'complete' as const, step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] } };

describe.each(dialects)('a step closed late before its deadline fired, on $name', (dialect) => {
  const t = useHarness(dialect);

  it('is overdue in the timeline, and the audit replays it so', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, title: 'Relay Tanjungpura' });
    t.h.clock.advance(20 * MINUTE); // the letter's waktu is 15 menit; no background work has run
    await t.h.alur.cases.execute({ caseId: c.id, actor: kadis, command: LETTER });
    await t.h.alur.runBackgroundWork();
    const letter = (await caseTimeline(t.db.knex, c.id)).find((e) => e.stepId === 'surat-permintaan-relay')!;
    expect(letter).toMatchObject({ overdue: true, completedAt: new Date(letter.availableAt.getTime() + 20 * MINUTE) });
    expect(await auditCase(t.db.knex, t.h.alur.versions, c.id, t.h.alur.auditKeys)).toMatchObject({ ok: true });
  });

  it('is not overdue when closed within its waktu', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, title: 'Relay Tanjungpura' });
    t.h.clock.advance(15 * MINUTE); // exactly at the due time: still within the waktu
    await t.h.alur.cases.execute({ caseId: c.id, actor: kadis, command: LETTER });
    const letter = (await caseTimeline(t.db.knex, c.id)).find((e) => e.stepId === 'surat-permintaan-relay')!;
    expect(letter.overdue).toBe(false);
    expect(await auditCase(t.db.knex, t.h.alur.versions, c.id, t.h.alur.auditKeys)).toMatchObject({ ok: true });
  });
});
