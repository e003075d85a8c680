/** A test's window on the Stately inspector relay: a WebSocket client that keeps every inspection event. */
import { createServer } from 'node:net';
import WebSocket from 'ws';

export interface InspectionEvent {
  type: '@xstate.actor' | '@xstate.event' | '@xstate.snapshot';
  sessionId: string;
  definition?: string;
  event?: { type: string } & Record<string, unknown>;
  snapshot?: { value: unknown; status: string; context?: unknown };
}

/** A port that was free a moment ago (the relay's page names its port, so port 0 will not do). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function connectInspectorClient(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const events: InspectionEvent[] = [];
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as InspectionEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    events,
    /** Wait until an event satisfies `test` (the relay forwards asynchronously). */
    async until(test: (event: InspectionEvent) => boolean, timeoutMs = 15_000): Promise<InspectionEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such inspection event; got ${events.map((e) => `${e.type} ${e.event?.type ?? ''}`).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => ws.terminate(),
  };
}
