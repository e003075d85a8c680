/**
 * A child process that takes the data directory lock and keeps it until killed. Prints
 * `{"locked": <real path>}` once it holds the lock; answers each stdin line with whether the lock
 * file still names it (`{"holds": true}`). argv: <dataDir>.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { lockDataDir } from '../../src/adapters/store/data-dir-lock.js';

const lock = await lockDataDir(process.argv[2]!);
process.stdout.write(JSON.stringify({ locked: lock.dataDir, pid: process.pid }) + '\n');
for await (const _line of createInterface({ input: process.stdin })) {
  const holder = JSON.parse(readFileSync(lock.lockPath, 'utf8')) as { pid: number };
  process.stdout.write(JSON.stringify({ holds: holder.pid === process.pid }) + '\n');
}
