/**
 * The auditor's notes, actions and sign-off on the monitoring form: stored as append-only
 * revisions, shown in the JSON and the printable form, a sign-off outdated by a later edit.
 */
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../src/engine/language/json-schema.js';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const FORM = '/api/v1/sops/pontianak-relay-tayangan/monitoring';
const PERIOD = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
const QUERY = `from=${encodeURIComponent(PERIOD.from)}&to=${encodeURIComponent(PERIOD.to)}`;

describe.each(dialects)('the auditor\'s part of the monitoring form on $name', (dialect) => {
  const t = useApi(dialect);

  it('stores notes and actions as revisions, shows them, and signs the form off', async () => {
    const auditor = await t.api.login('pontianak.auditor');
    const saved = await auditor.request('PUT', `${FORM}/review`, {
      ...PERIOD, steps: [{ stepId: 'setting-relay', assessment: 'tidak-berjalan', note: 'Relay sering putus', action: 'Ganti perangkat encoder' }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const row = (form: any) => form.rows.find((r: any) => r.stepId === 'setting-relay');
    expect(row(saved.body.form)).toMatchObject({ assessment: 'tidak-berjalan', action: 'Ganti perangkat encoder', note: expect.stringMatching(/Catatan auditor: Relay sering putus$/) });
    expect(saved.body.form.revisions).toBe(1);
    // The auditor's own part apart from the measured one, for the editor to fill its fields with.
    const part = saved.body.review.find((r: any) => r.stepId === 'setting-relay');
    expect(part).toEqual({
      stepId: 'setting-relay', measured: 'belum-dilaksanakan', measuredNote: 'Tidak ada pelaksanaan yang selesai dalam periode ini.',
      assessment: 'tidak-berjalan', note: 'Relay sering putus', action: 'Ganti perangkat encoder', writtenBy: 'pontianak.auditor', writtenAt: t.api.clock.now().toISOString(),
    });
    expect(saved.body.review.map((r: any) => r.stepId)).toEqual(saved.body.form.rows.map((r: any) => r.stepId));
    expect(saved.body.review.find((r: any) => r.stepId === 'lapor-hasil-relay')).toMatchObject({ assessment: null, note: '', action: '', writtenBy: null });
    // The JSON is what the OpenAPI document declares.
    const openapi = (await auditor.request('GET', '/api/v1/openapi.json')).body;
    const declared = openapi.paths['/sops/{sopId}/monitoring'].get.responses['200'].content['application/json'].schema;
    const validate = createAjv().compile(declared);
    const read = await auditor.request('GET', `${FORM}?${QUERY}`);
    expect(validate(read.body), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ form: { ...read.body.form, rows: [{ ...read.body.form.rows[0], refused: -1 }] }, review: [] })).toBe(false);
    expect(read.body.form).toMatchObject({ timeZone: 'Asia/Pontianak', from: PERIOD.from, to: PERIOD.to });

    const signed = await auditor.request('POST', `${FORM}/sign-off`, PERIOD);
    expect(signed.status).toBe(200);
    expect(signed.body.form.signedOff).toEqual({ by: 'pontianak.auditor', at: t.api.clock.now().toISOString(), current: true });
    const html = await auditor.request('GET', `${FORM}?${QUERY}&format=html`);
    expect(html.body).toContain('Ganti perangkat encoder');
    expect(html.body).toMatch(/data-field="sign-off"><div>Yang melakukan monitoring,<\/div><div class="space"><\/div><div>pontianak\.auditor<\/div><div>disahkan [^<]*<\/div>/);

    // A later edit is a new revision; the earlier one stays in the table; the sign-off is outdated.
    const edited = await auditor.request('PUT', `${FORM}/review`, { ...PERIOD, steps: [{ stepId: 'setting-relay', note: 'Sudah diperbaiki', action: '' }] });
    expect(row(edited.body.form)).toMatchObject({ action: '', note: expect.stringMatching(/Catatan auditor: Sudah diperbaiki$/) });
    expect(edited.body.form).toMatchObject({ revisions: 2, signedOff: { current: false } });
    expect((await auditor.request('GET', `${FORM}?${QUERY}&format=html`)).body).toContain('(formulir diubah sesudahnya)');
    // Another period is another form.
    expect((await auditor.request('GET', FORM)).body.form.signedOff).toBeUndefined();

    await expect(t.db.knex('monitoring_reviews').update({ note: 'x' })).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(t.db.knex('monitoring_reviews').delete()).rejects.toThrow(/append-only: DELETE is not allowed/);
    expect(Number((await t.db.knex('monitoring_reviews').count({ n: '*' }).first())!.n)).toBe(3);
  });

  it('lets only auditors write, and refuses a step the form does not have', async () => {
    const owner = await t.api.login('pontianak.process-owner');
    expect((await owner.request('PUT', `${FORM}/review`, { steps: [{ stepId: 'setting-relay', note: 'x' }] })).status).toBe(403);
    expect((await owner.request('POST', `${FORM}/sign-off`, {})).status).toBe(403);
    const auditor = await t.api.login('pontianak.auditor');
    const unknown = await auditor.request('PUT', `${FORM}/review`, { steps: [{ stepId: 'patroli-cctv', note: 'x' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/^the monitoring form of "pontianak-relay-tayangan" has no step "patroli-cctv"; its steps: surat-permintaan-relay, /);
    expect((await (await t.api.login('tarakan.auditor')).request('PUT', `${FORM}/review`, { steps: [{ stepId: 'setting-relay' }] })).status).toBe(404);
  });
});
