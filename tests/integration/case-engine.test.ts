import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { countJobs } from '../../src/adapters/store/jobs-table.js';
import { listNotifications } from '../../src/adapters/store/notifications-table.js';
import { caseTimeline } from '../../src/adapters/store/step-executions-table.js';
import { ConflictError, RefusedError, type CaseActor, type CaseCommand } from '../../src/engine/index.js';
import { MINUTE, person, TEST_ORGANIZATION, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const kadis = person('uray', 'kadis');
const opd = person('opd', 'opd');
const kabid = person('kabid', 'kabid-tkpbet');
const kasi = person('kasi', 'kasi-sptik');

describe.each(dialects)('case engine on $name', (dialect) => {
  const t = useHarness(dialect);

  const run = (caseId: string, actor: CaseActor, command: CaseCommand, idempotencyKey?: string) =>
    t.h.alur.cases.execute({ caseId, actor, command, ...(idempotencyKey ? { idempotencyKey } : {}) });

  /** Wait `waitMin`, start the step, work `workMin`, then send `finish`. */
  async function step(caseId: string, actor: CaseActor, stepId: string, waitMin: number, workMin: number, finish: CaseCommand) {
    t.h.clock.advance(waitMin * MINUTE);
    await run(caseId, actor, { type: 'start-step', step: stepId });
    t.h.clock.advance(workMin * MINUTE);
    return run(caseId, actor, finish);
  }

  it('runs the Pontianak relay to completion and records every step\'s timing exactly', async () => {
    const t0 = t.h.clock.now().getTime();
    const started = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, title: 'Relay Tanjungpura' });
    const id = started.case.id;
    await step(id, kadis, 'surat-permintaan-relay', 2, 12, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] } });
    await step(id, opd, 'beri-akses-tayang', 30, 20, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1:8554/tj', credentialsRef: 'vault:tj' } });
    await step(id, kadis, 'disposisi-ke-bidang', 5, 10, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
    await step(id, kabid, 'disposisi-ke-seksi', 0, 15, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });
    await t.h.alur.runBackgroundWork();
    expect(t.h.runner.calls).toEqual([{ name: 'media.startRelay', step: 'setting-relay', params: { name: 'Tanjungpura', source: 'rtsp://127.0.0.1:8554/tj' } }]);
    await step(id, kasi, 'setting-relay', 1, 45, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'berjalan' } });
    const last = await step(id, kasi, 'lapor-hasil-relay', 0, 16, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Berjalan' } });
    expect(last.case.status).toBe('completed');
    expect(last.case.activeSteps).toEqual([]);

    const timeline = await caseTimeline(t.db.knex, id);
    const minutes = (d: Date | null) => (d === null ? null : (d.getTime() - t0) / MINUTE);
    expect(timeline.map((e) => [e.stepId, minutes(e.availableAt), minutes(e.startedAt), minutes(e.completedAt), e.budgetMs! / MINUTE, e.actors, e.overdue])).toEqual([
      ['surat-permintaan-relay', 0, 2, 14, 15, ['uray'], false],
      // Closed after their waktu ran out (no background work ran to fire the deadline): overdue all the same.
      ['beri-akses-tayang', 14, 44, 64, 15, ['opd'], true],
      ['disposisi-ke-bidang', 64, 69, 79, 15, ['uray'], false],
      ['disposisi-ke-seksi', 79, 79, 94, 15, ['kabid'], false],
      ['setting-relay', 94, 95, 140, 60, ['kasi'], false],
      ['lapor-hasil-relay', 140, 140, 156, 15, ['kasi'], true],
    ]);
    const events = await listEvents(t.db.knex, id);
    expect(events.map((e) => e.type)).toEqual([
      'case.started', ...Array(4).fill(['step.started', 'step.completed']).flat(), 'adapter.succeeded', 'step.started', 'step.completed', 'step.started', 'step.completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const notifications = await listNotifications(t.db.knex, { caseId: id });
    expect(notifications.filter((n) => n.kind === 'step-done')).toMatchObject([{ stepId: 'lapor-hasil-relay', roles: ['kadis'] }]);
    // Every hand-off told the next pelaksana, with the case title and what the step before produced.
    expect(notifications.filter((n) => n.kind === 'step-available').map((n) => [n.stepId, n.roles])).toEqual([
      ['surat-permintaan-relay', ['kadis']], ['beri-akses-tayang', ['opd']], ['disposisi-ke-bidang', ['kadis']], ['disposisi-ke-seksi', ['kabid-tkpbet']],
      ['setting-relay', ['kasi-sptik']], ['lapor-hasil-relay', ['kasi-sptik']],
    ]);
    const access = notifications.find((n) => n.stepId === 'beri-akses-tayang')!;
    expect(access.message).toContain('Relay Tanjungpura');
    expect(access.message).toContain('lokasi: ');
    expect(access.data).toMatchObject({ caseTitle: 'Relay Tanjungpura', previous: { step: 'surat-permintaan-relay', output: { nomorSurat: '555/1' } } });
  });

  it('marks a step overdue when its waktu runs out from the moment it became available, once, and escalates, with nobody pressing start', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    t.h.clock.advance(15 * MINUTE - 1);
    await t.h.alur.runBackgroundWork();
    expect((await caseTimeline(t.db.knex, c.id))[0]!.overdue).toBe(false);
    t.h.clock.advance(1);
    await t.h.alur.runBackgroundWork();
    await t.h.alur.runBackgroundWork();
    const [first] = await caseTimeline(t.db.knex, c.id);
    expect(first!.overdue).toBe(true);
    const overdue = (await listEvents(t.db.knex, c.id)).filter((e) => e.type === 'step.overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.payload).toEqual({ step: 'surat-permintaan-relay', visit: 1 });
    const escalated = (await listNotifications(t.db.knex, { caseId: c.id, roles: ['kadis'] })).filter((n) => n.kind === 'overdue');
    expect(escalated).toMatchObject([{ kind: 'overdue', stepId: 'surat-permintaan-relay' }]);
    // Completing late still works, and the late completion keeps its overdue mark.
    t.h.clock.advance(5 * MINUTE);
    await run(c.id, kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['x'] } });
    expect((await caseTimeline(t.db.knex, c.id))[0]).toMatchObject({ overdue: true, outcome: 'completed' });
  });

  it('cancels a deadline when the step completes in time', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    await run(c.id, kadis, { type: 'start-step', step: 'surat-permintaan-relay' });
    await run(c.id, kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['x'] } });
    t.h.clock.advance(60 * MINUTE);
    await t.h.alur.runBackgroundWork();
    const overdue = (await listEvents(t.db.knex, c.id)).filter((e) => e.type === 'step.overdue').map((e) => e.payload);
    // The letter was on time; the next step, left open for an hour against its 15 minutes, is not.
    expect(overdue).toEqual([{ step: 'beri-akses-tayang', visit: 1 }]);
    expect(await countJobs(t.db.knex, { kind: 'deadline', status: 'cancelled', caseId: c.id })).toBe(1);
  });

  it('refuses with reasons, and reports a conflict for a step that is no longer open', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    await expect(run(c.id, opd, { type: 'complete', step: 'surat-permintaan-relay' })).rejects.toThrow(RefusedError);
    await expect(run(c.id, kadis, { type: 'complete', step: 'disposisi-ke-seksi' })).rejects.toThrow(new ConflictError('step "disposisi-ke-seksi" is not open; the case is now at "surat-permintaan-relay"', ['surat-permintaan-relay'], 1));
    const events = await listEvents(t.db.knex, c.id);
    expect(events).toHaveLength(1);
  });

  it('returns the first result for a repeated idempotency key and appends nothing', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, idempotencyKey: 'start-1' });
    const again = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, idempotencyKey: 'start-1' });
    expect(again.duplicate).toBe(true);
    expect(again.case.id).toBe(c.id);
    const first = await run(c.id, kadis, { type: 'start-step', step: 'surat-permintaan-relay' }, 'k1');
    const second = await run(c.id, kadis, { type: 'start-step', step: 'surat-permintaan-relay' }, 'k1');
    expect(second.duplicate).toBe(true);
    expect(second.event).toEqual(first.event);
    expect(await listEvents(t.db.knex, c.id)).toHaveLength(2);
  });

  it('lets exactly one of 20 concurrent completions of a step through', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const complete: CaseCommand = { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['x'] } };
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => run(c.id, person(`kadis-${i}`, 'kadis'), complete)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(19);
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(ConflictError);
      expect((f.reason as Error).message).toMatch(/step "surat-permintaan-relay" is not open; the case is now at "beri-akses-tayang"|the case kept changing/);
    }
    expect((await listEvents(t.db.knex, c.id)).map((e) => e.type)).toEqual(['case.started', 'step.completed']);
  });

  it('applies 20 concurrent retries of one idempotent command once', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const results = await Promise.all(Array.from({ length: 20 }, () => run(c.id, kadis, { type: 'add-note', text: 'Surat sedang disiapkan' }, 'note-1')));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.hash)).size).toBe(1);
    expect(await listEvents(t.db.knex, c.id)).toHaveLength(2);
  });

  it('keeps a case on the version it started with after a new version is published', async () => {
    const { publishSop } = await import('../../src/app/publish-sop.js');
    const { seedText } = await import('../support/seeds.js');
    const { case: onV1 } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const v2Source = seedText('pontianak').replace('time: 60 menit', 'time: 90 menit').replace('totalTime: 135 menit', 'totalTime: 165 menit');
    const v2 = await publishSop(t.db.knex, { source: v2Source, file: 'v2.yaml', by: 'owner', at: t.h.clock.now(), organizationId: TEST_ORGANIZATION });
    expect(v2).toMatchObject({ created: true, version: { revision: 2 } });
    const again = await publishSop(t.db.knex, { source: v2Source, file: 'v2.yaml', by: 'owner', at: t.h.clock.now(), organizationId: TEST_ORGANIZATION });
    expect(again).toMatchObject({ created: false, version: { revision: 2 } });
    const { case: onV2 } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    expect(onV2.sopVersionId).toBe(v2.version.id);
    expect(onV1.sopVersionId).not.toBe(v2.version.id);
    for (const id of [onV1.id, onV2.id]) {
      await run(id, kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['x'] } });
      await run(id, opd, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'a', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } });
      await run(id, kadis, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
      await run(id, kabid, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });
    }
    const budgetOf = async (id: string) => (await caseTimeline(t.db.knex, id)).find((e) => e.stepId === 'setting-relay')!.budgetMs;
    expect(await budgetOf(onV1.id)).toBe(60 * MINUTE);
    expect(await budgetOf(onV2.id)).toBe(90 * MINUTE);
    for (const id of [onV1.id, onV2.id]) {
      await run(id, kasi, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'a', playUrl: 'http://127.0.0.1/a.flv', status: 'gagal' } });
      const done = await run(id, kasi, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'ok' } });
      expect(done.case.status).toBe('completed');
    }
  });
});

