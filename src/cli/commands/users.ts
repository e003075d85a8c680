import { findUserByUsername } from '../../adapters/store/accounts-table.js';
import { generatePassword, hashPassword } from '../../adapters/passwords.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';

/** `alur user password <username>`: set a new generated password and print it once. */
export async function userPasswordCommand(username: string, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const user = await findUserByUsername(alur.db.knex, username);
    if (!user) {
      io.err(`alur: user "${username}" does not exist`);
      return 1;
    }
    const password = generatePassword();
    await alur.db.knex('users').where({ id: user.id }).update({ password_hash: await hashPassword(password) });
    await alur.db.knex('sessions').where({ user_id: user.id }).delete();
    io.out(`${username}: ${password}`);
    return 0;
  });
}
