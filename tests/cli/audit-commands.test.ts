import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/store/database.js';
import { main } from '../../src/cli/main.js';
import { SEED_FILES } from '../support/seeds.js';

async function alur(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('alur audit verify and export-heads on embedded PGlite with an audit key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-cli-audit-'));
  const saved = { ...process.env };
  const KEY = 'a'.repeat(48);
  beforeAll(() => {
    process.env.ALUR_DATA_DIR = join(dir, 'data');
    process.env.ALUR_AUDIT_KEY = KEY;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A superuser's edit with triggers and foreign keys off, made while no Alur runs. */
  async function tamper(...statements: string[]) {
    const db = await openDatabase({ dataDir: process.env.ALUR_DATA_DIR! });
    try {
      await db.knex.transaction(async (trx) => {
        await trx.raw('set local session_replication_role = replica');
        for (const sql of statements) await trx.raw(sql);
      });
    } finally {
      await db.close();
    }
  }

  it('exits 0 verified, 3 without the key, 1 for a deleted case, and catches a wiped database against exported heads', async () => {
    expect((await alur('publish', SEED_FILES.tarakan)).code).toBe(0);
    const id = /started case ([0-9a-f-]{36})/.exec((await alur('case', 'start', 'tarakan-pemantau-cctv', '--actor', 'ani', '--role', 'petugas')).out)![1]!;
    expect(await alur('audit', 'verify')).toMatchObject({ code: 0, out: `${id}: ok (1 events)\n1 case(s) expected, 1 found, 1 checked: 0 broken, 0 cannot be verified` });

    const exported = await alur('audit', 'export-heads');
    expect(exported.code).toBe(0);
    const heads = JSON.parse(exported.out) as { keyId: string | null; heads: Array<{ caseId: string; seq: number }>; signature: string | null };
    expect(heads).toMatchObject({ format: 'alur-audit-heads/1', keyId: expect.any(String), heads: [{ caseId: id, seq: 1 }], signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = join(dir, 'heads.json');
    writeFileSync(file, exported.out);

    delete process.env.ALUR_AUDIT_KEY;
    const withoutKey = await alur('audit', 'verify');
    expect(withoutKey.code).toBe(3);
    expect(withoutKey.err).toBe(`${id}: CANNOT VERIFY at event 1: event 1 is signed with audit key ${heads.keyId}, which this process does not have; set ALUR_AUDIT_KEY to verify it`);
    expect(withoutKey.out).toBe('1 case(s) expected, 1 found, 1 checked: 0 broken, 1 cannot be verified');
    process.env.ALUR_AUDIT_KEY = KEY;

    await tamper(...['step_executions', 'jobs', 'notifications', 'case_events', 'cases'].map((table) => `delete from ${table}`));
    const deleted = await alur('audit', 'verify');
    expect(deleted.code).toBe(1);
    expect(deleted.err).toMatch(new RegExp(`^${id}: MISSING: the case is missing from the database, but its head records 1 event\\(s\\)`));
    expect(deleted.out).toBe('1 case(s) expected, 0 found, 0 checked: 1 broken, 0 cannot be verified, 1 missing');

    await tamper('truncate case_heads');
    expect((await alur('audit', 'verify')).code).toBe(0);
    const againstExport = await alur('audit', 'verify', '--heads', file);
    expect(againstExport.code).toBe(1);
    expect(againstExport.err).toMatch(new RegExp(`^${id}: MISSING: the case is missing from the database \\(and from its heads\\), but the heads exported at`));

    writeFileSync(file, '{"format":"alur-audit-heads/0"}');
    expect(await alur('audit', 'verify', '--heads', file)).toMatchObject({ code: 1, err: `alur: ${file} is not an Alur heads file: format is "alur-audit-heads/0", not "alur-audit-heads/1"; give the output of \`alur audit export-heads\`` });
  }, 180_000);
});