describe.each(dialects)('publishing on $name', (dialect) => {
  it('lets two organisations publish the same SOP id at once, each its own revision 1, and starts each one\'s case on its own', async () => {
    const fresh = await dialect.open();
    try {
      const { publishSop } = await import('../../src/app/publish-sop.js');
      const { upsertOrganization } = await import('../../src/adapters/store/accounts-table.js');
      const { CaseService, AmbiguousSopError } = await import('../../src/app/case-service.js');
      const { VersionRegistry } = await import('../../src/app/version-registry.js');
      const { seedText } = await import('../support/seeds.js');
      const at = new Date('2026-03-02T00:00:00Z');
      for (const id of ['kota-a', 'kota-b']) await upsertOrganization(fresh.knex, { id, name: id, timeZone: 'Asia/Makassar' }, at);
      const source = seedText('pontianak');
      const [a, b] = await Promise.all([
        publishSop(fresh.knex, { source, file: 'a.yaml', by: 'a', at, organizationId: 'kota-a' }),
        publishSop(fresh.knex, { source: source.replace('version: 1', 'version: 2'), file: 'b.yaml', by: 'b', at, organizationId: 'kota-b' }),
      ]);
      expect([a.version.revision, b.version.revision]).toEqual([1, 1]);
      expect([a.version.organizationId, b.version.organizationId]).toEqual(['kota-a', 'kota-b']);
      const service = new CaseService({ db: fresh.knex, clock: { now: () => at }, versions: new VersionRegistry() });
      const inB = await service.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, organizationId: 'kota-b' });
      expect(inB.case.sopVersionId).toBe(b.version.id);
      await expect(service.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis })).rejects.toThrow(AmbiguousSopError);
    } finally {
      await fresh.close();
    }
  });
});
