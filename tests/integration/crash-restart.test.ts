import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/adapters/store/database.js';
import { migrateToLatest } from '../../src/adapters/store/migrate.js';
import { auditAllCases } from '../../src/app/audit.js';
import { publishSop } from '../../src/app/publish-sop.js';
import { VersionRegistry } from '../../src/app/version-registry.js';
import { startEngineChild, type EngineChild } from '../support/child-process.js';
import { SEED_FILES, seedText } from '../support/seeds.js';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();
const kadis = { id: 'uray', roles: ['kadis'] };
const opd = { id: 'opd', roles: ['opd'] };
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

interface Target {
  name: string;
  childArgs: string[];
  options: DatabaseOptions;
  cleanup(): Promise<void>;
}

function targets(): Target[] {
  const dir = mkdtempSync(join(tmpdir(), 'alur-crash-'));
  const list: Target[] = [{ name: 'pglite', childArgs: ['pglite', join(dir, 'data')], options: { dataDir: join(dir, 'data') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }];
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `crash_${randomBytes(5).toString('hex')}`;
    list.push({
      name: 'postgres', childArgs: ['postgres', url, schema], options: { databaseUrl: url, schema },
      cleanup: async () => {
        const db = await openDatabase({ databaseUrl: url });
        await db.knex.raw(`drop schema if exists ${schema} cascade`);
        await db.close();
      },
    });
  }
  return list;
}

/** Four cases of the Pontianak SOP, interleaved; each ends with a started, unfinished step (a pending deadline). */
function commandStream(minuteOffset: number) {
  const messages: object[] = [];
  let minute = minuteOffset;
  const cases = ['c1', 'c2', 'c3', 'c4'];
  for (const c of cases) messages.push({ op: 'start-case', key: `${c}:start`, sopId: 'pontianak-relay-tayangan', actor: kadis, at: at(minute++) });
  const perCase = [
    (c: string) => ({ key: `${c}:s1`, actor: kadis, command: { type: 'start-step', step: 'surat-permintaan-relay' } }),
    (c: string) => ({ key: `${c}:c1`, actor: kadis, command: { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: c, tanggal: '2026-03-02', lokasi: ['A'] } } }),
    (c: string) => ({ key: `${c}:s2`, actor: opd, command: { type: 'start-step', step: 'beri-akses-tayang' } }),
    (c: string) => ({ key: `${c}:c2`, actor: opd, command: { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: c, streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } } }),
    (c: string) => ({ key: `${c}:s3`, actor: kadis, command: { type: 'start-step', step: 'disposisi-ke-bidang' } }),
  ];
  for (const make of perCase) for (const c of cases) messages.push({ op: 'command', caseKey: `${c}:start`, ...make(c), at: at(minute++) });
  return messages as Array<{ key: string; at: string }>;
}

