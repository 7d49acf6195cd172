// `npm run admin:writes -- on|off`: turns every admin write on or off at once (read at each request, no restart);
// with no argument, prints whether they are on.
import { systemClock } from '../lib/clock.ts';
import { AuditService } from '../services/admin/audit.service.ts';
import { AdminSettingsService } from '../services/admin/settings.service.ts';
import { runCli } from './cli-context.ts';

const arg = process.argv[2];
if (arg !== undefined && arg !== 'on' && arg !== 'off') {
  console.error('usage: npm run admin:writes -- on|off');
  process.exit(2);
}
await runCli(async ({ orm }) => {
  const settings = new AdminSettingsService(orm, systemClock, new AuditService(orm, systemClock));
  if (arg) await settings.setWritesEnabled(arg === 'on', null);
  console.log(`admin writes are ${(await settings.writesEnabled()) ? 'on' : 'off'}`);
});
