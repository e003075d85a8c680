/**
 * What one Alur transaction costs, independent of how loaded the machine is: SQL statements sent
 * (round trips, BEGIN/COMMIT included) and Node CPU time, over `cycles` Pontianak cycles
 * (start + 4 step completions) in process and over HTTP, one client.
 */
import type { Database } from '../../src/adapters/store/database.js';
import { CYCLE, type CommandArms } from './command-arms.js';

export interface CommandCost { statementsPerTx: number; cpuMsPerTx: number }

export async function measureCommandCost(db: Database, arms: CommandArms, arm: 'inProcess' | 'http', cycles: number): Promise<CommandCost> {
  let statements = 0;
  const onQuery = () => { statements += 1; };
  db.knex.on('query', onQuery);
  const cpu = process.cpuUsage();
  try {
    for (let i = 0; i < cycles; i += 1) await arms[arm](0);
  } finally {
    db.knex.off('query', onQuery);
  }
  const used = process.cpuUsage(cpu);
  const transactions = cycles * CYCLE;
  return { statementsPerTx: statements / transactions, cpuMsPerTx: (used.user + used.system) / 1000 / transactions };
}
