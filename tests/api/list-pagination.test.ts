/**
 * /cases and /tasks come in keyset pages: each page one query, `next` leads to the following page,
 * rows sharing a timestamp are neither repeated nor skipped, and a forged cursor is a 400.
 */
import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

/** Every page of `path` (`limit` 2), following `next` through `param`. */
async function allPages(client: ApiClient, path: string, key: 'cases' | 'tasks', param: 'before' | 'after'): Promise<{ pages: number; rows: Array<Record<string, string>> }> {
  const rows: Array<Record<string, string>> = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const response: { status: number; body: Record<string, any> } = await client.request('GET', `${path}?limit=2${next ? `&${param}=${encodeURIComponent(next)}` : ''}`);
    expect(response.status).toBe(200);
    rows.push(...response.body[key]);
    next = response.body.next;
    pages += 1;
  } while (next !== null && pages < 10);
  return { pages, rows };
}

describe.each(dialects)('paginated lists on $name', (dialect) => {
  const t = useApi(dialect);

  it('pages through cases (newest first) and tasks (oldest first) without repeating or skipping rows started at the same instant', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    // The harness clock stands still: all five cases start at the same instant, so only the id orders them.
    const started: string[] = [];
    for (let i = 0; i < 5; i += 1) started.push((await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: `Relay ${i}` })).body.case.id);

    const cases = await allPages(kadis, '/api/v1/cases', 'cases', 'before');
    expect(cases.pages).toBe(3);
    expect(cases.rows.map((c) => c.id).sort()).toEqual([...started].sort());
    expect((await kadis.request('GET', '/api/v1/cases?limit=500')).body.cases.map((c: { id: string }) => c.id)).toEqual(cases.rows.map((c) => c.id));

    const tasks = await allPages(kadis, '/api/v1/tasks', 'tasks', 'after');
    expect(tasks.pages).toBe(3);
    expect(tasks.rows.map((task) => task.caseId).sort()).toEqual([...started].sort());
    expect((await kadis.request('GET', '/api/v1/tasks')).body.tasks.map((task: { caseId: string }) => task.caseId)).toEqual(tasks.rows.map((task) => task.caseId));
  });

  it('answers 400 for a cursor it did not hand out', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    for (const path of ['/api/v1/cases?before=bm9wZQ', '/api/v1/tasks?after=bm9wZQ', `/api/v1/tasks?after=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url')}`]) {
      const response = await kadis.request('GET', path);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/previous page/);
    }
  });
});
