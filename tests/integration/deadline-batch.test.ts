/**
 * Deadlines fired in bulk (CaseService.executeBatch through the scheduler's claimed batches): each
 * exactly once, in one read and one write for the batch, with the same event chain, heads, overdue
 * marks and notifications as a command of its own; a deadline whose event was already recorded is
 * a duplicate; a case advanced since it was read is left to a command of its own.
 */
import { describe, expect, it } from 'vitest';
import { auditAllCases } from '../../src/app/audit.js';
import { readForCommand, writeSimpleCommands } from '../../src/adapters/store/case-command-sql.js';
import { fireDueDeadlines } from '../../src/app/deadlines.js';
import { SYSTEM_ACTOR } from '../../src/engine/index.js';
import { MINUTE, person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');

describe.each(dialects)('deadlines fired in bulk on $name', (dialect) => {
  const t = useHarness(dialect);
  const count = async (table: string, where: Record<string, unknown>) => Number((await t.db.knex(table).where(where).count<{ n: string }[]>({ n: '*' }))[0]!.n);

  it('fires each of 25 due deadlines exactly once, in a handful of statements, as single commands would record them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) ids.push((await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis })).case.id);
    // One case whose step was done in time: its deadline was cancelled and must not fire (the next step's is due at 25 minutes).
    t.h.clock.advance(10 * MINUTE);
    await t.h.alur.cases.execute({ caseId: ids[0]!, actor: kadis, command: { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-04-08', lokasi: ['A'] } } });
    t.h.clock.advance(6 * MINUTE);
    const committed: string[] = [];
    t.h.alur.cases.onCommitted((change) => committed.push(change.caseId));

    let statements = 0;
    // The live-view relay's pg_notify (PostgreSQL, one per change, after commit) is not the command's work.
    const onQuery = (query: { sql: string }) => { if (!query.sql.includes('pg_notify')) statements += 1; };
    t.db.knex.on('query', onQuery);
    const fired = await fireDueDeadlines({ db: t.db.knex, clock: t.h.clock, service: t.h.alur.cases });
    t.db.knex.off('query', onQuery);

    expect(fired.map((f) => f.caseId).sort()).toEqual(ids.slice(1).sort());
    expect(fired.every((f) => f.seq === 2 && !f.late && f.step === 'surat-permintaan-relay')).toBe(true);
    // Claim, read, write, finish (and the claim that finds nothing more): not 5+ per deadline.
    expect(statements).toBeLessThanOrEqual(6);
    expect(committed.sort()).toEqual(ids.slice(1).sort());
    for (const id of ids.slice(1)) {
      const events = await t.db.knex('case_events').where({ case_id: id }).orderBy('seq');
      expect(events.map((e) => [e.seq, e.type, e.idempotency_key?.startsWith('deadline:') ?? false])).toEqual([[1, 'case.started', false], [2, 'step.overdue', true]]);
      expect((await t.db.knex('cases').where({ id }).first()).seq).toBe(2);
      expect(await count('case_heads', { case_id: id, seq: 2 })).toBe(1);
      expect(await count('step_executions', { case_id: id, step_id: 'surat-permintaan-relay', overdue: true })).toBe(1);
      expect(await count('notifications', { case_id: id, kind: 'overdue' })).toBe(1);
    }
    expect(await count('jobs', { kind: 'deadline', status: 'running' })).toBe(0);
    expect(await count('case_events', { type: 'step.overdue' })).toBe(24);
    // The chains and heads check out, the replay included.
    expect((await auditAllCases(t.db.knex, t.h.alur.versions)).filter((a) => !a.ok)).toEqual([]);
    // Nothing more is due.
    expect(await fireDueDeadlines({ db: t.db.knex, clock: t.h.clock, service: t.h.alur.cases })).toEqual([]);
  });

  it('records nothing twice when a deadline fires again after its lease ran out (the first firing committed, its job was never finished)', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    t.h.clock.advance(16 * MINUTE);
    const [first] = await fireDueDeadlines({ db: t.db.knex, clock: t.h.clock, service: t.h.alur.cases });
    await t.db.knex('jobs').where({ case_id: c.id, kind: 'deadline' }).update({ status: 'pending', finished_at: null });
    const again = await fireDueDeadlines({ db: t.db.knex, clock: t.h.clock, service: t.h.alur.cases });
    expect(again.map((f) => [f.caseId, f.seq])).toEqual([[c.id, first!.seq]]);
    expect(await count('case_events', { case_id: c.id, type: 'step.overdue' })).toBe(1);
    expect(await count('notifications', { case_id: c.id, kind: 'overdue' })).toBe(1);
    expect(await count('jobs', { case_id: c.id, kind: 'deadline', status: 'done' })).toBe(1);
  });

  it('writes nothing of a case that was advanced after it was read', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const read = (await readForCommand(t.db.knex, c.id, null))!;
    await t.h.alur.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'sela' } });
    const at = t.h.clock.now();
    const event = {
      caseId: c.id, seq: read.row.seq + 1, type: 'step.overdue', payload: { step: 'surat-permintaan-relay', visit: 1 }, actorId: SYSTEM_ACTOR.id, actorRoles: SYSTEM_ACTOR.roles,
      at, idempotencyKey: 'deadline:x', keyId: null, prevHash: read.lastHash, hash: 'f'.repeat(64),
    };
    const advanced = await writeSimpleCommands(t.db.knex, [{
      state: { snapshot: read.row.snapshot, activeSteps: read.row.activeSteps, at }, expectedSeq: read.row.seq, event, organizationId: read.row.organizationId,
      overdue: { stepId: 'surat-permintaan-relay', visit: 1 }, notifications: [{ kind: 'overdue', stepId: 'surat-permintaan-relay', roles: ['kadis'], message: 'x', data: {} }],
    }]);
    expect(advanced.size).toBe(0);
    expect(await count('case_events', { case_id: c.id, type: 'step.overdue' })).toBe(0);
    expect(await count('step_executions', { case_id: c.id, overdue: true })).toBe(0);
    expect(await count('notifications', { case_id: c.id, kind: 'overdue' })).toBe(0);
    expect((await t.db.knex('cases').where({ id: c.id }).first()).seq).toBe(2);
  });
});
