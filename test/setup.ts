// Mocha root hooks and global fixtures: the migrated template database, and the money check at the end of the run.
import { createTemplate, dropAll, reconcileAll } from './helpers/test-db.ts';
import { hasServices, testEnv } from './helpers/test-env.ts';

export async function mochaGlobalSetup() {
  if (hasServices) await createTemplate();
}

export const mochaHooks = {
  /** Every database the run touched must reconcile: sum of ledger deltas = balance, chains unbroken. */
  async afterAll() {
    if (!hasServices) return;
    const problems = await reconcileAll();
    if (problems.length > 0) throw new Error(`ledger drift after the suite:\n  ${problems.join('\n  ')}`);
  },
};

export async function mochaGlobalTeardown() {
  if (hasServices && testEnv.externalDb) await dropAll();
}