describe.each(targets())('a crash in the middle of a command stream on $name', (target) => {
  let child: EngineChild | undefined;
  afterEach(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    await target.cleanup();
  });

  it('loses no acknowledged command, half-applies none, applies retries once and fires every deadline', async () => {
    const setup: Database = await openDatabase(target.options);
    await migrateToLatest(setup);
    await publishSop(setup.knex, { source: seedText('pontianak'), file: SEED_FILES.pontianak, by: 'test', at: new Date(T0) });
    await setup.close();

    // First life: send all 24 commands at once, kill -9 after 18 acknowledgements. The child pauses
    // between each commit and its acknowledgement, so the kill likely lands on a committed but unacknowledged command.
    child = startEngineChild(target.childArgs, { CHILD_ACK_DELAY_MS: '30' });
    await child.until((m) => m.some((x) => x.ready));
    const stream = commandStream(0);
    for (const message of stream) child.send(message);
    await child.until((m) => m.filter((x) => x.ack).length >= 18);
    child.process.kill('SIGKILL');
    await child.exited;
    const acked = child.messages.filter((m) => m.ack) as Array<{ ack: string; seq: number; caseId: string }>;
    expect(child.messages.filter((m) => m.nack)).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(18);
    expect(acked.length).toBeLessThan(stream.length);

    // Second life, three hours later: deadlines that came due meanwhile fire at start-up.
    const restartAt = at(180);
    child = startEngineChild(target.childArgs, { CHILD_START_AT: restartAt });
    const second = child;
    await second.until((m) => m.some((x) => x.ready), 90_000);
    // The client retries everything it sent, with the same idempotency keys.
    const retried = commandStream(181);
    for (const message of retried) second.send(message);
    second.send({ op: 'tick', key: 'final-tick', at: at(400) });
    await second.until((m) => m.some((x) => x.ack === 'final-tick'));
    expect(second.messages.filter((m) => m.nack)).toEqual([]);
    second.process.stdin.end();
    expect(await second.exited).toBe(0);

    const db = await openDatabase(target.options);
    try {
      const events = await db.knex('case_events').select('case_id', 'seq', 'type', 'idempotency_key', 'at').orderBy(['case_id', 'seq']);
      // Every command is in the log exactly once; every acknowledged one where it was acknowledged.
      const byKey = new Map<string, Array<{ case_id: string; seq: number }>>();
      for (const e of events) if (e.idempotency_key) byKey.set(e.idempotency_key, [...(byKey.get(e.idempotency_key) ?? []), e]);
      for (const message of stream) expect(byKey.get(message.key), message.key).toHaveLength(1);
      for (const a of acked) expect(byKey.get(a.ack)![0]).toMatchObject({ case_id: a.caseId, seq: a.seq });
      const secondAcks = second.messages.filter((m) => m.ack && m.ack !== 'final-tick') as Array<{ ack: string; duplicate?: boolean }>;
      for (const a of secondAcks) if (acked.some((first) => first.ack === a.ack) && !a.ack.endsWith(':start')) expect(a.duplicate, a.ack).toBe(true);

      // Nothing half-applied: chains intact, replays match, open executions match open steps.
      const audits = await auditAllCases(db.knex, new VersionRegistry());
      expect(audits).toHaveLength(4);
      expect(audits.every((a) => a.ok)).toBe(true);
      const cases = await db.knex('cases').select('id', 'active_steps', 'seq');
      for (const c of cases) {
        const open = await db.knex('step_executions').where({ case_id: c.id }).whereNull('completed_at').pluck('step_id');
        expect(open).toEqual(c.active_steps);
        const commandTypes = events.filter((e) => e.case_id === c.id && e.type !== 'step.overdue').map((e) => e.type);
        expect(commandTypes).toEqual(['case.started', 'step.started', 'step.completed', 'step.started', 'step.completed', 'step.started']);
      }

      // Every deadline fired once: none left pending, one overdue event per fired deadline.
      const jobs = await db.knex('jobs').where({ kind: 'deadline' }).select('id', 'status', 'step_execution_id', 'run_at');
      expect(jobs.filter((j) => j.status === 'pending')).toEqual([]);
      const fired = jobs.filter((j) => j.status === 'done');
      const overdue = events.filter((e) => e.type === 'step.overdue');
      expect(overdue.map((e) => e.idempotency_key).sort()).toEqual(fired.map((j) => `deadline:${j.id}`).sort());
      // Deadlines that came due while no process ran fired at the restart itself, before any new command.
      const dueWhileDown = fired.filter((j) => j.run_at.getTime() <= Date.parse(restartAt));
      expect(dueWhileDown.length).toBeGreaterThan(0);
      for (const job of dueWhileDown) {
        expect(overdue.find((e) => e.idempotency_key === `deadline:${job.id}`)!.at.toISOString()).toBe(restartAt);
      }
      // Each case's last step (started after the restart at the latest) is overdue by the final tick.
      expect(await db.knex('step_executions').where({ step_id: 'disposisi-ke-bidang', overdue: true }).count<{ count: string }[]>({ count: '*' }).then((r) => Number(r[0]!.count))).toBe(4);
    } finally {
      await db.close();
    }
  }, 180_000);
});
