/**
 * Berita acara from a Tarakan shift: the handover at the start and at the end of the shift (both
 * signatories, the inventory) and the follow-up of the reported anomaly, filled from what the case
 * recorded, with the case id and the hash of the last event in the footer. One PDF is printed by
 * real Chromium and read back.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { readZip } from '../../src/adapters/archive/zip-archive.js';
import { caseStepDocument } from '../../src/app/case-documents.js';
import { exportCase } from '../../src/app/case-export/export-case.js';
import { verifyExport } from '../../src/app/case-export/verify-export.js';
import { createDocumentRenderer } from '../../src/app/documents/render-sop-document.js';
import { ConflictError, NotFoundError, type CaseActor, type CaseCommand } from '../../src/engine/index.js';
import { updateOrganization } from '../../src/adapters/store/accounts-table.js';
import { MINUTE, person, TEST_ORGANIZATION, useHarness, type Harness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const ani = person('ani', 'petugas');
const budi = person('budi', 'petugas');
const citra = person('citra', 'petugas');

/** A shift with one anomaly followed up, ended by the handover to the next officer; stops before the end handover when `end` is false. */
async function runShift(h: Harness, end = true): Promise<string> {
  const { case: c } = await h.alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: ani, title: 'Shift pagi' });
  const go = (actor: CaseActor, command: CaseCommand, afterMin = 0) => {
    h.clock.advance(afterMin * MINUTE);
    return h.alur.cases.execute({ caseId: c.id, actor, command });
  };
  await go(ani, { type: 'acknowledge', rule: 'larangan-informasi-rekaman' });
  await go(ani, { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' });
  await go(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] }, 8);
  await go(budi, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Kamera 3 buram' } }, 1);
  await go(ani, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' }, 3);
  await go(ani, { type: 'start-step', step: 'cek-kondisi-cctv' });
  await h.alur.runBackgroundWork();
  await go(ani, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: false, kameraBermasalah: ['Kamera 3'] } }, 6);
  await go(ani, { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: 'Kerumunan' } }, 10);
  await go(ani, { type: 'choose', step: 'ada-temuan', branch: 'ya' }, 1);
  await h.alur.runBackgroundWork();
  await go(ani, { type: 'complete', step: 'lapor-pimpinan', checklist: ['Dokumentasi'], output: { lokasi: 'Simpang Grand Tarakan', uraian: 'Kendaraan parkir di bahu jalan' } }, 4);
  await go(ani, { type: 'complete', step: 'berita-acara-tindak-lanjut', checklist: ['Atk', 'Form buku laporan'], output: { nomor: 'BA/007/CCTV/2026', tindakLanjut: 'Diteruskan ke Dinas Perhubungan' } }, 30);
  await go(ani, { type: 'choose', step: 'shift-berakhir', branch: 'exit' }, 400);
  if (end) {
    await go(ani, { type: 'complete', step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'Inventaris lengkap, 1 kejadian ditindaklanjuti' } }, 5);
    await go(citra, { type: 'complete', step: 'serah-terima-akhir', party: 'penerima' }, 2);
  }
  return c.id;
}

const htmlOnly = createDocumentRenderer({ printer: { print: () => Promise.reject(new Error('no PDF in this test')) } });

