import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CURRENCIES } from '../../../domain/economy/currency.ts';

/**
 * Immutable record of one balance change. For every wallet the deltas sum to the balance and
 * `balance_after` chains without gaps (checked by `npm run reconcile`). `hash` chains the wallet's entries:
 * SHA-256 of the previous entry's hash and this entry's fields, computed by a trigger on insert (migration
 * `ledger_hash_chain`; the encoding is in docs/architecture.md), so it is never written by the code.
 */
export const LedgerEntry = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  indexes: [
    { name: 'ledger_entries_wallet_idx', properties: ['userId', 'currency', 'id'] },
    { name: 'ledger_entries_ref_idx', properties: ['refType', 'refId'] },
    // append-only, so rows lie in created_at order: a BRIN index serves the economy telemetry's day ranges
    {
      name: 'ledger_entries_created_brin',
      expression: `create index "ledger_entries_created_brin" on "ledger_entries" using brin ("created_at")`,
    },
  ],
  checks: [
    { name: 'ledger_entries_delta_non_zero', expression: 'delta <> 0' },
    { name: 'ledger_entries_balance_after_non_negative', expression: 'balance_after >= 0' },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    userId: p.uuid(),
    currency: p.enum([...CURRENCIES]),
    delta: p.bigint('number'),
    balanceAfter: p.bigint('number'),
    reason: p.string().length(32),
    refType: p.string().length(32).nullable(),
    refId: p.string().length(64).nullable(),
    idempotencyKey: p.string().length(200).nullable().unique(),
    actor: p.string().length(64).default('system'),
    meta: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    hash: p.blob(),
  },
});
export type ILedgerEntry = InferEntity<typeof LedgerEntry>;
