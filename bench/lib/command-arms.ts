/**
 * The arms of the command benchmark, on one database: the raw step-shaped SQL transaction
 * (UPDATE the case + INSERT a ~500-byte event, one commit), Alur's commands in process, and the
 * same commands over HTTP. An Alur "cycle" is one Pontianak case: start + four step completions
 * (each closes a step, opens the next with its deadline job, notifies), i.e. five transactions.
 *
 * And the full-case arms: one whole Pontianak case (start + all six steps) through Alur in process,
 * against the JavaScript BPMN engine `bpmn-engine` running the same chain (six user tasks in
 * sequence) with its state saved to the same database after every step (one row upserted), the
 * engine either kept in memory between steps or recovered from the saved state for each step
 * (which is what Alur does: every command starts from the database).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Engine } from 'bpmn-engine';
import pg from 'pg';
import { pino } from 'pino';
import { ManualClock } from '../../src/adapters/clock.js';
import type { Database } from '../../src/adapters/store/database.js';
import { openAlur, type Alur } from '../../src/app/alur.js';
import { seedDemo } from '../../src/app/demo-seed.js';
import { loadConfig } from '../../src/config.js';
import type { CaseCommand } from '../../src/engine/index.js';
import { startHttpServer, type RunningServer } from '../../src/server/http-server.js';

const ORG = 'kota-pontianak';
const SOP = 'pontianak-relay-tayangan';
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const STEPS: Array<{ role: string; command: CaseCommand }> = [
  { role: 'kadis', command: { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/12/DKI/2020', tanggal: '2020-04-08', lokasi: ['Simpang Tanjungpura'] } } },
  { role: 'opd', command: { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1:8554/t', credentialsRef: 'vault:opd/t' } } },
  { role: 'kadis', command: { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT } },
  { role: 'kabid-tkpbet', command: { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT } },
];
/** Transactions in one Alur cycle. */
export const CYCLE = 1 + STEPS.length;
/**
 * The last two steps of the chain, which a full case also completes. The relay is reported as
 * "gagal" by the person: only the relay adapter may report "berjalan", and the benchmark runs no adapter.
 */
