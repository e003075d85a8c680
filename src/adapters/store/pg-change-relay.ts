/**
 * Fan-out of messages between Alur processes sharing one PostgreSQL: each process NOTIFYs the
 * messages it publishes and LISTENs for the others', so every process's live streams see every
 * change. The listening connection is pg-listen's, which reconnects after a restart or a dropped
 * connection (and checks it every few seconds), then listens again. A message sent while the
 * connection is down is lost, not the data: live views refetch on reconnect. PGlite is one
 * process by construction and needs none of this.
 */
import { randomUUID } from 'node:crypto';
import pgListen from 'pg-listen';
import type { Database } from './database.js';

/** Where messages come from and go to in this process. */
export interface LocalFeed<T> {
  publish(message: T): void;
  subscribe(listener: (message: T) => void): () => void;
}

export interface RelayOptions {
  onError: (error: unknown) => void;
  /** Told each time the listening connection is (re)established. */
  onConnected?: () => void;
  /** How often the listening connection is checked with a trivial query. */
  checkIntervalMs?: number;
}

type Relayed<T> = T & { origin?: string };

// pg-listen is CommonJS with an `exports.default`.
const createPostgresSubscriber = pgListen.default;

/** The `application_name` of a relay's listening connection. */
export function relayConnectionName(db: Pick<Database, 'postgres'>): string {
  return `alur-relay${db.postgres?.schema ? ` ${db.postgres.schema}` : ''}`.slice(0, 63);
}

export async function startPgChangeRelay<T extends object>(db: Database, feed: LocalFeed<Relayed<T>>, options: RelayOptions): Promise<() => Promise<void>> {
  if (!db.postgres) throw new Error('the change relay needs PostgreSQL');
  // Channels are per database, not per schema: one per schema keeps side-by-side schemas (tests) apart.
  const channel = `alur_changes${db.postgres.schema ? `_${db.postgres.schema}` : ''}`;
  const origin = randomUUID();
  // Named, so an operator (or a test) can find the listening connection in pg_stat_activity.
  const subscriber = createPostgresSubscriber({ connectionString: db.postgres.connectionString, application_name: relayConnectionName(db) }, {
    retryLimit: Infinity,
    retryTimeout: Infinity,
    retryInterval: (attempt: number) => Math.min(250 * 2 ** attempt, 10_000),
    paranoidChecking: options.checkIntervalMs ?? 5_000,
  });
  subscriber.events.on('error', options.onError);
  subscriber.events.on('connected', () => options.onConnected?.());
  subscriber.notifications.on(channel, (message: Relayed<T>) => {
    if (message && message.origin !== origin) feed.publish(message);
  });
  await subscriber.connect();
  await subscriber.listenTo(channel);
  options.onConnected?.();
  // The messages published in one turn of the event loop (a batch of deadlines: hundreds) go out
  // in one statement, in order.
  let pending: string[] = [];
  const flush = () => {
    const payloads = pending;
    pending = [];
    db.knex.raw('select pg_notify(?, payload) from unnest(?::text[]) with ordinality as m(payload, n) order by n', [channel, payloads]).catch(options.onError);
  };
  const unsubscribe = feed.subscribe((message) => {
    if (message.origin !== undefined) return; // came from another process
    if (pending.length === 0) setImmediate(flush);
    pending.push(JSON.stringify({ ...message, origin }));
  });
  return async () => {
    unsubscribe();
    await subscriber.close();
  };
}
