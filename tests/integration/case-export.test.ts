/**
 * The evidence export of a case (zip) and its offline verification: an intact export verifies with
 * no database; an edited event, a removed, added or edited file, an edited manifest and a forged
 * head are each reported with what was done.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock.js';
import { readZip, writeZip } from '../../src/adapters/archive/zip-archive.js';
import { insertCameraEvidence } from '../../src/adapters/store/camera-evidence-table.js';
import { insertCamera } from '../../src/adapters/store/cameras-table.js';
import { openAlur } from '../../src/app/alur.js';
import { exportCase } from '../../src/app/case-export/export-case.js';
import { sha256 } from '../../src/app/case-export/export-format.js';
import { verifyExport } from '../../src/app/case-export/verify-export.js';
import { createDocumentRenderer } from '../../src/app/documents/render-sop-document.js';
import { publishSop } from '../../src/app/publish-sop.js';
import { auditKeyFrom } from '../../src/engine/index.js';
import { person, recordingRunner, TEST_ORGANIZATION, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';
import { seedText } from '../support/seeds.js';

const kadis = person('uray', 'kadis');
const opd = person('opd', 'opd');
// HTML reports only: no Chromium is started here.
const renderer = createDocumentRenderer({ printer: { print: () => Promise.reject(new Error('no PDF in this test')) } });
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

/** The archive with `change` applied to its files, zipped again. */
async function rezip(zip: Buffer, change: (files: Map<string, Buffer>) => void): Promise<Buffer> {
  const files = await readZip(zip);
  change(files);
  return writeZip([...files].map(([path, body]) => ({ path, body })), new Date('2026-03-03T00:00:00Z'));
}

/** The manifest edited by `change`, with the sum of `path` brought in line with its (edited) file when given. */
function editManifest(files: Map<string, Buffer>, change: (manifest: any) => void): void {
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  change(manifest);
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
}

function resum(files: Map<string, Buffer>, path: string): void {
  editManifest(files, (m) => {
    const entry = m.files.find((f: { path: string }) => f.path === path);
    entry.sha256 = sha256(files.get(path)!);
    entry.bytes = files.get(path)!.length;
  });
}

describe.each(dialects)('case evidence export on $name', (dialect) => {
  const t = useHarness(dialect);

  async function finishedCase(): Promise<string> {
    const { case: { id } } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const go = (actor: typeof kadis, command: Parameters<typeof t.h.alur.cases.execute>[0]['command']) => t.h.alur.cases.execute({ caseId: id, actor, command });
    await go(kadis, { type: 'start-step', step: 'surat-permintaan-relay' });
    await go(kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['A'] } });
    await go(opd, { type: 'add-note', text: 'Akses disiapkan' });
    const cameraId = randomUUID();
    await insertCamera(t.db.knex, { id: cameraId, organizationId: TEST_ORGANIZATION, name: 'Simpang Lima', location: '', streamUrl: 'rtsp://127.0.0.1/a', secret: null, createdAt: t.h.clock.now(), createdBy: 'test' } as never);
    await insertCameraEvidence(t.db.knex, {
      id: randomUUID(), organizationId: TEST_ORGANIZATION, cameraId, caseId: id, step: 'beri-akses-tayang', kind: 'snapshot', probedAt: t.h.clock.now(),
      ok: true, error: null, probe: { codec: 'h264', width: 1280, height: 720 }, snapshot: JPEG, snapshotSha256: sha256(JPEG),
    });
    return id;
  }

  it('holds the log, timeline, SOP, snapshot, report and manifest, and verifies offline', async () => {
    const caseId = await finishedCase();
    const { zip, manifest, fileName } = await exportCase(t.h.alur, renderer, caseId);
    expect(fileName).toBe(`case-${caseId}.zip`);
    const files = await readZip(zip);
    const evidence = JSON.parse(files.get('evidence.json')!.toString('utf8'));
    expect([...files.keys()].sort()).toEqual(['case.json', 'events.jsonl', 'evidence.json', 'manifest.json', 'report.html', `snapshots/${evidence[0].id}.jpg`, 'sop.yaml', 'timeline.json'].sort());
    expect(files.get(`snapshots/${evidence[0].id}.jpg`)).toEqual(JPEG);
    const lines = files.get('events.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => [e.seq, e.type])).toEqual([[1, 'case.started'], [2, 'step.started'], [3, 'step.completed'], [4, 'note.added']]);
    const timeline = JSON.parse(files.get('timeline.json')!.toString('utf8'));
    expect(timeline.map((e: { stepId: string }) => e.stepId)).toEqual(['surat-permintaan-relay', 'beri-akses-tayang']);
    expect(files.get('sop.yaml')!.toString('utf8')).toBe(seedText('pontianak'));
    expect(manifest).toMatchObject({ format: 'alur-case-export/1', caseId, head: { seq: 4, hash: lines[3].hash, keyId: null }, keyId: null, signature: null });
    for (const f of manifest.files) expect(sha256(files.get(f.path)!)).toBe(f.sha256);
    const report = files.get('report.html')!.toString('utf8');
    expect(report).toContain(`Kasus ${caseId} · peristiwa terakhir #4 hash ${lines[3].hash}`);
    expect(report).toContain('data-field="audit">ok</dd>');
    expect(report).toContain(`snapshots/${evidence[0].id}.jpg`);

    expect(await verifyExport(zip, [])).toEqual({ status: 'ok', caseId, events: 4, head: { seq: 4, hash: lines[3].hash }, tampered: [], unverifiable: [] });
  });

  it('detects an edited event, a removed, added or edited file and an edited manifest', async () => {
    const caseId = await finishedCase();
    const { zip } = await exportCase(t.h.alur, renderer, caseId);
    const forge = (text: string) => text.replace('"nomorSurat":"555/1"', '"nomorSurat":"999/palsu"');

    // The event edited and its sum brought in line: the chain still gives it away.
    const edited = await rezip(zip, (files) => {
      files.set('events.jsonl', Buffer.from(forge(files.get('events.jsonl')!.toString('utf8'))));
      resum(files, 'events.jsonl');
    });
    expect(await verifyExport(edited, [])).toMatchObject({ status: 'tampered', tampered: ['event log: event 3 was altered after it was written (its content no longer matches its hash)'] });

    const editedOnly = await rezip(zip, (files) => files.set('events.jsonl', Buffer.from(forge(files.get('events.jsonl')!.toString('utf8')))));
    expect((await verifyExport(editedOnly, [])).tampered).toEqual([
      'events.jsonl does not match its sha256 in the manifest: the file (or the manifest) was edited',
      'event log: event 3 was altered after it was written (its content no longer matches its hash)',
    ]);

    // The last event dropped and the sum brought in line: the head still counts it.
    const truncated = await rezip(zip, (files) => {
      files.set('events.jsonl', Buffer.from(`${files.get('events.jsonl')!.toString('utf8').trim().split('\n').slice(0, 3).join('\n')}\n`));
      resum(files, 'events.jsonl');
    });
    expect((await verifyExport(truncated, [])).tampered).toEqual(['event log: event 4 is missing: the case has 4 events but the log holds 3']);

    const removed = await rezip(zip, (files) => files.delete('report.html'));
    expect(await verifyExport(removed, [])).toMatchObject({ status: 'tampered', tampered: ['report.html is listed in the manifest but missing from the archive: a file was removed'] });

    const added = await rezip(zip, (files) => files.set('snapshots/extra.jpg', JPEG));
    expect((await verifyExport(added, [])).tampered).toEqual(['snapshots/extra.jpg is in the archive but not in the manifest: it was added after the export']);

    const sop = await rezip(zip, (files) => {
      files.set('sop.yaml', Buffer.from(`${files.get('sop.yaml')!.toString('utf8')}# diubah sesudah ekspor\n`));
      resum(files, 'sop.yaml');
    });
    expect((await verifyExport(sop, [])).tampered[0]).toMatch(/^sop\.yaml is not the SOP source the case started on \(event 1 records source hash [0-9a-f]{64}\)$/);

    const manifestHead = await rezip(zip, (files) => editManifest(files, (m) => { m.head.hash = 'f'.repeat(64); }));
    expect((await verifyExport(manifestHead, [])).tampered).toEqual(['event 4 is not the one the manifest\'s head records (its hash differs): the log was rewritten']);
    const manifestSum = await rezip(zip, (files) => editManifest(files, (m) => { m.files[0].sha256 = '0'.repeat(64); }));
    expect((await verifyExport(manifestSum, [])).tampered).toEqual(['events.jsonl does not match its sha256 in the manifest: the file (or the manifest) was edited']);
    const noManifest = await rezip(zip, (files) => files.delete('manifest.json'));
    expect((await verifyExport(noManifest, [])).tampered).toEqual(['the archive has no manifest.json: it is not an Alur case export (or its manifest was removed)']);
    expect((await verifyExport(Buffer.from('not a zip'), [])).tampered[0]).toMatch(/^the file is not a readable zip archive: /);
  });
});

