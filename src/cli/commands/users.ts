/** `alur user …` and `alur token …`: accounts from the command line, which may act on any account. */
import { accountsOf, SYSTEM, type Accounts, type AccountUser, type TokenInfo } from '../../app/accounts.js';
import { NotFoundError } from '../../engine/index.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

async function userNamed(accounts: Accounts, username: string): Promise<AccountUser> {
  const user = await accounts.findUser(username);
  if (!user) throw new NotFoundError('user', username);
  return user;
}

const ended = (r: { sessionsEnded: number; tokensRevoked: number }) => `ended ${r.sessionsEnded} session(s), revoked ${r.tokensRevoked} API token(s)`;

/** `alur user password <username>`: a new generated password, printed once; every session and token of the user ends. */
export async function userPasswordCommand(username: string, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const accounts = accountsOf(alur);
    const result = await accounts.setPassword(SYSTEM, (await userNamed(accounts, username)).id);
    io.out(`${username}: ${result.password}`);
    io.out(ended(result));
    return 0;
  });
}

/** `alur user disable|enable <username>`: a disabled user cannot log in, and every session and token of theirs ends. */
export async function userDisabledCommand(username: string, disabled: boolean, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const accounts = accountsOf(alur);
    const result = await accounts.setDisabled(SYSTEM, (await userNamed(accounts, username)).id, disabled);
    io.out(disabled ? `${username}: disabled; ${ended(result)}` : `${username}: enabled; they log in with their password (ended sessions and revoked tokens stay ended)`);
    return 0;
  });
}

/** `alur token create <username> --name … [--expires-in-days n]`: the secret is printed once. */
export async function tokenCreateCommand(username: string, options: { name: string; expiresInDays?: number }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const accounts = accountsOf(alur);
    const { token, info } = await accounts.createToken((await userNamed(accounts, username)).id, options);
    io.out(token);
    io.err(`API token ${info.id} "${info.name}" for ${username}, ${info.expiresAt ? `expires ${info.expiresAt.toISOString()}` : 'does not expire'}; the secret above is not shown again`);
    return 0;
  });
}

/** `alur token list [--user <username>] [--json]`: every token (or one user's), never a secret. */
export async function tokenListCommand(options: { user?: string; json?: boolean }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const accounts = accountsOf(alur);
    const tokens = await accounts.listTokens(SYSTEM, options.user ? { userId: (await userNamed(accounts, options.user)).id } : {});
    if (options.json) {
      io.out(JSON.stringify(tokens, null, 2));
      return 0;
    }
    io.out(table(['id', 'user', 'name', 'created', 'last used', 'expires', 'status'], tokens.map(tokenRow)));
    return 0;
  });
}

/** `alur token revoke <id>`. */
export async function tokenRevokeCommand(id: string, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const token = await accountsOf(alur).revokeToken(SYSTEM, id);
    io.out(`revoked API token ${token.id} "${token.name}" of ${token.username} (at ${token.revokedAt!.toISOString()})`);
    return 0;
  });
}

function tokenRow(t: TokenInfo): string[] {
  const time = (d: Date | null) => (d ? d.toISOString() : '—');
  return [t.id, t.username, t.name, time(t.createdAt), time(t.lastUsedAt), time(t.expiresAt), t.status === 'revoked' ? `revoked ${time(t.revokedAt)}` : t.status];
}
