import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CURRENCIES } from '../../../domain/economy/currency.ts';

/**
 * One balance per (user, currency). The CHECK makes the database refuse a negative balance. `ledgerHead` and
 * `ledgerHeadId` are the hash and id of the wallet's newest ledger entry (the head of its hash chain), kept by the
 * ledger's insert trigger; null while the wallet has no entry.
 */
export const Wallet = defineEntity({
  name: 'Wallet',
  tableName: 'wallets',
  indexes: [{ name: 'wallets_currency_balance_idx', properties: ['currency', 'balance', 'userId'] }],
  checks: [{ name: 'wallets_balance_non_negative', expression: 'balance >= 0' }],
  properties: {
    userId: p.uuid().primary(),
    currency: p.enum([...CURRENCIES]).primary(),
    balance: p.bigint('number').default(0),
    version: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()),
    ledgerHead: p.blob().nullable(),
    ledgerHeadId: p.bigint('number').nullable(),
  },
});
export type IWallet = InferEntity<typeof Wallet>;
