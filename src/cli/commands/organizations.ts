/** `alur org …` and `alur user create`: organisations and their people from the command line (which acts as the operator). */
import { accountsOf, SYSTEM } from '../../app/accounts.js';
import { changeOrganization, createOrganization, findOrganization, visibleOrganizations } from '../../app/organizations.js';
import { NotFoundError } from '../../engine/index.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

export async function orgCreateCommand(id: string, options: { name: string; timeZone?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const org = await createOrganization(alur, SYSTEM, { id, name: options.name, ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
    io.out(`organisation ${org.id} "${org.name}" created (${org.timeZone}); give it an administrator with: alur user create <username> --org ${org.id} --role admin`);
    return 0;
  });
}

export async function orgListCommand(options: { json?: boolean }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const orgs = await visibleOrganizations(alur, SYSTEM);
    if (options.json) io.out(JSON.stringify(orgs, null, 2));
    else io.out(table(['id', 'name', 'time zone'], orgs.map((o) => [o.id, o.name, o.timeZone])));
    return 0;
  });
}

export async function orgChangeCommand(id: string, options: { name?: string; timeZone?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const org = await changeOrganization(alur, SYSTEM, id, { ...(options.name ? { name: options.name } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
    io.out(`organisation ${org.id}: "${org.name}" (${org.timeZone})`);
    return 0;
  });
}

/** `alur user create <username> --org <id> --role r…`: the generated password is printed once. */
export async function userCreateCommand(username: string, options: { org: string; role: string[]; displayName?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    if (!(await findOrganization(alur, options.org))) throw new NotFoundError('organisation', options.org);
    const { user, password } = await accountsOf(alur).createUser(SYSTEM, { organizationId: options.org, username, displayName: options.displayName ?? username, roles: options.role });
    io.out(`${user.username}: ${password}`);
    io.err(`user ${user.username} in ${user.organizationId} with role(s) ${user.roles.join(', ')}; the password above is not shown again`);
    return 0;
  });
}
