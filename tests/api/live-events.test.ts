import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient, type ApiHarness } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

interface SseEvent { event: string; data: Record<string, unknown> }

/** Subscribe to /api/v1/events and collect events as they arrive. */
async function subscribe(api: ApiHarness, client: ApiClient) {
  const controller = new AbortController();
  const response = await fetch(`${api.url}/api/v1/events`, { headers: { cookie: client.cookie }, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events: SseEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    ended: pump,
    /** The first matching event; waits at most `timeoutMs` (a bound on a hang, not a speed target). */
    async next(predicate: (e: SseEvent) => boolean, timeoutMs = 15_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = events.find(predicate);
        if (hit) return hit;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

describe.each(dialects)('live updates on $name', (dialect) => {
  const t = useApi(dialect);

  it('delivers a case update to the organisation\'s subscribers who may see it, and to nobody else', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const auditor = await t.api.login('pontianak.auditor');
    const tarakan = await t.api.login('tarakan.petugas');
    const [own, other] = await Promise.all([subscribe(t.api, auditor), subscribe(t.api, tarakan)]);
    try {
      const { body } = await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Live' });
      const started = await own.next((e) => e.data.caseId === body.case.id);
      expect(started).toMatchObject({ event: 'case.updated', data: { eventType: 'case.started', seq: 1, activeSteps: ['surat-permintaan-relay'] } });

      await kadis.request('POST', `/api/v1/cases/${body.case.id}/commands`, { type: 'start-step', step: 'surat-permintaan-relay' });
      const update = await own.next((e) => e.data.caseId === body.case.id && e.data.seq === 2);
      expect(update.data.eventType).toBe('step.started');

      t.api.clock.advance(16 * 60_000);
      await t.api.alur.runBackgroundWork();
      const overdue = await own.next((e) => e.event === 'step.overdue');
      expect(overdue.data).toMatchObject({ caseId: body.case.id, step: 'surat-permintaan-relay', seq: 3 });

      // The escalation is also kept as a notification for the SOP's escalation roles.
      const notifications = await kadis.request('GET', '/api/v1/notifications');
      expect(notifications.body.notifications.filter((n: { kind: string }) => n.kind === 'overdue')).toEqual([
        expect.objectContaining({ caseId: body.case.id, kind: 'overdue', step: 'surat-permintaan-relay', roles: ['kadis'] }),
      ]);
      expect((await tarakan.request('GET', '/api/v1/notifications')).body.notifications).toEqual([]);

      // Streams deliver in order: once Tarakan's officer sees a case of its own, it has seen everything before it.
      const { body: shift } = await tarakan.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift' });
      await other.next((e) => e.data.caseId === shift.case.id);
      expect(other.events.filter((e) => e.data.caseId === body.case.id)).toEqual([]);
    } finally {
      await Promise.all([own.close(), other.close()]);
    }
  });

  it('ends a stream when its session ends', async () => {
    const kadis = await t.api.login('pontianak.kadis');
    const stream = await subscribe(t.api, kadis);
    await kadis.request('POST', '/api/v1/auth/logout');
    const ended = await Promise.race([stream.ended.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
    expect(ended).toBe(true);
    await stream.close();
  });
});
