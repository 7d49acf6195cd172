import { DomainError } from '../shared/errors.ts';

/** Currencies: GOLD is soft (earned and bet), GEM is premium (bought). Amounts are integer minor units. */
export const CURRENCIES = ['GOLD', 'GEM'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** A player's balance in every currency. */
export type Balances = Record<Currency, number>;

/** Why a balance changed; every ledger row carries one. */
export const LEDGER_REASONS = [
  'signup_bonus',
  'bet',
  'win',
  'refund',
  'rake',
  'purchase',
  'reward',
  'admin_adjust',
  /** an operator's wallet adjustment from the admin console (operator, reason code and note in its metadata) */
  'admin_adjustment',
  /** one player's entry of a bulk operation (ref_type `operation`; idempotency key `op:` or `op-undo:<operation>:<user>:<currency>`) */
  'admin_operation',
  'transfer',
  'shard_convert',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/** Asserts an amount is a positive safe integer (minor units). */
export function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError('wallet/invalid_amount', `Amount must be a positive integer, got ${amount}.`);
  }
}

/** A signed balance change: credit > 0, debit < 0. */
export interface Movement {
  userId: string;
  currency: Currency;
  /** signed integer minor units, never 0 */
  delta: number;
  reason: LedgerReason;
  refType?: string;
  refId?: string;
  /** unique across the ledger; a retry with the same key returns the original entry */
  idempotencyKey?: string;
  /** 'system' or an admin user id */
  actor?: string;
  meta?: Record<string, unknown>;
}

/** Builds a credit movement (amount > 0). */
export function credit(m: Omit<Movement, 'delta'> & { amount: number }): Movement {
  assertAmount(m.amount);
  const { amount, ...rest } = m;
  return { ...rest, delta: amount };
}

/** Builds a debit movement (amount > 0, stored as a negative delta). */
export function debit(m: Omit<Movement, 'delta'> & { amount: number }): Movement {
  assertAmount(m.amount);
  const { amount, ...rest } = m;
  return { ...rest, delta: -amount };
}

/** True when two movements describe the same change (used to refuse a reused idempotency key with new content). */
export function isSameMovement(
  a: Pick<Movement, 'userId' | 'currency' | 'delta' | 'reason'>,
  b: Pick<Movement, 'userId' | 'currency' | 'delta' | 'reason'>,
): boolean {
  return a.userId === b.userId && a.currency === b.currency && a.delta === b.delta && a.reason === b.reason;
}

/** Moves `amount` from one wallet to another as a debit and a credit that commit together. */
export function transfer(t: {
  from: string;
  to: string;
  currency: Currency;
  amount: number;
  reason: LedgerReason;
  refType?: string;
  refId?: string;
  idempotencyKey?: string;
  actor?: string;
}): [Movement, Movement] {
  const common = { currency: t.currency, amount: t.amount, reason: t.reason, refType: t.refType, refId: t.refId, actor: t.actor };
  return [
    debit({ ...common, userId: t.from, idempotencyKey: t.idempotencyKey && `${t.idempotencyKey}:out` }),
    credit({ ...common, userId: t.to, idempotencyKey: t.idempotencyKey && `${t.idempotencyKey}:in` }),
  ];
}