const LAST_STEPS: Array<{ role: string; command: CaseCommand }> = [
  { role: 'kasi-sptik', command: { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'gagal' } } },
  { role: 'kasi-sptik', command: { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay berjalan' } } },
];
export const ALL_STEPS = [...STEPS, ...LAST_STEPS];

/** The Pontianak chain as BPMN: six user tasks in sequence. */
export const PONTIANAK_BPMN = (() => {
  const ids = ALL_STEPS.map((s) => s.command.type === 'complete' ? s.command.step : '');
  const nodes = ['start', ...ids, 'end'];
  const flows = nodes.slice(1).map((target, i) => `<sequenceFlow id="f${i}" sourceRef="${nodes[i]}" targetRef="${target}" />`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="pontianak-def"><process id="pontianak" isExecutable="true"><startEvent id="start" />${ids.map((id) => `<userTask id="${id}" />`).join('')}<endEvent id="end" />${flows}</process></definitions>`;
})();
const BPMN_STEPS = ALL_STEPS.map((s) => ({ id: s.command.type === 'complete' ? s.command.step : '', output: s.command.type === 'complete' ? s.command.output ?? null : null }));
const PAYLOAD = JSON.stringify({ note: randomBytes(220).toString('hex') });

export interface CommandArms {
  raw(client: number): Promise<number>;
  inProcess(client: number): Promise<number>;
  http(client: number): Promise<number>;
  /** One whole Pontianak case in process (start + six steps); returns 1 (cases). */
  alurCase(client: number): Promise<number>;
  /** The same chain in bpmn-engine kept in memory, its state upserted after each step; returns 1. */
  bpmn(client: number): Promise<number>;
  /** The same, the engine recovered from the saved state for each step; returns 1. */
  bpmnRecovered(client: number): Promise<number>;
  close(): Promise<void>;
}

export type RawTarget = { kind: 'pg'; connectionString: string; schema: string } | { kind: 'pglite'; pglite: PGlite };

/** Alur (demo seed) served on 127.0.0.1:0 over `db`, plus a raw connection to the same tables. */
export async function openCommandArms(db: Database, raw: RawTarget, clients: number): Promise<CommandArms> {
  const clock = new ManualClock('2026-03-02T00:00:00.000Z');
  const alur: Alur = await openAlur({ database: db, clock, adapters: { run: async () => null }, relayChanges: false });
  const seed = await seedDemo(alur, new URL('../../sops', import.meta.url).pathname);
  const server: RunningServer = await startHttpServer({ alur, config: loadConfig({ ALUR_LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', heartbeatMs: 10_000 });
  const actor = (role: string) => ({ id: `pontianak.${role}`, roles: [role] });

  // The raw arm writes to cases Alur started (one per client), through its own pool of the same size.
  const rawCases = await Promise.all(Array.from({ length: clients }, async () => (await alur.cases.startCase({ sopId: SOP, actor: actor('kadis'), organizationId: ORG })).case.id));
  const pool = raw.kind === 'pg' ? new pg.Pool({ connectionString: raw.connectionString, max: 10, options: `-c search_path=${raw.schema}` }) : undefined;
  const rawSql = {
    update: 'update cases set seq = seq + 1, updated_at = $2 where id = $1 returning seq',
    insert: 'insert into case_events (case_id, seq, type, payload, actor_id, actor_roles, at, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
  };
  const rawArgs = (caseId: string, seq: number) => [caseId, seq, 'note.added', PAYLOAD, 'pontianak.kadis', '["kadis"]', new Date(), 'x'.repeat(64), randomBytes(32).toString('hex')];

  // bpmn-engine's state: one row per case in the same database, upserted after every step.
  const query = async (text: string, values: unknown[]): Promise<Array<Record<string, unknown>>> => {
    if (pool) return (await pool.query(text, values)).rows as Array<Record<string, unknown>>;
    if (raw.kind === 'pglite') return (await raw.pglite.query<Record<string, unknown>>(text, values)).rows;
    return [];
  };
  await query('create table if not exists bench_bpmn_state (id uuid primary key, state jsonb not null, updated_at timestamptz not null)', []);
  const saveBpmn = (id: string, state: unknown) => query('insert into bench_bpmn_state (id, state, updated_at) values ($1, $2, $3) on conflict (id) do update set state = excluded.state, updated_at = excluded.updated_at', [id, JSON.stringify(state), new Date()]);
  const loadBpmn = async (id: string) => (await query('select state from bench_bpmn_state where id = $1', [id]))[0]!.state;

  const sessions = new Map<string, { cookie: string; csrf: string }>();
  for (const role of new Set(['kadis', ...STEPS.map((s) => s.role)])) {
    const account = seed.created.find((a) => a.username === `pontianak.${role}`)!;
    const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: account.username, password: account.password }) });
    if (response.status !== 200) throw new Error(`bench login ${account.username}: ${response.status}`);
    sessions.set(role, { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await response.json()) as { csrfToken: string }).csrfToken });
  }
  const post = async (role: string, path: string, body: unknown): Promise<Record<string, unknown>> => {
    const session = sessions.get(role)!;
    const response = await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf }, body: JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status >= 300) throw new Error(`bench POST ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  return {
    async raw(client) {
      const caseId = rawCases[client]!;
      if (pool) {
        const connection = await pool.connect();
        try {
          await connection.query('begin');
          const { rows } = await connection.query<{ seq: number }>(rawSql.update, [caseId, new Date()]);
          await connection.query(rawSql.insert, rawArgs(caseId, rows[0]!.seq));
          await connection.query('commit');
        } finally {
          connection.release();
        }
      } else if (raw.kind === 'pglite') {
        await raw.pglite.transaction(async (tx) => {
          const { rows } = await tx.query<{ seq: number }>(rawSql.update, [caseId, new Date()]);
          await tx.query(rawSql.insert, rawArgs(caseId, rows[0]!.seq));
        });
      }
      return 1;
    },
    async inProcess() {
      const caseId = (await alur.cases.startCase({ sopId: SOP, actor: actor('kadis'), organizationId: ORG })).case.id;
      for (const step of STEPS) await alur.cases.execute({ caseId, command: step.command, actor: actor(step.role), organizationId: ORG });
      return CYCLE;
    },
    async http() {
      const started = await post('kadis', '/cases', { sopId: SOP });
      const caseId = (started.case as { id: string }).id;
      for (const step of STEPS) await post(step.role, `/cases/${caseId}/commands`, step.command);
      return CYCLE;
    },
    async alurCase() {
      const caseId = (await alur.cases.startCase({ sopId: SOP, actor: actor('kadis'), organizationId: ORG })).case.id;
      let last;
      for (const step of ALL_STEPS) last = await alur.cases.execute({ caseId, command: step.command, actor: actor(step.role), organizationId: ORG });
      if (last?.case.status !== 'completed') throw new Error(`bench: the Alur case ended ${last?.case.status}`);
      return 1;
    },
    async bpmn() {
      const id = randomUUID();
      const engine = new Engine({ name: id, source: PONTIANAK_BPMN });
      const execution = await engine.execute({ variables: { title: null } });
      await saveBpmn(id, await engine.getState());
      for (const step of BPMN_STEPS) {
        execution.signal({ id: step.id, output: step.output });
        await saveBpmn(id, await engine.getState());
      }
      if (execution.getPostponed().length !== 0) throw new Error('bench: the bpmn-engine case did not finish');
      return 1;
    },
    async bpmnRecovered() {
      const id = randomUUID();
      const first = new Engine({ name: id, source: PONTIANAK_BPMN });
      await first.execute({ variables: { title: null } });
      await saveBpmn(id, await first.getState());
      let postponed = 1;
      for (const step of BPMN_STEPS) {
        const engine = new Engine({ name: id }).recover(await loadBpmn(id));
        const execution = await engine.resume();
        execution.signal({ id: step.id, output: step.output });
        await saveBpmn(id, await engine.getState());
        postponed = execution.getPostponed().length;
      }
      if (postponed !== 0) throw new Error('bench: the recovered bpmn-engine case did not finish');
      return 1;
    },
    async close() {
      await pool?.end();
      await server.close();
      await alur.close();
    },
  };
}