describe.each(dialects)('berita acara from a case on $name', (dialect) => {
  const t = useHarness(dialect);

  it('fills the handover and the follow-up from the case, signed by who did them, with the last event hash', async () => {
    const caseId = await runShift(t.h);
    const last = (await listEvents(t.db.knex, caseId)).at(-1)!;

    const handover = await caseStepDocument(t.h.alur, caseId, 'serah-terima-akhir');
    expect(handover).toMatchObject({
      template: 'berita-acara-serah-terima', caseId, visit: 1, lastEvent: { seq: last.seq, hash: last.hash }, basis: null,
      fields: [{ title: 'Catatan serah terima', value: 'Inventaris lengkap, 1 kejadian ditindaklanjuti' }],
    });
    expect(handover.signatories.map((s) => [s.as, s.actorId])).toEqual([['Petugas shift ini', 'ani'], ['Petugas shift berikutnya', 'citra']]);
    const html = (await htmlOnly.renderBeritaAcara(handover, 'html')).body.toString('utf8');
    expect(html).toContain('<h1>BERITA ACARA SERAH TERIMA</h1>');
    expect(html).toContain('<ol data-part="inventory"><li>');
    // The organisation reads WITA (Asia/Makassar): the shift began 00:00 UTC, the handover closed 7 h 50 min later.
    expect(handover.completedAt.toISOString()).toBe('2026-03-02T07:50:00.000Z');
    expect(html).toContain('Pada hari ini, Senin, 2 Maret 2026 pukul 15.50 WITA, telah dilaksanakan serah terima');
    expect(html).toContain('<div class="when">ditandatangani 2 Maret 2026 15.48 WITA</div>');
    expect(html.slice(html.indexOf('<body>'))).not.toContain('UTC');
    expect(html).toContain(`<footer data-field="footer">Kasus ${caseId} · peristiwa terakhir #${last.seq} hash ${last.hash}</footer>`);

    const start = await caseStepDocument(t.h.alur, caseId, 'serah-terima-shift');
    expect(start.signatories.map((s) => [s.as, s.actorId])).toEqual([['Petugas shift sebelumnya', 'budi'], ['Petugas shift ini', 'ani']]);
    expect(start.fields).toEqual([{ title: 'Catatan serah terima', value: 'Kamera 3 buram' }]);

    const followUp = await caseStepDocument(t.h.alur, caseId, 'berita-acara-tindak-lanjut');
    expect(followUp).toMatchObject({
      template: 'berita-acara-tindak-lanjut',
      fields: [{ title: 'Nomor berita acara', value: 'BA/007/CCTV/2026' }, { title: 'Tindak lanjut', value: 'Diteruskan ke Dinas Perhubungan' }],
      basis: { activity: expect.stringMatching(/pimpinan/i), fields: [{ title: 'Lokasi / kamera', value: 'Simpang Grand Tarakan' }, { title: 'Uraian kejadian', value: 'Kendaraan parkir di bahu jalan' }] },
    });
    expect(followUp.signatories.map((s) => s.actorId)).toEqual(['ani']);

    // The evidence export carries every berita acara of the case, and still verifies.
    const { zip } = await exportCase(t.h.alur, htmlOnly, caseId);
    const files = await readZip(zip);
    expect([...files.keys()].filter((p) => p.startsWith('documents/')).sort()).toEqual([
      'documents/berita-acara-tindak-lanjut-1.html', 'documents/serah-terima-akhir-1.html', 'documents/serah-terima-shift-1.html',
    ]);
    expect(files.get('documents/serah-terima-akhir-1.html')!.toString('utf8')).toBe(html);
    // The case report in it reads the same local clock, to the second.
    expect(files.get('report.html')!.toString('utf8')).toContain('<dt>Dimulai</dt><dd>2026-03-02 08.00.00 WITA oleh ani</dd>');
    expect((await verifyExport(zip, [])).status).toBe('ok');
  });

  it('prints its times in the zone the organisation reads now (WIT after a move to Asia/Jayapura)', async () => {
    const caseId = await runShift(t.h);
    await updateOrganization(t.db.knex, TEST_ORGANIZATION, { timeZone: 'Asia/Jayapura' });
    const followUp = await caseStepDocument(t.h.alur, caseId, 'berita-acara-tindak-lanjut');
    expect(followUp.completedAt.toISOString()).toBe('2026-03-02T01:03:00.000Z');
    const html = (await htmlOnly.renderBeritaAcara(followUp, 'html')).body.toString('utf8');
    expect(html).toContain('Pada hari ini, Senin, 2 Maret 2026 pukul 10.03 WIT, telah dilaksanakan tindak lanjut');
    expect(html).toContain('ditandatangani 2 Maret 2026 10.03 WIT');
  });

  it('refuses a step the SOP names no document for, and one not done yet', async () => {
    const caseId = await runShift(t.h, false);
    await expect(caseStepDocument(t.h.alur, caseId, 'patroli-cctv')).rejects.toThrow(NotFoundError);
    await expect(caseStepDocument(t.h.alur, caseId, 'patroli-cctv')).rejects.toThrow('the SOP names no document for step "patroli-cctv" (no "document:" on it); steps with a document: serah-terima-shift, berita-acara-tindak-lanjut, serah-terima-akhir');
    await expect(caseStepDocument(t.h.alur, caseId, 'serah-terima-akhir')).rejects.toThrow(ConflictError);
    await expect(caseStepDocument(t.h.alur, caseId, 'serah-terima-akhir')).rejects.toThrow(`step "serah-terima-akhir" has not been done in case ${caseId}; its berita-acara-serah-terima is made once it is done`);
  });
});

describe('a berita acara printed as PDF', () => {
  const t = useHarness(dialects[0]!);

  it('holds the signatories, the output fields and the footer hash in its text', async () => {
    const caseId = await runShift(t.h);
    const document = await caseStepDocument(t.h.alur, caseId, 'serah-terima-akhir');
    const pdf = await createDocumentRenderer().renderBeritaAcara(document, 'pdf');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.body)), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of ['BERITA ACARA SERAH TERIMA', 'Petugas shift ini', 'ani', 'Petugas shift berikutnya', 'citra', 'Catatan serah terima', 'Inventaris lengkap, 1 kejadian ditindaklanjuti']) {
      expect(flat).toContain(expected);
    }
    expect(flat).toContain(`Kasus ${caseId} · peristiwa terakhir #${document.lastEvent.seq} hash ${document.lastEvent.hash}`);
  }, 60_000);
});
