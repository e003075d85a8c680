/**
 * Lists obey the same access policy as single reads: someone who holds a role only in another
 * SOP of the same organisation sees none of this SOP's cases, tasks or notifications anywhere.
 */
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';
import { seedText } from '../support/seeds.js';

describe.each(dialects)('list visibility on $name', (dialect) => {
  const t = useApi(dialect);

  it('shows a user with a role only in another SOP none of this SOP\'s cases in any list', async () => {
    const [owner, admin, kadis] = await Promise.all(['pontianak.process-owner', 'pontianak.admin', 'pontianak.kadis'].map((u) => t.api.login(u)));
    // A second SOP in Pontianak: a CCTV shift whose only pelaksana roles are petugas, management and kepala-upt.
    const shift = seedText('tarakan').replace('id: tarakan-pemantau-cctv', 'id: pontianak-pemantau-cctv').replace(/government: .*/, 'government: Pemerintah Kota Pontianak');
    expect((await owner!.request('POST', '/api/v1/sops', { source: shift, file: 'pontianak-pemantau-cctv.yaml' })).status).toBe(201);
    const created = await admin!.request('POST', '/api/v1/users', { username: 'pontianak.operator', displayName: 'Operator CCTV', roles: ['petugas'], password: 'rahasia-operator-123' });
    expect(created.status).toBe(201);
    const operator = await t.api.loginWith('pontianak.operator', 'rahasia-operator-123');

    const { body: relay } = await kadis!.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Relay rahasia' });
    const { body: own } = await operator.request('POST', '/api/v1/cases', { sopId: 'pontianak-pemantau-cctv', title: 'Shift' });
    expect(own.case.id).toBeDefined();

    const cases = (await operator.request('GET', '/api/v1/cases')).body.cases.map((c: { id: string }) => c.id);
    expect(cases).toEqual([own.case.id]);
    expect((await operator.request('GET', '/api/v1/cases?sop=pontianak-relay-tayangan')).body.cases).toEqual([]);
    expect((await operator.request('GET', `/api/v1/cases/${relay.case.id}`)).status).toBe(403);
    const tasks = (await operator.request('GET', '/api/v1/tasks')).body.tasks.map((task: { caseId: string }) => task.caseId);
    expect(tasks).toEqual([own.case.id]);
    const notified = (await operator.request('GET', '/api/v1/notifications')).body.notifications.map((n: { caseId: string }) => n.caseId);
    expect(notified).not.toContain(relay.case.id);
    // The kadis, in turn, does not see the shift; an overseer sees both.
    expect((await kadis!.request('GET', '/api/v1/cases')).body.cases.map((c: { id: string }) => c.id)).toEqual([relay.case.id]);
    expect((await admin!.request('GET', '/api/v1/cases')).body.cases.map((c: { id: string }) => c.id).sort()).toEqual([relay.case.id, own.case.id].sort());
  });
});
