import type { EntityManager } from '@mikro-orm/postgresql';
import {
  countLedger,
  ledgerChainGaps,
  ledgerHashBreaks,
  ledgerHeadMismatches,
  ledgerSums,
} from '../../db/repositories/ledger.repository.ts';
import { operationEntryGaps } from '../../db/repositories/operations.repository.ts';

export interface Drift {
  userId: string;
  currency: string;
  /**
   * `operation_entry`: a bulk operation's item says it paid, but its ledger entry is missing or moved another amount;
   * `hash_mismatch`: an entry's stored hash is not the hash of its fields and the entry before it (the first such entry
   * of the wallet, `entryId`); `head_mismatch`: the wallet's stored chain head is not its newest entry
   */
  problem: 'sum_mismatch' | 'chain_gap' | 'last_balance_mismatch' | 'operation_entry' | 'hash_mismatch' | 'head_mismatch';
  detail: string;
  /** the ledger entry the problem is about, when there is one */
  entryId?: number;
}

/** What `findDrift` checked and found. */
export interface DriftReport {
  /** wallets checked */
  wallets: number;
  /** ledger entries checked */
  entries: number;
  /** hash chains verified: one per wallet (or walletless ledger) with entries */
  chains: number;
  drift: Drift[];
}

/**
 * Verifies every wallet: the ledger deltas sum to the balance, each row's balance_after equals the previous
 * row's balance_after plus its delta, and the newest balance_after equals the balance; every hash chain (each entry's
 * hash recomputed from its fields and the previous entry's hash; the first broken entry per wallet is named) and
 * every stored chain head; and every currency item a bulk operation applied or undid has its ledger entry (reason
 * `admin_operation`) with the item's amount. Returns every drift found.
 */
export async function findDrift(em: EntityManager): Promise<DriftReport> {
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
      entryId: Number(g.id),
      detail: `entry ${g.id}: ${g.prev_after ?? 0} + ${g.delta} != ${g.balance_after}`,
    });
  }
  for (const b of await ledgerHashBreaks(em)) {
    const more = Number(b.broken) > 1 ? ` (${b.broken} entries of this wallet do not verify)` : '';
    drift.push({
      userId: b.user_id,
      currency: b.currency,
      problem: 'hash_mismatch',
      entryId: Number(b.id),
      detail: `entry ${b.id}: stored hash ${b.hash.slice(0, 16)}…, its fields and the entry before it hash to ${b.expected.slice(0, 16)}…${more}`,
    });
  }
  for (const h of await ledgerHeadMismatches(em)) {
    drift.push({
      userId: h.user_id,
      currency: h.currency,
      problem: 'head_mismatch',
      ...(h.last_id !== null ? { entryId: Number(h.last_id) } : {}),
      detail: `chain head ${h.head_id === null ? 'none' : `entry ${h.head_id} ${h.head?.slice(0, 16)}…`}, newest entry ${h.last_id === null ? 'none' : `${h.last_id} ${h.last_hash?.slice(0, 16)}…`}`,
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
  return { wallets: sums.filter((r) => r.balance !== null).length, entries: n, chains: sums.filter((r) => r.total !== null).length, drift };
}
