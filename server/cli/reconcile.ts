// `npm run reconcile`: verifies every wallet against its ledger; exits 1 on any drift.
import { findDrift } from '../services/wallet/reconcile.service.ts';
import { runCli } from './cli-context.ts';

await runCli(async ({ em }) => {
  const { wallets, entries, drift } = await findDrift(em);
  console.log(`checked ${wallets} wallets and ${entries} ledger entries`);
  for (const d of drift) console.error(`DRIFT ${d.userId} ${d.currency} ${d.problem}: ${d.detail}`);
  console.log(
    drift.length === 0
      ? 'OK: every balance equals the sum of its ledger and every chain is unbroken'
      : `FAILED: ${drift.length} problem(s)`,
  );
  return drift.length === 0 ? 0 : 1;
});