describe.each(dialects)('a case export signed with the audit key on $name', (dialect) => {
  it('verifies with the key, cannot be verified without it, and a rewritten manifest or forged head is caught', async () => {
    const db = await dialect.open();
    const key = auditKeyFrom('export-key-'.padEnd(40, 'k'));
    const clock = new ManualClock('2026-03-02T00:00:00.000Z');
    const alur = await openAlur({ database: db, clock, adapters: recordingRunner(), migrate: false, auditKey: key });
    try {
      await publishSop(db.knex, { source: seedText('pontianak'), file: 'p.yaml', by: 't', at: clock.now() });
      const { case: c } = await alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
      await alur.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'Asli' } });
      const { zip, manifest } = await exportCase(alur, renderer, c.id);
      expect(manifest).toMatchObject({ keyId: key.id, signature: expect.stringMatching(/^[0-9a-f]{64}$/), head: { seq: 2, keyId: key.id, signature: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      expect(await verifyExport(zip, [key])).toMatchObject({ status: 'ok', events: 2 });

      const withoutKey = await verifyExport(zip, []);
      expect(withoutKey.status).toBe('unverifiable');
      expect(withoutKey.unverifiable).toEqual([
        `the manifest is signed with audit key ${key.id}, which this process does not have; set ALUR_AUDIT_KEY to verify it`,
        `event log: event 1 is signed with audit key ${key.id}, which this process does not have; set ALUR_AUDIT_KEY to verify it`,
      ]);

      const relabelled = await rezip(zip, (files) => editManifest(files, (m) => { m.exportedAt = '2020-01-01T00:00:00.000Z'; }));
      expect((await verifyExport(relabelled, [key])).tampered).toEqual(['the manifest was altered after the export (its signature does not match)']);
      const forgedHead = await rezip(zip, (files) => editManifest(files, (m) => { m.head.signature = 'a'.repeat(64); }));
      expect((await verifyExport(forgedHead, [key])).tampered).toEqual([
        'the manifest was altered after the export (its signature does not match)', 'the head of event 2 in the manifest does not carry a valid signature: it was forged',
      ]);
      const unsigned = await rezip(zip, (files) => editManifest(files, (m) => { m.keyId = null; m.signature = null; }));
      expect((await verifyExport(unsigned, [key])).tampered).toEqual(['the manifest is not signed although an audit key is configured: it was made or rewritten without the key']);
    } finally {
      await alur.close();
    }
  });
});
