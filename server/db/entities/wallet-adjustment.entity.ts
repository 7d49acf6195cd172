import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CURRENCIES } from '../../../domain/economy/currency.ts';

export const ADJUSTMENT_STATUSES = ['pending', 'applied', 'rejected', 'failed'] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

/**
 * An operator's wallet adjustment above the approval threshold: it waits `pending` until a second operator approves
 * (then it is applied once, as one `admin_adjustment` ledger entry) or rejects it.
 */
export const WalletAdjustment = defineEntity({
  name: 'WalletAdjustment',
  tableName: 'wallet_adjustments',
  indexes: [
    { name: 'wallet_adjustments_status_idx', properties: ['status', 'createdAt', 'id'] },
    { name: 'wallet_adjustments_user_idx', properties: ['userId', 'createdAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    currency: p.enum([...CURRENCIES]),
    /** signed: a credit > 0, a debit < 0 */
    amount: p.bigint('number'),
    reason: p.string().length(32),
    note: p.string().length(500).default(''),
    status: p.enum([...ADJUSTMENT_STATUSES]),
    requestedBy: p.uuid(),
    requestedByName: p.string().length(20),
    requestId: p.string().length(64).nullable(),
    decidedBy: p.uuid().nullable(),
    decidedByName: p.string().length(20).nullable(),
    decidedAt: p.datetime().nullable(),
    ledgerEntryId: p.bigint('number').nullable(),
    /** the error code when approving found the adjustment could not apply (a debit past zero) */
    error: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IWalletAdjustment = InferEntity<typeof WalletAdjustment>;
