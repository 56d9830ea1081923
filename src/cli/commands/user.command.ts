import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-key.service.js';
import {
  createUser,
  listUsers,
  resetPassword,
  unlockUser,
  updateUser,
} from '../../auth/user.service.js';
import { ROLES, USER_ROLES, type Role, type UserRole } from '../../domain/roles.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

const roles = USER_ROLES.join(', ');

export function userCommand(program: Command): void {
  const user = program.command('user').description('manage users of the web UI');
  withDatabaseOptions(
    user
      .command('add')
      .description('create a user; prints a generated password once')
      .argument('<username>')
      .option('--role <role>', `one of ${roles}`, 'viewer'),
  ).action((username: string, flags: DatabaseFlags & { role: UserRole }) =>
    withContext(flags, async (ctx) => {
      const created = await createUser(ctx, cliActor(), { username, role: flags.role });
      console.log(`Created ${created.user.role} '${created.user.username}' with the password`);
      console.log(`    ${created.password}`);
      console.log('It is shown only this once.');
    }),
  );
  withDatabaseOptions(
    user.command('list').description('list users').option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const users = await listUsers(ctx);
      if (flags.json) printJson(users);
      else
        printTable(
          users,
          ['username', 'role', 'disabled', 'locked', 'failedLogins', 'createdAt', 'code'],
          'No users yet: `tracelot serve` creates the first admin, or use `tracelot user add`.',
        );
    }),
  );
  withDatabaseOptions(
    user
      .command('set-role')
      .description(`change a user's role (${roles})`)
      .argument('<username>')
      .argument('<role>'),
  ).action((username: string, role: UserRole, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const updated = await updateUser(ctx, cliActor(), username, { role });
      console.log(`${updated.username} is now ${updated.role}`);
    }),
  );
  withDatabaseOptions(
    user
      .command('unlock')
      .description('unlock a user locked after failed logins')
      .argument('<username>'),
  ).action((username: string, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const unlocked = await unlockUser(ctx, cliActor(), username);
      console.log(`${unlocked.username} is unlocked`);
    }),
  );
  withDatabaseOptions(
    user
      .command('reset-password')
      .description('set a new random password; prints it once')
      .argument('<username>'),
  ).action((username: string, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const { user: updated, password } = await resetPassword(ctx, cliActor(), username);
      console.log(
        `New password for ${updated.username} (shown only this once; their sessions ended):`,
      );
      console.log(`    ${password}`);
    }),
  );
}

export function apiKeyCommand(program: Command): void {
  const apikey = program
    .command('apikey')
    .description('manage API keys for scripts, test stations and ERP systems');
  withDatabaseOptions(
    apikey
      .command('create')
      .description('create an API key; prints it once (only its hash is stored)')
      .requiredOption('--name <name>', 'what the key is for, e.g. test-station-3')
      .requiredOption(
        '--role <role>',
        `one of ${ROLES.join(', ')} (site: another site's key, which may only sync)`,
      )
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { name: string; role: Role; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const created = await createApiKey(ctx, cliActor(), { name: flags.name, role: flags.role });
      if (flags.json) return printJson(created);
      console.log(
        `API key '${created.apiKey.name}' (${created.apiKey.role}), shown only this once:`,
      );
      console.log(`    ${created.key}`);
      console.log('Send it as: Authorization: Bearer <key>');
    }),
  );
  withDatabaseOptions(
    apikey.command('list').description('list API keys').option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const keys = await listApiKeys(ctx);
      if (flags.json) printJson(keys);
      else
        printTable(
          keys,
          ['name', 'role', 'createdAt', 'revokedAt', 'code'],
          'No API keys yet: create one with `tracelot apikey create --name NAME --role ROLE`.',
        );
    }),
  );
  withDatabaseOptions(
    apikey.command('revoke').description('revoke an API key').argument('<code>'),
  ).action((code: string, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const key = await revokeApiKey(ctx, cliActor(), code);
      console.log(`Revoked '${key.name}' at ${key.revokedAt}`);
    }),
  );
}
