/**
 * Server-sent events: each client receives the changes of its own organisation's cases, of SOPs
 * it holds a role in (or all of them, for a system role), as they commit (`case.updated`) and as
 * steps run out of time (`step.overdue`). Every heartbeat re-checks the session and the roles, so
 * a logout, a disabled account or a removed role ends the stream.
 */
import type { Response } from 'express';
import { mayWatch } from '../../app/access-policy.js';
import type { Alur } from '../../app/alur.js';
import { authenticate } from '../auth/authenticate.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';

/** A client that stops reading is dropped before its backlog grows past this. */
const MAX_BACKLOG_BYTES = 1_000_000;

export class EventStreams {
  private readonly open = new Set<Response>();
  private closed = false;

  /** End every stream and refuse new ones (on shutdown, so the server can close). */
  closeAll(): void {
    this.closed = true;
    for (const res of this.open) res.end();
    this.open.clear();
  }

  register(routes: RouteRegistry, alur: Alur, heartbeatMs = 15_000): void {
    const db = alur.db.knex;

    routes.add({
      method: 'get', path: '/events', tag: 'cases', access: 'user', summary: 'Live changes of your organisation\'s cases (text/event-stream)',
      responses: { 200: { description: 'An event stream: events case.updated, step.overdue and adapter.progress ("12/40 kamera diperiksa"), JSON data', contentType: 'text/event-stream' } },
      handler: async ({ user, req, res }) => {
        if (this.closed) throw new HttpProblem(503, 'shutting-down', 'Alur is shutting down; reconnect shortly');
        let viewer = user;
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.write(': connected\n\n');
        this.open.add(res);
        const send = (text: string) => {
          if (res.writableLength > MAX_BACKLOG_BYTES) res.end();
          else res.write(text);
        };
        const unsubscribe = alur.changes.subscribe((change) => {
          if (!mayWatch(viewer, change)) return;
          send(`id: ${change.caseId}:${change.seq}\nevent: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
        });
        const heartbeat = setInterval(() => {
          authenticate({ db, clock: alur.clock }, req)
            .then((current) => {
              viewer = current;
              send(': heartbeat\n\n');
            })
            .catch(() => res.end());
        }, heartbeatMs);
        heartbeat.unref();
        res.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          this.open.delete(res);
        });
        return undefined;
      },
    });
  }
}
