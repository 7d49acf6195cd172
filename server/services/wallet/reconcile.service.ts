import type { EntityManager } from '@mikro-orm/postgresql';
import { countLedger, ledgerChainGaps, ledgerSums } from '../../db/repositories/ledger.repository.ts';
import { operationEntryGaps } from '../../db/repositories/operations.repository.ts';

export interface Drift {
  userId: string;
  currency: string;
  /** `operation_entry`: a bulk operation's item says it paid, but its ledger entry is missing or moved another amount */
  problem: 'sum_mismatch' | 'chain_gap' | 'last_balance_mismatch' | 'operation_entry';
  detail: string;
}

/**
 * Verifies every wallet: the ledger deltas sum to the balance, each row's balance_after equals the previous
 * row's balance_after plus its delta, and the newest balance_after equals the balance; and every currency item a bulk
 * operation applied or undid has its ledger entry (reason `admin_operation`) with the item's amount. Returns every drift found.
 */
export async function findDrift(em: EntityManager): Promise<{ wallets: number; entries: number; drift: Drift[] }> {
  const sums = await ledgerSums(em);
  const gaps = await ledgerChainGaps(em);
  const n = await countLedger(em);

  const drift: Drift[] = [];
  for (const r of sums) {
    const total = Number(r.total ?? 0);
    if (r.balance === null) {
      drift.push({
        userId: r.user_id,
        currency: r.currency,
        problem: 'sum_mismatch',
        detail: `ledger sums to ${total} but there is no wallet`,
      });
      continue;
    }
    if (total !== Number(r.balance)) {
      drift.push({ userId: r.user_id, currency: r.currency, problem: 'sum_mismatch', detail: `balance ${r.balance}, ledger sum ${total}` });
    }
    if (r.last_after !== null && Number(r.last_after) !== Number(r.balance)) {
      drift.push({
        userId: r.user_id,
        currency: r.currency,
        problem: 'last_balance_mismatch',
        detail: `balance ${r.balance}, newest balance_after ${r.last_after}`,
      });
    }
  }
  for (const g of gaps) {
    drift.push({
      userId: g.user_id,
      currency: g.currency,
      problem: 'chain_gap',
      detail: `entry ${g.id}: ${g.prev_after ?? 0} + ${g.delta} != ${g.balance_after}`,
    });
  }
  for (const g of await operationEntryGaps(em)) {
    drift.push({
      userId: g.user_id,
      currency: g.currency,
      problem: 'operation_entry',
      detail: `operation ${g.operation_id}: item delta ${g.delta}, ledger ${g.ledger_delta ?? 'missing'}`,
    });
  }
  return { wallets: sums.filter((r) => r.balance !== null).length, entries: n, drift };
}
