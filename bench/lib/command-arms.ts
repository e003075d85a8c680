/**
 * The three arms of the command benchmark, on one database: the raw step-shaped SQL transaction
 * (UPDATE the case + INSERT a ~500-byte event, one commit), Alur's commands in process, and the
 * same commands over HTTP. An Alur "cycle" is one Pontianak case: start + four step completions
 * (each closes a step, opens the next with its deadline job, notifies), i.e. five transactions.
 */
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
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
const PAYLOAD = JSON.stringify({ note: randomBytes(220).toString('hex') });

export interface CommandArms {
  raw(client: number): Promise<number>;
  inProcess(client: number): Promise<number>;
  http(client: number): Promise<number>;
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
    async close() {
      await pool?.end();
      await server.close();
      await alur.close();
    },
  };
}
