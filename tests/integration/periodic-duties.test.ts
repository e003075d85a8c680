/**
 * Acceptance for periodic duties, durably: an 8-hour shift where the officer patrols every hour
 * (a loop with `every`) and a supervisor inspects every two hours (a duty), on a virtual clock,
 * on PGlite and PostgreSQL. Rounds are jobs rows; Alur is restarted (a new process's worth of
 * services on the same database) in the middle, while rounds come due, and none is lost.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock.js';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { listNotifications } from '../../src/adapters/store/notifications-table.js';
import { caseTimeline } from '../../src/adapters/store/step-executions-table.js';
import { upsertOrganization } from '../../src/adapters/store/accounts-table.js';
import { openAlur, type Alur } from '../../src/app/alur.js';
import { auditCase } from '../../src/app/audit.js';
import { getCaseRow } from '../../src/adapters/store/cases-table.js';
import { publishSop } from '../../src/app/publish-sop.js';
import type { Database } from '../../src/adapters/store/database.js';
import { MINUTE, person, recordingRunner } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const FILE = new URL('../fixtures/sops/shift-patroli-inspeksi.yaml', import.meta.url);
const andi = person('andi', 'petugas');
const sri = person('sri', 'supervisor');
const HOUR = 60 * MINUTE;

describe.each(dialects)('an 8-hour shift with periodic rounds on $name', (dialect) => {
  it('patrols every hour and inspects every two hours; a skipped inspection is overdue, escalated and missed; a restart loses no round', async () => {
    const db: Database = await dialect.open();
    const clock = new ManualClock('2026-03-02T07:00:00.000Z');
    const t0 = clock.now().getTime();
    const open = (): Promise<Alur> => openAlur({ database: { ...db, close: async () => undefined }, clock, adapters: recordingRunner(), migrate: false });
    let alur = await open();
    try {
      await upsertOrganization(db.knex, { id: 'kota-uji', name: 'Kota Uji', timeZone: 'Asia/Makassar' }, clock.now());
      await publishSop(db.knex, { source: readFileSync(FILE, 'utf8'), file: 'shift-patroli-inspeksi.yaml', by: 'test', at: clock.now(), organizationId: 'kota-uji' });
      const { case: c } = await alur.cases.startCase({ sopId: 'shift-patroli-inspeksi', actor: andi, title: 'Shift pagi' });
      const until = async (hours: number) => {
        clock.set(new Date(t0 + hours * HOUR));
        await alur.runBackgroundWork();
      };
      const go = (actor: typeof andi, command: Parameters<Alur['cases']['execute']>[0]['command']) => alur.cases.execute({ caseId: c.id, actor, command });
      const patrol = async (area: string) => {
        await go(andi, { type: 'complete', step: 'patroli', output: { area } });
        await go(andi, { type: 'choose', step: 'shift-berakhir', branch: 'repeat' });
      };
      const inspect = () => go(sri, { type: 'complete', step: 'inspeksi-supervisor', checklist: ['Daftar periksa inspeksi'], output: { kondisi: 'baik' } });

      await until(0.2);
      await go(andi, { type: 'complete', step: 'serah-terima-awal' }); // patrol round 1 begins at 0.2 h
      await until(0.5);
      await patrol('Simpang Grand');
      await until(1.2); // round 2 due
      await patrol('Pasar');
      await until(2); // inspection round 1
      await inspect();
      await until(2.2);
      await patrol('Pelabuhan');
      await until(3.2);
      await patrol('Bandara');
      await until(4); // inspection round 2
      await until(4.2); // patrol round 5
      // The supervisor skips inspection round 2: overdue at 4 h 15, escalated.
      await until(4.25);

      // Restart: these services go; new ones on the same database must pick every round up.
      await alur.close();
      clock.set(new Date(t0 + 6.5 * HOUR)); // while down: patrol round 6 (5.2 h) and inspection round 3 (6 h) came due
      alur = await open();
      await alur.runBackgroundWork();
      expect((await getCaseRow(db.knex, c.id))?.activeSteps.sort()).toEqual(['inspeksi-supervisor', 'patroli']);
      await inspect();
      // Patrol round 5 ran past its hour, so round 6 begins as soon as it is done.
      await patrol('Simpang Grand');
      await until(7.5);
      await go(andi, { type: 'complete', step: 'patroli', output: { area: 'Pasar' } });
      await go(andi, { type: 'choose', step: 'shift-berakhir', branch: 'exit' });
      await go(andi, { type: 'complete', step: 'serah-terima-akhir' });
      await until(8); // inspection round 4 would have come due: the case has ended, so none opens
      expect((await getCaseRow(db.knex, c.id))?.status).toBe('completed');

      const timeline = await caseTimeline(db.knex, c.id);
      const hoursOf = (step: string) => timeline.filter((e) => e.stepId === step).map((e) => Math.round(((e.availableAt.getTime() - t0) / HOUR) * 100) / 100);
      // Patrol rounds an hour apart from when each began, or at once when the previous one ran late; the
      // inspection due while Alur was down opened at restart, and the round it overtook is recorded missed.
      expect(hoursOf('patroli')).toEqual([0.2, 1.2, 2.2, 3.2, 4.2, 6.5]);
      expect(hoursOf('inspeksi-supervisor')).toEqual([2, 4, 6.5]);
      const inspections = timeline.filter((e) => e.stepId === 'inspeksi-supervisor');
      expect(inspections.map((e) => [e.visit, e.outcome, e.overdue])).toEqual([[1, 'completed', false], [2, 'missed', true], [3, 'completed', false]]);

      const notes = await listNotifications(db.knex, { caseId: c.id });
      expect(notes.filter((n) => n.stepId === 'inspeksi-supervisor').map((n) => n.kind)).toEqual(
        expect.arrayContaining(['step-available', 'overdue', 'round-missed']),
      );
      expect(notes.find((n) => n.kind === 'round-missed')?.roles).toContain('supervisor');

      // Every round is an event in the chained log; the audit replays them all.
      const ticks = (await listEvents(db.knex, c.id)).filter((e) => e.type === 'timer.fired');
      expect(ticks.filter((e) => !(e.payload as { late?: boolean }).late).length).toBeGreaterThanOrEqual(6);
      expect(await auditCase(db.knex, alur.versions, c.id, alur.auditKeys)).toMatchObject({ ok: true });
    } finally {
      await alur.close();
      await db.close();
    }
  });
});
