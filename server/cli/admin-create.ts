// `npm run admin:create -- --username NAME [--role admin|operator|support|viewer]`: creates an operator
// account and prints its generated password once.
import { ROLES, type Role } from '../db/entities/user.entity.ts';
import { USERNAME_PATTERN } from '../../domain/auth/credentials.ts';
import { parseArgs, runCli } from './cli-context.ts';
import { createAccount } from './operator.ts';

const args = parseArgs();
const username = typeof args.username === 'string' ? args.username : '';
const role = (typeof args.role === 'string' ? args.role : 'admin') as Role;
if (!USERNAME_PATTERN.test(username) || !ROLES.includes(role) || role === 'player') {
  console.error('usage: npm run admin:create -- --username NAME [--role admin|operator|support|viewer]\n  NAME: 3-20 letters, digits or _');
  process.exit(2);
}
await runCli(async ({ config, orm }) => {
  const acc = await createAccount(config, orm, username, role);
  console.log(`created ${acc.role} "${acc.username}" with password: ${acc.password}\n(shown once; change it after first login)`);
});
