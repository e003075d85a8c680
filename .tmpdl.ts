import { openDatabase } from './src/adapters/store/database.js';
import { measureDeadlineBacklog } from './bench/lib/deadline-backlog.js';
const URL = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `benchdl_${process.pid}`;
const db = await openDatabase({ databaseUrl: URL, schema });
try {
  console.log(await measureDeadlineBacklog(db, Number(process.argv[2] ?? 10000)));
} finally {
  await db.knex.raw(`drop schema ${schema} cascade`);
  await db.close();
}
