import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, isSameMovement, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import { DomainError, InsufficientFundsError } from '../../../domain/shared/errors.ts';
import { pgCode, pgConstraint, PG_DEADLOCK, PG_SERIALIZATION_FAILURE, PG_UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { findLedgerByKeys, ledgerPage, type LedgerRow } from '../../db/repositories/ledger.repository.ts';
import * as wallets from '../../db/repositories/wallet.repository.ts';
import { runRead, type ReadPart, type WritePart } from '../../db/sql.ts';
import { assertValidDelta, LockedWallets, walletKey, type Balances } from './locked-wallets.ts';

export type { LedgerRow } from '../../db/repositories/ledger.repository.ts';
export { LockedWallets, type Balances } from './locked-wallets.ts';

/** Thrown inside a transaction when a concurrent request inserted the same idempotency key first. */
class IdempotencyRace extends Error {}

const MAX_ATTEMPTS = 3;

/**
 * The only code that changes balances. Every change is a ledger row written in the same transaction as
 * the balance update; the update is conditional (`balance + delta >= 0`) and the database CHECK is the
 * backstop. Several movements (e.g. a round's bet and win) commit or fail together.
 */
export class WalletService {
  constructor(private readonly orm: MikroORM) {}

  /** Applies movements in their own transaction, retrying on idempotency races, deadlocks and serialization failures. */
  async apply(movements: Movement[]): Promise<LedgerRow[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.orm.em.fork().transactional((em) => this.applyInTransaction(em as EntityManager, movements));
      } catch (err) {
        const retryable = err instanceof IdempotencyRace || [PG_DEADLOCK, PG_SERIALIZATION_FAILURE].includes(pgCode(err) ?? '');
        if (!retryable || attempt >= MAX_ATTEMPTS)
          throw err instanceof IdempotencyRace ? new Error('idempotency race did not settle') : err;
      }
    }
  }

  /**
   * Applies movements inside the caller's transaction (so a use case can add its own rows to the same commit).
   * `freshKeys`: every idempotency key is derived from an id created for this operation (no replay possible).
   * Wallet rows are locked in a fixed (user, currency) order to avoid deadlocks; within one wallet the
   * movements keep their given order.
   */
  async applyInTransaction(em: EntityManager, movements: Movement[], opts: { freshKeys?: boolean } = {}): Promise<LedgerRow[]> {
    // keys made from a new round or purchase id cannot have been used: skip the lookup (the unique index still guards)
    const replayed = opts.freshKeys ? new Map<number, LedgerRow>() : await this.findReplays(em, movements);
    const results = new Array<LedgerRow>(movements.length);
    const order = movements.map((m, i) => ({ m, i })).filter(({ i }) => !replayed.has(i));
    order.sort((a, b) => walletKey(a.m).localeCompare(walletKey(b.m)) || a.i - b.i);
    for (const [i, row] of replayed) results[i] = row;
    for (const { m, i } of order) results[i] = await this.applyOne(em, m);
    return results;
  }

  private async findReplays(em: EntityManager, movements: Movement[]): Promise<Map<number, LedgerRow>> {
    const keys = movements.map((m) => m.idempotencyKey).filter((k): k is string => !!k);
    const replayed = new Map<number, LedgerRow>();
    if (keys.length === 0) return replayed;
    const byKey = new Map((await findLedgerByKeys(em, keys)).map((r) => [r.idempotencyKey, r]));
    movements.forEach((m, i) => {
      const row = m.idempotencyKey ? byKey.get(m.idempotencyKey) : undefined;
      if (!row) return;
      if (!isSameMovement(m, { ...row, reason: row.reason as Movement['reason'] })) {
        throw new DomainError('idempotency/key_reuse', 'This idempotency key was already used for a different operation.', {
          idempotency_key: m.idempotencyKey,
        });
      }
      replayed.set(i, row);
    });
    return replayed;
  }

  private async applyOne(em: EntityManager, m: Movement): Promise<LedgerRow> {
    assertValidDelta(m);
    try {
      const row = await wallets.applyToWallet(em, m);
      if (row) return row;
      // no row updated: not enough funds, or no wallet yet (a credit opens it)
      const current = await wallets.walletBalance(em, m.userId, m.currency);
      if (current !== null || m.delta < 0) throw new InsufficientFundsError(m.currency, current ?? 0, -m.delta);
      return await wallets.openWithCredit(em, m);
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE_VIOLATION && pgConstraint(err)?.includes('idempotency_key')) throw new IdempotencyRace();
      throw err;
    }
  }

  /**
   * Locks every wallet of several users in the caller's transaction (opening missing ones at 0), in
   * (user, currency) order so that concurrent batches cannot deadlock. Stage movements on the result, then
   * write them with `lockedWrites`.
   */
  async lockWallets(em: EntityManager, userIds: string[], locked?: Array<Record<string, unknown>>): Promise<LockedWallets> {
    const ids = [...new Set(userIds)].sort();
    let rows = locked ? wallets.walletRows(em, locked) : await wallets.lockWalletRows(em, ids);
    const incomplete = ids.filter((u) => rows.filter((r) => r.userId === u).length < CURRENCIES.length);
    if (incomplete.length > 0) {
      for (const u of incomplete) await wallets.openWallets(em, u);
      rows = [...rows.filter((r) => !incomplete.includes(r.userId)), ...(await wallets.lockWalletRows(em, incomplete))];
    }
    return new LockedWallets(rows);
  }

  /** The lock statement of `lockWallets`, to run in one statement with others; its rows go to `lockWallets` as `locked`. */
  walletLock(userIds: string[]): WritePart {
    return wallets.lockWalletRowsPart([...new Set(userIds)].sort());
  }

  /**
   * The writes of the movements staged on locked wallets, to run with `executeTogether`: a conditional UPDATE of
   * every touched wallet (returning the new balances, for `checkLocked`) and one INSERT of all their ledger rows
   * in staging order. A balance never changes without its ledger row: both are in the same statement.
   */
  lockedWrites(em: EntityManager, locked: LockedWallets): WritePart[] {
    const totals = locked.totals().map(({ balance: _, ...t }) => t);
    return wallets.stagedWalletWrites(em, totals, [...locked.entries()]);
  }

  /**
   * Checks the rows returned by the wallet UPDATE of `lockedWrites` against the balances computed in memory.
   * They cannot differ while the rows are locked; if they do, this throws and the transaction rolls back.
   */
  checkLocked(locked: LockedWallets, updated: Array<Record<string, unknown>>): void {
    const expected = new Map(locked.totals().map((t) => [walletKey(t), t.balance]));
    const matches =
      updated.length === expected.size &&
      updated.every((r) => expected.get(walletKey({ userId: String(r.user_id), currency: r.currency as Currency })) === Number(r.balance));
    if (!matches) throw new Error('locked wallets do not hold the balances computed for them');
  }

  /** Creates the user's wallets (all currencies, balance 0) if missing; inside the caller's transaction. */
  async openWallets(em: EntityManager, userId: string): Promise<void> {
    await wallets.openWallets(em, userId);
  }

  /** Current balances of a user (0 for a currency without a wallet). */
  balances(em: EntityManager, userId: string): Promise<Balances> {
    return runRead(em, this.balancesRead(userId));
  }

  /** The read of `balances`, to run with others (`readTogether`). */
  balancesRead(userId: string): ReadPart<Balances> {
    const read = wallets.walletBalancesRead(userId);
    return {
      ...read,
      map: (rows) => {
        const out = Object.fromEntries(CURRENCIES.map((c) => [c, 0])) as Balances;
        for (const r of read.map(rows)) out[r.currency] = r.balance;
        return out;
      },
    };
  }

  /**
   * A page of the user's ledger, newest first. `cursor` is the id of the last entry of the previous page. `heads`: the
   * head of each of the user's hash chains (the newest entry's id and hash, per currency with entries).
   */
  async ledger(em: EntityManager, userId: string, opts: { limit: number; cursor?: number; currency?: Currency }) {
    const rows = await ledgerPage(em, userId, opts);
    const page = rows.slice(0, opts.limit);
    const nextCursor = rows.length > opts.limit ? page[page.length - 1].id : null;
    return { entries: page, nextCursor, heads: await wallets.walletHeads(em, userId) };
  }
}
