import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CURRENCIES } from '../../../domain/economy/currency.ts';

/** One balance per (user, currency). The CHECK makes the database refuse a negative balance. */
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
  },
});
export type IWallet = InferEntity<typeof Wallet>;
