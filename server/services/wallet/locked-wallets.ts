import { CURRENCIES, type Balances, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import { DomainError, InsufficientFundsError } from '../../../domain/shared/errors.ts';
import type { LedgerDraft } from '../../db/repositories/ledger.repository.ts';
import type { WalletRow, WalletTotal } from '../../db/repositories/wallet.repository.ts';

export type { Balances };

/**
 * The wallets of several players, locked for the rest of a transaction (see `WalletService.lockWallets`).
 * Movements are checked and chained in memory (`stage`), then `WalletService.lockedWrites` writes them all: one
 * UPDATE for the wallets, one INSERT for the ledger rows, whose `balance_after` values continue each wallet's chain.
 */
export class LockedWallets {
  private readonly balances = new Map<string, number>();
  private readonly staged: Array<{ m: Movement; balanceAfter: number }> = [];

  constructor(rows: WalletRow[]) {
    for (const r of rows) this.balances.set(walletKey(r), r.balance);
  }

  /**
   * Applies movements to the locked balances, all or none, in the order `applyInTransaction` uses (by wallet,
   * given order within one); refuses like it: `wallet/invalid_amount`, `wallet/insufficient_funds`.
   */
  stage(movements: Movement[]): void {
    const order = movements.map((m, i) => ({ m, i })).sort((a, b) => walletKey(a.m).localeCompare(walletKey(b.m)) || a.i - b.i);
    const next = new Map<string, number>();
    const rows: Array<{ m: Movement; balanceAfter: number }> = [];
    for (const { m } of order) {
      assertValidDelta(m);
      const key = walletKey(m);
      const balance = next.get(key) ?? this.balances.get(key);
      if (balance === undefined) throw new Error(`wallet ${key} is not locked by this transaction`);
      if (balance + m.delta < 0) throw new InsufficientFundsError(m.currency, balance, -m.delta);
      next.set(key, balance + m.delta);
      rows.push({ m, balanceAfter: balance + m.delta });
    }
    for (const [key, balance] of next) this.balances.set(key, balance);
    this.staged.push(...rows);
  }

  /** A locked wallet's balance, staged movements included. */
  balance(userId: string, currency: Currency): number {
    return this.balances.get(walletKey({ userId, currency })) ?? 0;
  }

  balancesOf(userId: string): Balances {
    return Object.fromEntries(CURRENCIES.map((c) => [c, this.balance(userId, c)])) as Balances;
  }

  /** The staged ledger rows, in the order they apply. */
  entries(): ReadonlyArray<LedgerDraft & { balanceAfter: number }> {
    return this.staged;
  }

  /** Per touched wallet: the sum of its staged deltas, their number and the resulting balance. */
  totals(): Array<WalletTotal & { balance: number }> {
    const byWallet = new Map<string, WalletTotal & { balance: number }>();
    for (const { m, balanceAfter } of this.staged) {
      const w = byWallet.get(walletKey(m)) ?? { userId: m.userId, currency: m.currency, delta: 0, n: 0, balance: 0 };
      w.delta += m.delta;
      w.n += 1;
      w.balance = balanceAfter;
      byWallet.set(walletKey(m), w);
    }
    return [...byWallet.values()];
  }
}

/** Refuses a delta that is not a non-zero safe integer (`wallet/invalid_amount`). */
export function assertValidDelta(m: Movement): void {
  if (!Number.isSafeInteger(m.delta) || m.delta === 0) throw new DomainError('wallet/invalid_amount', `Invalid delta ${m.delta}.`);
}

export function walletKey(m: Pick<Movement, 'userId' | 'currency'>): string {
  return `${m.userId}:${m.currency}`;
}
