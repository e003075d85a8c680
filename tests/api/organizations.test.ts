/**
 * Setting up a new office with no code change: the operator creates a Kabupaten organisation and
 * its administrator through the API; the administrator adds a process owner, who publishes the
 * office's own SOP; the administrator adds people for its roles; they run a case to the end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const CUTI = readFileSync(new URL('../fixtures/sops/kabupaten-cuti-tahunan.yaml', import.meta.url), 'utf8');

describe.each(dialects)('organisations as data on $name', (dialect) => {
  const t = useApi(dialect);

  async function ok(client: ApiClient, method: string, path: string, body?: unknown, status = 200) {
    const response = await client.request(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body;
  }

  it('sets up a Kabupaten office through the API and runs its own SOP to the end', async () => {
    const operator = await t.api.login('alur.operator');
    const { organization } = await ok(operator, 'POST', '/api/v1/organizations', { id: 'kab-contoh', name: 'Pemerintah Kabupaten Contoh', timeZone: 'Asia/Jakarta' }, 201);
    expect(organization).toEqual({ id: 'kab-contoh', name: 'Pemerintah Kabupaten Contoh', timeZone: 'Asia/Jakarta' });
    const { user: admin, password } = await ok(operator, 'POST', '/api/v1/organizations/kab-contoh/admins', { username: 'kab-contoh.admin', displayName: 'Admin BKPSDM' }, 201);
    expect(admin.roles).toEqual(['admin']);
    // The operator runs the installation, not the offices: it reads none of their cases.
    expect((await ok(operator, 'GET', '/api/v1/cases')).cases).toEqual([]);

    const kabAdmin = await t.api.loginWith('kab-contoh.admin', password);
    expect((await ok(kabAdmin, 'GET', '/api/v1/organizations')).organizations.map((o: { id: string }) => o.id)).toEqual(['kab-contoh']);
    const people: Record<string, string[]> = { 'kab-contoh.owner': ['process-owner'] };
    const passwords = new Map<string, string>();
    const create = async (username: string, roles: string[]) => {
      const created = await ok(kabAdmin, 'POST', '/api/v1/users', { username, displayName: username, roles }, 201);
      passwords.set(username, created.password);
    };
    for (const [username, roles] of Object.entries(people)) await create(username, roles);
    // Roles of an SOP exist once it is published.
    expect((await kabAdmin.request('POST', '/api/v1/users', { username: 'kab-contoh.sari', displayName: 'Sari', roles: ['pemohon'] })).status).toBe(422);

    const owner = await t.api.loginWith('kab-contoh.owner', passwords.get('kab-contoh.owner')!);
    const published = await ok(owner, 'POST', '/api/v1/sops', { source: CUTI, file: 'cuti-tahunan.yaml' }, 201);
    expect(published.version).toMatchObject({ sopId: 'cuti-tahunan', revision: 1 });

    await create('kab-contoh.sari', ['pemohon']);
    await create('kab-contoh.adi', ['admin-kepegawaian']);
    await create('kab-contoh.kabid', ['kabid']);
    const login = (u: string) => t.api.loginWith(u, passwords.get(u)!);
    const [sari, adi, kabid] = [await login('kab-contoh.sari'), await login('kab-contoh.adi'), await login('kab-contoh.kabid')];

    const { case: c } = await ok(sari, 'POST', '/api/v1/cases', { sopId: 'cuti-tahunan', title: 'Cuti Sari, Maret' }, 201);
    const send = (client: ApiClient, command: unknown) => ok(client, 'POST', `/api/v1/cases/${c.id}/commands`, command);
    await send(sari, { type: 'complete', step: 'ajukan-permohonan', party: 'pemohon', checklist: ['Formulir permohonan cuti', 'SK terakhir'], output: { lamaHari: 4 } });
    await send(adi, { type: 'complete', step: 'ajukan-permohonan', party: 'admin-kepegawaian' });
    // Either of the two roles may verify; the administration officer does.
    const tasks = (await ok(adi, 'GET', '/api/v1/tasks')).tasks.map((task: { step: string }) => task.step);
    expect(tasks).toEqual(['verifikasi']);
    await send(adi, { type: 'complete', step: 'verifikasi', checklist: ['Data sisa cuti'] });
    const done = await send(kabid, { type: 'approve', step: 'persetujuan', output: { nomor: '800/12/BKPSDM/2024' } });
    expect(done.case.status).toBe('completed');

    // The other offices do not see it, and the name and id are the office's.
    const pontianak = await t.api.login('pontianak.admin');
    expect((await pontianak.request('GET', `/api/v1/cases/${c.id}`)).status).toBe(404);
    const renamed = await ok(operator, 'PUT', '/api/v1/organizations/kab-contoh', { name: 'Pemerintah Kabupaten Contoh Jaya' });
    expect(renamed.organization.name).toBe('Pemerintah Kabupaten Contoh Jaya');
  });

  it('refuses a taken id or name and a time zone that does not exist, naming the field', async () => {
    const operator = await t.api.login('alur.operator');
    const taken = await operator.request('POST', '/api/v1/organizations', { id: 'kota-tarakan', name: 'Lain' });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ field: '/body/id', message: 'is taken' }]);
    const sameName = await operator.request('POST', '/api/v1/organizations', { id: 'tarakan-2', name: 'Pemerintah Kota Tarakan' });
    expect(sameName.body.errors).toEqual([{ field: '/body/name', message: 'is taken' }]);
    const zone = await operator.request('POST', '/api/v1/organizations', { id: 'kab-x', name: 'Kabupaten X', timeZone: 'Asia/Tarakan' });
    expect(zone.status).toBe(422);
    expect(zone.body.errors).toEqual([{ field: '/body/timeZone', message: 'is not an IANA time zone' }]);
  });
});
