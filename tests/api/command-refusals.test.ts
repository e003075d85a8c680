/**
 * Every reason the SOP refuses a command answers its own status, names the field at fault and
 * says what to do: 403 for a role the person does not hold (naming the step's role), 422 for
 * what the command lacks, 409 when the case has moved on.
 */
import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const LETTER = { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2026-03-02', lokasi: ['Tanjungpura'] } };

describe.each(dialects)('refusals through the API on $name', (dialect) => {
  const t = useApi(dialect);

  async function newCase(client: ApiClient, sopId: string): Promise<string> {
    const { status, body } = await client.request('POST', '/api/v1/cases', { sopId });
    expect(status).toBe(201);
    return body.case.id as string;
  }
  const send = (client: ApiClient, caseId: string, command: unknown) => client.request('POST', `/api/v1/cases/${caseId}/commands`, command);

  it('answers 403 naming the step\'s role to someone of the SOP without it', async () => {
    const [kadis, opd] = await Promise.all([t.api.login('pontianak.kadis'), t.api.login('pontianak.opd')]);
    const id = await newCase(kadis, 'pontianak-relay-tayangan');
    const { status, body } = await send(opd, id, LETTER);
    expect(status).toBe(403);
    expect(body).toMatchObject({ type: 'urn:alur:problem:wrong-role', detail: 'step "surat-permintaan-relay" is for role "kadis"; pontianak.opd holds "opd"' });
    expect(body.errors).toEqual([{ field: '/actor/roles', message: 'step "surat-permintaan-relay" is for role "kadis"; pontianak.opd holds "opd"' }]);
  });

  it('answers 422 naming the kelengkapan items not confirmed', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const id = await newCase(kadis, 'pontianak-relay-tayangan');
    const { status, body } = await send(kadis, id, { ...LETTER, checklist: [] });
    expect(status).toBe(422);
    expect(body.errors).toEqual([{ field: '/body/checklist', message: 'confirm the kelengkapan of step "surat-permintaan-relay" first: "Surat (memuat lokasi diminta/ diusulkan)"' }]);
    expect(body.refusals.map((r: { code: string }) => r.code)).toEqual(['kelengkapan-missing']);
  });

  it('answers 422 with a JSON pointer to each output field at fault', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const id = await newCase(kadis, 'pontianak-relay-tayangan');
    const { status, body } = await send(kadis, id, { ...LETTER, output: { nomorSurat: '555/1', tanggal: 'kemarin' } });
    expect(status).toBe(422);
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/output/lokasi', '/body/output/tanggal']);
  });

  it('answers 422 naming the larangan to acknowledge first, and takes the step once it is', async () => {
    const [ani, budi] = await Promise.all([t.api.login('tarakan.petugas'), t.api.login('tarakan.petugas-2')]);
    const id = await newCase(ani, 'tarakan-pemantau-cctv');
    expect((await send(ani, id, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] })).status).toBe(200);
    expect((await send(budi, id, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } })).status).toBe(200);
    expect((await send(ani, id, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' })).status).toBe(200);
    const check = { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } };
    const refused = await send(ani, id, check);
    expect(refused.status).toBe(422);
    expect(refused.body.refusals.map((r: { code: string }) => r.code)).toEqual(['rule-not-acknowledged', 'rule-not-acknowledged']);
    expect(refused.body.detail).toContain('larangan "larangan-informasi-rekaman" must be acknowledged (command "acknowledge") before step "cek-kondisi-cctv"');
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) expect((await send(ani, id, { type: 'acknowledge', rule })).status).toBe(200);
    expect((await send(ani, id, check)).status).toBe(200);
  });

  it('answers 422 naming the party still to sign, and refuses one person signing both sides', async () => {
    const [ani, budi] = await Promise.all([t.api.login('tarakan.petugas'), t.api.login('tarakan.petugas-2')]);
    const id = await newCase(ani, 'tarakan-pemantau-cctv');
    await send(ani, id, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    const noParty = await send(budi, id, { type: 'complete', step: 'serah-terima-shift', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    expect(noParty.status).toBe(422);
    expect(noParty.body.errors).toEqual([{ field: '/body/party', message: 'step "serah-terima-shift" is signed by two people; say which party you sign as: "penyerah" (Petugas shift sebelumnya, role "petugas") or "penerima" (Petugas shift ini, role "petugas")' }]);
    expect((await send(budi, id, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } })).status).toBe(200);
    const again = await send(budi, id, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    expect(again.status).toBe(422);
    expect(again.body.detail).toContain('still to sign: "penerima" (Petugas shift ini)');
    const samePerson = await send(budi, id, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });
    expect(samePerson.status).toBe(422);
    expect(samePerson.body.refusals.map((r: { code: string }) => r.code)).toEqual(['same-person']);
    // A command for the next step while a signature is missing: the case has not moved on yet.
    const early = await send(ani, id, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } });
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe('step "cek-kondisi-cctv" is not open; the case is now at "serah-terima-shift" (waiting for "penerima" (Petugas shift ini) to sign)');
  });

  it('answers 422 for a command of the wrong kind or an unknown step, and 409 for a step that is no longer open', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const id = await newCase(kadis, 'pontianak-relay-tayangan');
    const wrongKind = await send(kadis, id, { type: 'choose', step: 'surat-permintaan-relay', branch: 'ya' });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.errors).toEqual([{ field: '/body/type', message: '"choose" does not apply here: step "surat-permintaan-relay" is a task; it takes "complete"' }]);
    const unknown = await send(kadis, id, { ...LETTER, step: 'surat-permintaan' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: '/body/step', message: '"surat-permintaan" is not a step of this SOP' }]);
    expect((await send(kadis, id, LETTER)).status).toBe(200);
    const stale = await send(kadis, id, LETTER);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ type: 'urn:alur:problem:conflict', currentSteps: ['beri-akses-tayang'] });
  });

  it('refuses a second start of the same step, naming who started it', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const id = await newCase(kadis, 'pontianak-relay-tayangan');
    expect((await send(kadis, id, { type: 'start-step', step: 'surat-permintaan-relay' })).status).toBe(200);
    const again = await send(kadis, id, { type: 'start-step', step: 'surat-permintaan-relay' });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([{ field: '/body/step', message: 'step "surat-permintaan-relay" was already started by pontianak.kadis' }]);
  });
});
