/**
 * The camera registry through the API: admins and process owners manage it, everybody in the
 * organisation reads it, another organisation sees nothing of it, and a camera's password never
 * comes back in any answer (nor in the server's log).
 */
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const SECRET = 'rahasia-Sekali-123';

describe.each(dialects)('camera registry on $name', (dialect) => {
  const t = useApi(dialect, { env: { ALUR_CAMERA_KEY: 'k'.repeat(40) } });

  it('lets the admin add, import and remove cameras, masks passwords and refuses other roles', async () => {
    const admin = await t.api.login('tarakan.admin');
    const added = await admin.request('POST', '/api/v1/cameras', { name: 'Simpang Grand Tarakan', location: 'Jl. Yos Sudarso', streamUrl: `rtsp://viewer:${SECRET}@10.0.0.5:554/stream1` });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.camera).toMatchObject({ name: 'Simpang Grand Tarakan', streamUrl: 'rtsp://viewer:***@10.0.0.5:554/stream1', hasPassword: true });

    const duplicate = await admin.request('POST', '/api/v1/cameras', { name: 'simpang grand tarakan', streamUrl: 'rtmp://10.0.0.6/live/a' });
    expect(duplicate.status).toBe(409);
    const badUrl = await admin.request('POST', '/api/v1/cameras', { name: 'Kamera FTP', streamUrl: 'ftp://10.0.0.7/x' });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.errors[0].field).toBe('/body/streamUrl');

    const csv = 'name,location,streamUrl\n"Pelabuhan, Dermaga 1",Pelabuhan Malundung,http://10.0.0.8/live/dermaga.flv\nTaman Berlabuh,,rtmp://10.0.0.9/live/taman\n';
    const imported = await admin.request('POST', '/api/v1/cameras/import', { csv });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.cameras.map((c: { name: string }) => c.name)).toEqual(['Pelabuhan, Dermaga 1', 'Taman Berlabuh']);
    // All or none: a bad line adds nothing and is named.
    const badCsv = await admin.request('POST', '/api/v1/cameras/import', { csv: 'name,location,streamUrl\nKamera A,,rtsp://10.0.0.10/a\nKamera B,,bukan-url\n' });
    expect(badCsv.status).toBe(422);
    expect(badCsv.body.detail).toContain('line 3');

    const petugas = await t.api.login('tarakan.petugas');
    const listed = await petugas.request('GET', '/api/v1/cameras');
    expect(listed.status).toBe(200);
    expect(listed.body.cameras.map((c: { name: string }) => c.name).sort()).toEqual(['Pelabuhan, Dermaga 1', 'Simpang Grand Tarakan', 'Taman Berlabuh']);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect((await petugas.request('POST', '/api/v1/cameras', { name: 'X', streamUrl: 'rtmp://10.0.0.11/live/x' })).status).toBe(403);

    const pontianak = await t.api.login('pontianak.admin');
    expect((await pontianak.request('GET', '/api/v1/cameras')).body.cameras).toEqual([]);
    expect((await pontianak.request('DELETE', `/api/v1/cameras/${added.body.camera.id}`)).status).toBe(404);

    const owner = await t.api.login('tarakan.process-owner');
    expect((await owner.request('DELETE', `/api/v1/cameras/${added.body.camera.id}`)).status).toBe(200);
    expect((await petugas.request('GET', '/api/v1/cameras')).body.cameras).toHaveLength(2);

    // At rest the password is encrypted, not merely kept apart.
    const stored = await t.db.knex('cameras').select('stream_url', 'secret');
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(stored.find((r: { secret: string | null }) => r.secret !== null)?.secret).toMatch(/^aes:/);
  });
});
