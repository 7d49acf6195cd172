// `npm run reconcile`: verifies every wallet against its ledger and every ledger hash chain; exits 1 on any drift.
import { findDrift } from '../services/wallet/reconcile.service.ts';
import { runCli } from './cli-context.ts';

await runCli(async ({ em }) => {
  const started = performance.now();
  const { wallets, entries, chains, drift } = await findDrift(em);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`checked ${wallets} wallets, ${entries} ledger entries and ${chains} hash chains in ${seconds} s`);
  for (const d of drift) console.error(`DRIFT ${d.userId} ${d.currency} ${d.problem}: ${d.detail}`);
  console.log(
    drift.length === 0
      ? 'OK: every balance equals the sum of its ledger, balance_after and every hash chain are unbroken'
      : `FAILED: ${drift.length} problem(s)`,
  );
  return drift.length === 0 ? 0 : 1;
});
