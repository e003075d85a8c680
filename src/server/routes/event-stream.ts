/**
 * Server-sent events: each client receives the changes of its own organisation's cases as they
 * commit (`case.updated`) and steps as they run out of time (`step.overdue`).
 */
import type { Response } from 'express';
import type { Alur } from '../../app/alur.js';
import type { RouteRegistry } from '../route-registry.js';

export class EventStreams {
  private readonly open = new Set<Response>();

  /** End every stream (on shutdown, so the server can close). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  register(routes: RouteRegistry, alur: Alur, heartbeatMs = 15_000): void {
    routes.add({
      method: 'get', path: '/events', tag: 'cases', access: 'user', summary: 'Live changes of your organisation\'s cases (text/event-stream)',
      responses: { 200: { description: 'An event stream: events case.updated and step.overdue, JSON data', contentType: 'text/event-stream' } },
      handler: async ({ user, req, res }) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.write(': connected\n\n');
        this.open.add(res);
        const unsubscribe = alur.changes.subscribe((change) => {
          if (change.organizationId !== user.organizationId) return;
          res.write(`id: ${change.caseId}:${change.seq}\nevent: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
        });
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
        heartbeat.unref();
        req.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          this.open.delete(res);
        });
        return undefined;
      },
    });
  }
}
