import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const MINUTE = 60_000;

describe.each(dialects)('the HTTP API on $name', (dialect) => {
  const t = useApi(dialect);

  async function ok(client: ApiClient, method: string, path: string, body?: unknown, status = 200) {
    const response = await client.request(method, path, body);
    expect(response.status, `${client.username} ${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body;
  }

  it('runs a full Pontianak case driven by five different people', async () => {
    const [kadis, opd, kabid, kasi, auditor] = await Promise.all(['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik', 'pontianak.auditor'].map((u) => t.api.login(u)));
    const started = await ok(kadis!, 'POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Relay Simpang Tanjungpura' }, 201);
    const id = started.case.id as string;
    const command = (client: ApiClient, body: unknown) => ok(client, 'POST', `/api/v1/cases/${id}/commands`, body);

    await command(kadis!, { type: 'start-step', step: 'surat-permintaan-relay' });
    t.api.clock.advance(10 * MINUTE);
    await command(kadis!, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/12/DKI/2020', tanggal: '2020-04-08', lokasi: ['Simpang Tanjungpura'] } });
    // The OPD sees the task in its list before acting on it.
    const tasks = await ok(opd!, 'GET', '/api/v1/tasks');
    expect(tasks.tasks.map((t: { caseId: string; step: string }) => [t.caseId, t.step])).toEqual([[id, 'beri-akses-tayang']]);
    expect(tasks.tasks[0]).toMatchObject({ role: 'opd', roleTitle: 'OPD/ Badan/ Kecamatan' });
    t.api.clock.advance(12 * MINUTE);
    await command(opd!, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1:8554/tj', credentialsRef: 'vault:opd/tj' } });
    await command(kadis!, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
    await command(kabid!, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });
    await command(kasi!, { type: 'start-step', step: 'setting-relay' });
    // Only the relay adapter's report can make the relay "berjalan".
    await t.api.alur.runBackgroundWork();
    t.api.clock.advance(50 * MINUTE);
    await command(kasi!, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'berjalan' } });
    const last = await command(kasi!, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay berjalan' } });
    expect(last.case.status).toBe('completed');

    const detail = await ok(auditor!, 'GET', `/api/v1/cases/${id}`);
    expect(detail.timeline.map((e: { step: string; actors: string[] }) => [e.step, e.actors])).toEqual([
      ['surat-permintaan-relay', ['pontianak.kadis']], ['beri-akses-tayang', ['pontianak.opd']], ['disposisi-ke-bidang', ['pontianak.kadis']],
      ['disposisi-ke-seksi', ['pontianak.kabid-tkpbet']], ['setting-relay', ['pontianak.kasi-sptik']], ['lapor-hasil-relay', ['pontianak.kasi-sptik']],
    ]);
    expect(detail.timeline[0].workMs).toBe(10 * MINUTE);
    expect(detail.timeline[4].workMs).toBe(50 * MINUTE);
    expect(await ok(auditor!, 'GET', `/api/v1/audit/cases/${id}`)).toEqual({ caseId: id, events: 10, ok: true, status: 'ok', lateEvents: [] });
    const stats = await ok(auditor!, 'GET', '/api/v1/stats/timing?sop=pontianak-relay-tayangan');
    expect(stats.rows.find((r: { stepId: string }) => r.stepId === 'setting-relay')).toMatchObject({ count: 1, medianMs: 50 * MINUTE, budgetMs: 60 * MINUTE, withinBudget: 1 });
    const csv = await auditor!.request('GET', '/api/v1/stats/timing?sop=pontianak-relay-tayangan&format=csv');
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('sopId,revision,stepId,group,count,budgetMs,medianMs,p90Ms,maxMs,withinBudget,medianWorkMs,overdue,medianWaitMs,maxWaitMs,row,activity');
    // Per case against the jumlah waktu, and the cases behind the setting-relay row.
    const perCase = await ok(auditor!, 'GET', '/api/v1/stats/timing/cases?sop=pontianak-relay-tayangan');
    const declaredMs = (await ok(auditor!, 'GET', '/api/v1/sops/pontianak-relay-tayangan')).latest.definition.totalBudgetMs;
    expect(perCase.cases).toEqual([expect.objectContaining({ caseId: id, revision: 1, status: 'completed', totalMs: expect.any(Number), declaredMs })]);
    expect(perCase.cases[0].withinDeclared).toBe(perCase.cases[0].totalMs <= declaredMs);
    const behindRow = await ok(auditor!, 'GET', '/api/v1/stats/timing/cases?sop=pontianak-relay-tayangan&revision=1&step=setting-relay');
    expect(behindRow.cases.map((c: { caseId: string; step: unknown }) => [c.caseId, c.step])).toEqual([[id, { visits: 1, maxMs: 50 * MINUTE, budgetMs: 60 * MINUTE, overdue: false }]]);
    expect((await ok(auditor!, 'GET', '/api/v1/stats/timing/cases?sop=pontianak-relay-tayangan&step=no-such-step')).cases).toEqual([]);
    // A period of local days, and a bar of a grouped chart: the cases behind one actor's (one day's) row.
    const byDay = await ok(auditor!, 'GET', '/api/v1/stats/timing?sop=pontianak-relay-tayangan&by=day');
    const day = byDay.rows.find((r: { stepId: string }) => r.stepId === 'setting-relay').group as string;
    expect((await ok(auditor!, 'GET', `/api/v1/stats/timing?sop=pontianak-relay-tayangan&from=${day}&to=${day}`)).rows).toEqual(stats.rows);
    expect((await ok(auditor!, 'GET', '/api/v1/stats/timing?sop=pontianak-relay-tayangan&from=2001-01-01&to=2001-12-31')).rows).toEqual([]);
    const byActor = await ok(auditor!, 'GET', '/api/v1/stats/timing?sop=pontianak-relay-tayangan&by=actor');
    const actor = byActor.rows.find((r: { stepId: string }) => r.stepId === 'setting-relay').group as string;
    const behind = (query: string) => ok(auditor!, 'GET', `/api/v1/stats/timing/cases?sop=pontianak-relay-tayangan&revision=1&step=setting-relay&${query}`);
    expect((await behind(`by=actor&group=${encodeURIComponent(actor)}`)).cases.map((c: { caseId: string }) => c.caseId)).toEqual([id]);
    expect((await behind('by=actor&group=someone-else')).cases).toEqual([]);
    expect((await behind(`by=day&group=${day}&from=${day}&to=${day}`)).cases.map((c: { caseId: string }) => c.caseId)).toEqual([id]);
    expect((await behind('from=2001-01-01&to=2001-12-31')).cases).toEqual([]);
    expect((await auditor!.request('GET', '/api/v1/stats/timing?from=yesterday')).status).toBe(400);
    expect((await auditor!.request('GET', '/api/v1/stats/timing/cases?step=setting-relay&by=actor')).status).toBe(400);
  });

  it('runs a Tarakan shift with a patrol anomaly and a playback approved by management', async () => {
    const [ani, budi, manajer] = await Promise.all(['tarakan.petugas', 'tarakan.petugas-2', 'tarakan.management'].map((u) => t.api.login(u)));
    const { case: c } = await ok(ani!, 'POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' }, 201);
    const command = (client: ApiClient, body: unknown, status = 200) => ok(client, 'POST', `/api/v1/cases/${c.id}/commands`, body, status);

    await command(ani!, { type: 'acknowledge', rule: 'larangan-informasi-rekaman' });
    await command(ani!, { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' });
    await command(ani!, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await command(budi!, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    const sameOfficer = await ani!.request('POST', `/api/v1/cases/${c.id}/commands`, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'x' } });
    expect(sameOfficer.status).toBe(422);
    await command(ani!, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });
    await command(ani!, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } });
    await command(ani!, { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: 'Kerumunan di Simpang Grand' } });
    await command(ani!, { type: 'choose', step: 'ada-temuan', branch: 'ya' });
    await command(ani!, { type: 'complete', step: 'lapor-pimpinan', checklist: ['Dokumentasi'], output: { lokasi: 'Simpang Grand', uraian: 'Kerumunan' } });

    await command(ani!, { type: 'start-procedure', procedure: 'pemutaran-ulang-rekaman' });
    await command(ani!, { type: 'complete', step: 'permintaan-pemutaran', output: { pemohon: 'Budi', instansi: 'Polres', keperluan: 'Penyelidikan', kamera: 'Simpang Grand', dari: '2026-03-02T08:00:00+08:00', sampai: '2026-03-02T08:30:00+08:00' } });
    const selfApproval = await ani!.request('POST', `/api/v1/cases/${c.id}/commands`, { type: 'approve', step: 'izin-manajemen', output: { nomorSurat: 'SP/1' } });
    expect(selfApproval.status).toBe(403);
    // The English message for API users, and the code, variant and parameters a face words in its own language.
    expect(selfApproval.body.refusals).toEqual([{
      code: 'wrong-role', field: '/actor/roles', message: 'step "izin-manajemen" is for role "management"; tarakan.petugas holds "petugas"',
      variant: 'step', params: { step: 'izin-manajemen', roles: '"management"', actor: 'tarakan.petugas', held: '"petugas"' },
    }]);
    const noNumber = await manajer!.request('POST', `/api/v1/cases/${c.id}/commands`, { type: 'approve', step: 'izin-manajemen', output: {} });
    expect(noNumber.status).toBe(422);
    expect(noNumber.body.errors).toEqual([{ field: '/body/output/nomorSurat', message: 'output of step "izin-manajemen": /nomorSurat is required' }]);
    await command(manajer!, { type: 'approve', step: 'izin-manajemen', output: { nomorSurat: 'SP/012/CCTV/2026' } });
    await command(ani!, { type: 'complete', step: 'putar-rekaman', output: { disaksikanOleh: 'Budi' } });
    await command(ani!, { type: 'complete', step: 'berita-acara-tindak-lanjut', checklist: ['Atk', 'Form buku laporan'], output: { nomor: 'BA/1', tindakLanjut: 'Ke Dishub' } });
    await command(ani!, { type: 'choose', step: 'shift-berakhir', branch: 'exit' });
    await command(ani!, { type: 'complete', step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'Lengkap' } });
    const end = await command(budi!, { type: 'complete', step: 'serah-terima-akhir', party: 'penerima' });
    expect(end.case.status).toBe('completed');
    const detail = await ok(manajer!, 'GET', `/api/v1/cases/${c.id}`);
    expect(detail.timeline.find((e: { step: string }) => e.step === 'izin-manajemen')).toMatchObject({ outcome: 'approved', actors: ['tarakan.management'], output: { nomorSurat: 'SP/012/CCTV/2026' } });
  });

  it('keeps commands idempotent and honours If-Match', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const first = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' }, { 'idempotency-key': 'start-42' });
    const again = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' }, { 'idempotency-key': 'start-42' });
    expect(again.body.case.id).toBe(first.body.case.id);
    expect(again.body.duplicate).toBe(true);
    const id = first.body.case.id;
    const note = { type: 'add-note', text: 'Menunggu tanda tangan' };
    const a = await kadis.request('POST', `/api/v1/cases/${id}/commands`, note, { 'idempotency-key': 'n1', 'if-match': '"1"' });
    expect(a.status).toBe(200);
    expect(a.headers.get('etag')).toBe('"2"');
    const b = await kadis.request('POST', `/api/v1/cases/${id}/commands`, note, { 'idempotency-key': 'n1' });
    expect(b.body).toEqual({ ...a.body, duplicate: true });
    // The same key for a different request is refused, not silently answered with the first result.
    const reused = await kadis.request('POST', `/api/v1/cases/${id}/commands`, { type: 'add-note', text: 'Lain' }, { 'idempotency-key': 'n1' });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('urn:alur:problem:idempotency-key-reused');
    const startKeyAsCommand = await kadis.request('POST', `/api/v1/cases/${id}/commands`, { type: 'cancel', reason: 'x' }, { 'idempotency-key': 'start-42' });
    expect(startKeyAsCommand.status).toBe(422);
    const stale = await kadis.request('POST', `/api/v1/cases/${id}/commands`, note, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ type: 'urn:alur:problem:precondition-failed', errors: [{ field: '/headers/if-match' }] });
    const detail = await kadis.request('GET', `/api/v1/cases/${id}`);
    expect(detail.body.events).toHaveLength(2);
  });

  it('answers a conflict naming where the case is now', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const { body } = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' });
    const response = await kadis.request('POST', `/api/v1/cases/${body.case.id}/commands`, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ detail: 'step "lapor-hasil-relay" is not open; the case is now at "surat-permintaan-relay"', currentSteps: ['surat-permintaan-relay'] });
  });

  it('validates and publishes SOP YAML for process owners, with positions', async () => {
    const owner = await t.api.login('tarakan.process-owner');
    const broken = await owner.request('POST', '/api/v1/sops/validate', { source: 'id: x\nversion: nol\n', file: 'sops/x.yaml' });
    expect(broken.status).toBe(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.diagnostics).toContainEqual(expect.objectContaining({ file: 'sops/x.yaml', line: 2, column: 10, code: 'wrong-type' }));
    expect(broken.body.definition).toBeUndefined();
    const { seedText: seed } = await import('../support/seeds.js');
    const valid = await owner.request('POST', '/api/v1/sops/validate', { source: seed('tarakan'), file: 'sops/tarakan-pemantau-cctv.yaml' });
    expect(valid.body).toMatchObject({ valid: true, definition: { id: 'tarakan-pemantau-cctv', start: 'hadir-serah-terima' } });
    const rejected = await owner.request('POST', '/api/v1/sops', { source: 'id: x\n', file: 'sops/x.yaml' });
    expect(rejected.status).toBe(422);
    expect(rejected.body.type).toBe('urn:alur:problem:invalid-sop');
    const { seedText } = await import('../support/seeds.js');
    const unchanged = await owner.request('POST', '/api/v1/sops', { source: seedText('tarakan'), file: 'sops/tarakan-pemantau-cctv.yaml' });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({ created: false, version: { revision: 1 } });
    const revised = await owner.request('POST', '/api/v1/sops', { source: seedText('tarakan').replace('version: 1', 'version: 2'), file: 'sops/tarakan-pemantau-cctv.yaml' });
    expect(revised.status).toBe(201);
    expect(revised.body.version).toMatchObject({ revision: 2, declaredVersion: 2, publishedBy: 'tarakan.process-owner' });
    const sop = await owner.request('GET', '/api/v1/sops/tarakan-pemantau-cctv');
    expect(sop.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
  });

  it('describes itself in OpenAPI 3.1 and reports health', async () => {
    const anonymous = t.api.anonymous();
    const doc = await anonymous.request('GET', '/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/auth/login', '/sops', '/sops/validate', '/cases', '/cases/{caseId}', '/cases/{caseId}/commands', '/tasks', '/stats/timing', '/audit/cases', '/users', '/users/{userId}/roles', '/events']));
    expect(doc.body.paths['/cases/{caseId}/commands'].post.requestBody.content['application/json'].schema.oneOf.map((shape: { properties: { type: { const: string } } }) => shape.properties.type.const)).toContain('complete');
    expect((await anonymous.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await anonymous.request('GET', '/readyz')).status).toBe(200);
    const home = await anonymous.request('GET', '/');
    expect(home.body).toContain('/api/v1/openapi.json');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    // Served over plain http on a LAN (not localhost), upgrade-insecure-requests would send the UI's scripts to https and break it.
    expect(home.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    // Live video: the media server's origin (default http://127.0.0.1:8000) and blob: MediaSource, nothing wider.
    expect(home.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:8000");
    expect(home.headers.get('content-security-policy')).toContain("media-src 'self' blob: http://127.0.0.1:8000");
    expect(home.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
