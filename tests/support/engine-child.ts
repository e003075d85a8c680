/**
 * A child process running Alur's engine for crash tests. Reads JSON commands, one per line, from
 * stdin; after each commit writes `{"ack": key, …}` to stdout. Its clock is virtual: every
 * message carries the time to set it to. argv: pglite <dataDir> | postgres <url> <schema>.
 */
import { createInterface } from 'node:readline';
import { ManualClock } from '../../src/adapters/clock.js';
import { findCaseByStartKey } from '../../src/adapters/store/cases-table.js';
import { openAlur } from '../../src/app/alur.js';
import type { AnyCaseCommand, CaseActor } from '../../src/engine/index.js';

type Message =
  | { op: 'start-case'; key: string; sopId: string; actor: CaseActor; at: string }
  | { op: 'command'; key: string; caseKey: string; actor: CaseActor; command: AnyCaseCommand; at: string }
  | { op: 'tick'; key: string; at: string };

const [kind, target, schema] = process.argv.slice(2);
const clock = new ManualClock(process.env.CHILD_START_AT ?? '2026-03-02T00:00:00.000Z');
const alur = await openAlur({
  database: kind === 'pglite' ? { dataDir: target! } : { databaseUrl: target!, ...(schema ? { schema } : {}) },
  clock,
  adapters: { run: async () => ({ ok: true }) },
});
// Deadlines that came due while we were down fire now, before any new command.
await alur.runBackgroundWork();
process.stdout.write(JSON.stringify({ ready: true }) + '\n');

const ackDelayMs = Number(process.env.CHILD_ACK_DELAY_MS ?? 0);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const message = JSON.parse(line) as Message;
  clock.set(message.at);
  const write = process.stdout.write.bind(process.stdout);
  const ack = async (text: string) => {
    if (ackDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, ackDelayMs));
    write(text);
  };
  try {
    if (message.op === 'start-case') {
      const result = await alur.cases.startCase({ sopId: message.sopId, actor: message.actor, idempotencyKey: message.key });
      await ack(JSON.stringify({ ack: message.key, caseId: result.case.id, seq: result.event.seq }) + '\n');
    } else if (message.op === 'command') {
      const found = await findCaseByStartKey(alur.db.knex, message.caseKey);
      const result = await alur.cases.execute({ caseId: found!.id, actor: message.actor, command: message.command, idempotencyKey: message.key });
      await ack(JSON.stringify({ ack: message.key, caseId: found!.id, seq: result.event.seq, duplicate: result.duplicate }) + '\n');
    } else {
      await alur.runBackgroundWork();
      process.stdout.write(JSON.stringify({ ack: message.key }) + '\n');
    }
  } catch (error) {
    process.stdout.write(JSON.stringify({ nack: message.key, error: (error as Error).message }) + '\n');
  }
}
await alur.close();
