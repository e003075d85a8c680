/**
 * Prepares a soak database the way an installation would: the seed SOPs (with their budgets cut
 * to seconds, so deadlines come due during a run of minutes), the demo accounts, and one API token
 * per account the soak acts as (tokens need no CSRF token and survive restarts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../src/adapters/clock.js';
import { accountsOf } from '../../src/app/accounts.js';
import { openAlur } from '../../src/app/alur.js';
import { seedDemo, type DemoAccount } from '../../src/app/demo-seed.js';
import { auditKeyFrom, validateSop } from '../../src/engine/index.js';
import type { SoakBackend } from './backends.js';

const SEEDS = ['sops/pontianak-relay-tayangan.yaml', 'sops/tarakan-pemantau-cctv.yaml'];

export interface SoakSetup {
  sopsDir: string;
  accounts: Map<string, DemoAccount>;
  /** Username → API token secret. */
  tokens: Map<string, string>;
  /** The longest step budget after shortening (ms). */
  maxBudgetMs: number;
}

/** Write the seeds with every `time:` budget replaced by `budgetSeconds` detik. */
export function shortenedSeeds(dir: string, budgetSeconds: number): string {
  const sopsDir = join(dir, 'sops');
  mkdirSync(sopsDir, { recursive: true });
  for (const file of SEEDS) {
    let source = readFileSync(file, 'utf8').replace(/^(\s+time:\s*).*$/gm, `$1${budgetSeconds} detik`);
    const name = file.split('/').pop()!;
    // totalTime must match the steps' sum: take the sum the validator computed.
    const sum = validateSop(source, name).diagnostics.find((d) => d.code === 'budget-sum')?.message.match(/add up to (.+?);/)?.[1];
    if (sum) source = source.replace(/^(totalTime:\s*).*$/m, `$1${sum}`);
    const result = validateSop(source, name);
    if (!result.definition) throw new Error(`the shortened ${name} does not validate: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    writeFileSync(join(sopsDir, name), source);
  }
  return sopsDir;
}

export async function prepareSoakDatabase(backend: SoakBackend, options: { users: string[]; budgetSeconds: number; auditKey?: string }): Promise<SoakSetup> {
  const sopsDir = shortenedSeeds(backend.dir, options.budgetSeconds);
  const alur = await openAlur({
    database: backend.options, clock: systemClock, adapters: { run: async () => null },
    ...(options.auditKey ? { auditKey: auditKeyFrom(options.auditKey) } : {}),
  });
  try {
    const seed = await seedDemo(alur, sopsDir);
    const accounts = new Map(seed.created.map((a) => [a.username, a]));
    const tokens = new Map<string, string>();
    const service = accountsOf(alur);
    for (const username of options.users) {
      const user = await service.findUser(username);
      if (!user) throw new Error(`the demo seed has no account ${username}`);
      tokens.set(username, (await service.createToken(user.id, { name: 'soak' })).token);
    }
    return { sopsDir, accounts, tokens, maxBudgetMs: options.budgetSeconds * 1000 };
  } finally {
    await alur.close();
  }
}
