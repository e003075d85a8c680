/**
 * Fan-out of case changes between Alur processes sharing one PostgreSQL: each process NOTIFYs
 * the changes it makes and LISTENs for the others', so every process's live streams see every
 * change. (PGlite is one process by construction and needs none of this.)
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CaseChange, ChangeFeed } from '../../app/change-feed.js';

const CHANNEL = 'alur_changes';

interface PgClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  end(): Promise<void>;
}

export async function startPgChangeRelay(knex: Knex, feed: ChangeFeed, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  const origin = randomUUID();
  const client = (await (knex.client as { acquireRawConnection(): Promise<PgClient> }).acquireRawConnection());
  client.on('error', onError);
  client.on('notification', (message) => {
    if (message.channel !== CHANNEL || !message.payload) return;
    try {
      const change = JSON.parse(message.payload) as CaseChange & { origin: string };
      if (change.origin !== origin) feed.publish(change);
    } catch (error) {
      onError(error);
    }
  });
  await client.query(`LISTEN ${CHANNEL}`);
  const unsubscribe = feed.subscribe((change) => {
    if (change.origin !== undefined) return; // came from another process
    knex.raw('select pg_notify(?, ?)', [CHANNEL, JSON.stringify({ ...change, origin })]).catch(onError);
  });
  return async () => {
    unsubscribe();
    await client.end();
  };
}
