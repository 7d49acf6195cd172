import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, isSameMovement, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import { DomainError, InsufficientFundsError } from '../../../domain/shared/errors.ts';
import { pgCode, pgConstraint, PG_DEADLOCK, PG_SERIALIZATION_FAILURE, PG_UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import type { WritePart } from '../../db/sql.ts';

/** A ledger row as returned to callers. `applied` is false when an idempotency key replayed an earlier entry. */
export interface LedgerRow {
  id: number;
  userId: string;
  currency: Currency;
  delta: number;
  balanceAfter: number;
  reason: string;
  refType: string | null;
  refId: string | null;
  idempotencyKey: string | null;
  actor: string;
  createdAt: Date;
  applied: boolean;
}

export type Balances = Record<Currency, number>;

interface RawLedgerRow {
  id: string | number;
  user_id: string;
  currency: Currency;
  delta: string | number;
  balance_after: string | number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  idempotency_key: string | null;
  actor: string;
  created_at: string | Date;
}

const LEDGER_COLUMNS = 'id, user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, created_at';

function toRow(r: RawLedgerRow, applied: boolean): LedgerRow {
  return {
    id: Number(r.id),
    userId: r.user_id,
    currency: r.currency,
    delta: Number(r.delta),
    balanceAfter: Number(r.balance_after),
    reason: r.reason,
    refType: r.ref_type,
    refId: r.ref_id,
    idempotencyKey: r.idempotency_key,
    actor: r.actor,
    createdAt: new Date(r.created_at),
    applied,
  };
}

/** Thrown inside a transaction when a concurrent request inserted the same idempotency key first. */
class IdempotencyRace extends Error {}

const MAX_ATTEMPTS = 3;

/**
 * The wallets of several players, locked for the rest of a transaction (see `WalletService.lockWallets`).
 * Movements are checked and chained in memory (`stage`), then `WalletService.lockedWrites` writes them all: one
 * UPDATE for the wallets, one INSERT for the ledger rows, whose `balance_after` values continue each wallet's chain.
 */
export class LockedWallets {
  private readonly balances = new Map<string, number>();
  private readonly staged: Array<{ m: Movement; balanceAfter: number }> = [];

  constructor(rows: Array<{ user_id: string; currency: Currency; balance: string | number }>) {
    for (const r of rows) this.balances.set(walletKey({ userId: r.user_id, currency: r.currency }), Number(r.balance));
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
      if (!Number.isSafeInteger(m.delta) || m.delta === 0) throw new DomainError('wallet/invalid_amount', `Invalid delta ${m.delta}.`);
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
  entries(): ReadonlyArray<{ m: Movement; balanceAfter: number }> {
    return this.staged;
  }

  /** Per touched wallet: the sum of its staged deltas, their number and the resulting balance. */
  totals(): Array<{ user_id: string; currency: Currency; delta: number; n: number; balance: number }> {
    const byWallet = new Map<string, { user_id: string; currency: Currency; delta: number; n: number; balance: number }>();
    for (const { m, balanceAfter } of this.staged) {
      const w = byWallet.get(walletKey(m)) ?? { user_id: m.userId, currency: m.currency, delta: 0, n: 0, balance: 0 };
      w.delta += m.delta;
      w.n += 1;
      w.balance = balanceAfter;
      byWallet.set(walletKey(m), w);
    }
    return [...byWallet.values()];
  }
}

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
    const rows = await em.execute<RawLedgerRow[]>(`select ${LEDGER_COLUMNS} from ledger_entries where idempotency_key in (?)`, [keys]);
    const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
    movements.forEach((m, i) => {
      const existing = m.idempotencyKey ? byKey.get(m.idempotencyKey) : undefined;
      if (!existing) return;
      const row = toRow(existing, false);
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
    if (!Number.isSafeInteger(m.delta) || m.delta === 0) throw new DomainError('wallet/invalid_amount', `Invalid delta ${m.delta}.`);
    const ledger = [
      m.reason,
      m.refType ?? null,
      m.refId ?? null,
      m.idempotencyKey ?? null,
      m.actor ?? 'system',
      m.meta ? JSON.stringify(m.meta) : null,
    ];
    try {
      // the common case in one statement: the conditional balance update and its ledger row
      const rows = await em.execute<RawLedgerRow[]>(
        `with w as (
           update wallets set balance = balance + ?, version = version + 1, updated_at = now()
            where user_id = ? and currency = ? and balance + ? >= 0 returning balance)
         insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, created_at)
         select ?, ?, ?, w.balance, ?, ?, ?, ?, ?, ?, now() from w returning ${LEDGER_COLUMNS}`,
        [m.delta, m.userId, m.currency, m.delta, m.userId, m.currency, m.delta, ...ledger],
      );
      if (rows.length === 1) return toRow(rows[0], true);
      // no row updated: not enough funds, or no wallet yet (a credit opens it)
      const current = await em.execute<{ balance: string }[]>(`select balance from wallets where user_id = ? and currency = ?`, [
        m.userId,
        m.currency,
      ]);
      if (current.length === 1 || m.delta < 0) {
        throw new InsufficientFundsError(m.currency, current.length ? Number(current[0].balance) : 0, -m.delta);
      }
      await em.execute(`insert into wallets (user_id, currency, balance, version, updated_at) values (?, ?, ?, 1, now())`, [
        m.userId,
        m.currency,
        m.delta,
      ]);
      const [row] = await em.execute<RawLedgerRow[]>(
        `insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) returning ${LEDGER_COLUMNS}`,
        [m.userId, m.currency, m.delta, m.delta, ...ledger],
      );
      return toRow(row, true);
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
  async lockWallets(em: EntityManager, userIds: string[]): Promise<LockedWallets> {
    const ids = [...new Set(userIds)].sort();
    type Row = { user_id: string; currency: Currency; balance: string };
    const lock = (users: string[]) =>
      em.execute<Row[]>(`select user_id, currency, balance from wallets where user_id in (?) order by user_id, currency for update`, [
        users,
      ]);
    let rows = await lock(ids);
    const incomplete = ids.filter((u) => rows.filter((r) => r.user_id === u).length < CURRENCIES.length);
    if (incomplete.length > 0) {
      for (const u of incomplete) await this.openWallets(em, u);
      rows = [...rows.filter((r) => !incomplete.includes(r.user_id)), ...(await lock(incomplete))];
    }
    return new LockedWallets(rows);
  }

  /**
   * The writes of the movements staged on locked wallets, to run with `executeTogether`: a conditional UPDATE of
   * every touched wallet (returning the new balances, for `checkLocked`) and one INSERT of all their ledger rows
   * in staging order. A balance never changes without its ledger row: both are in the same statement.
   */
  lockedWrites(wallets: LockedWallets): WritePart[] {
    const entries = wallets.entries();
    if (entries.length === 0) return [];
    const ledger = entries.map(({ m, balanceAfter }, seq) => ({
      seq,
      user_id: m.userId,
      currency: m.currency,
      delta: m.delta,
      balance_after: balanceAfter,
      reason: m.reason,
      ref_type: m.refType ?? null,
      ref_id: m.refId ?? null,
      idempotency_key: m.idempotencyKey ?? null,
      actor: m.actor ?? 'system',
      meta: m.meta ?? null,
    }));
    return [
      {
        sql: `update wallets w set balance = w.balance + v.delta, version = w.version + v.n, updated_at = now()
              from json_to_recordset(?::json) as v(user_id uuid, currency text, delta bigint, n int)
             where w.user_id = v.user_id and w.currency = v.currency and w.balance + v.delta >= 0
             returning w.user_id, w.currency, w.balance`,
        params: [JSON.stringify(wallets.totals().map(({ balance: _, ...t }) => t))],
        returning: true,
      },
      {
        sql: `insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, created_at)
            select user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, now()
              from json_to_recordset(?::json) as v(seq int, user_id uuid, currency text, delta bigint, balance_after bigint, reason text,
                   ref_type text, ref_id text, idempotency_key text, actor text, meta jsonb)
             order by seq`,
        params: [JSON.stringify(ledger)],
      },
    ];
  }

  /**
   * Checks the rows returned by the wallet UPDATE of `lockedWrites` against the balances computed in memory.
   * They cannot differ while the rows are locked; if they do, this throws and the transaction rolls back.
   */
  checkLocked(wallets: LockedWallets, updated: Array<Record<string, unknown>>): void {
    const expected = new Map(wallets.totals().map((t) => [walletKey({ userId: t.user_id, currency: t.currency }), t.balance]));
    const matches =
      updated.length === expected.size &&
      updated.every((r) => expected.get(walletKey({ userId: String(r.user_id), currency: r.currency as Currency })) === Number(r.balance));
    if (!matches) throw new Error('locked wallets do not hold the balances computed for them');
  }

  /** Creates the user's wallets (all currencies, balance 0) if missing; inside the caller's transaction. */
  async openWallets(em: EntityManager, userId: string): Promise<void> {
    for (const currency of CURRENCIES) {
      await em.execute(
        `insert into wallets (user_id, currency, balance, version, updated_at) values (?, ?, 0, 0, now()) on conflict do nothing`,
        [userId, currency],
      );
    }
  }

  /** Current balances of a user (0 for a currency without a wallet). */
  async balances(em: EntityManager, userId: string): Promise<Balances> {
    const rows = await em.execute<{ currency: Currency; balance: string }[]>(`select currency, balance from wallets where user_id = ?`, [
      userId,
    ]);
    const out = Object.fromEntries(CURRENCIES.map((c) => [c, 0])) as Balances;
    for (const r of rows) out[r.currency] = Number(r.balance);
    return out;
  }

  /** A page of the user's ledger, newest first. `cursor` is the id of the last entry of the previous page. */
  async ledger(em: EntityManager, userId: string, opts: { limit: number; cursor?: number; currency?: Currency }) {
    const params: unknown[] = [userId];
    let where = 'user_id = ?';
    if (opts.cursor !== undefined) {
      where += ' and id < ?';
      params.push(opts.cursor);
    }
    if (opts.currency) {
      where += ' and currency = ?';
      params.push(opts.currency);
    }
    params.push(opts.limit + 1);
    const rows = await em.execute<RawLedgerRow[]>(
      `select ${LEDGER_COLUMNS} from ledger_entries where ${where} order by id desc limit ?`,
      params,
    );
    const page = rows.slice(0, opts.limit).map((r) => toRow(r, true));
    const nextCursor = rows.length > opts.limit ? page[page.length - 1].id : null;
    return { entries: page, nextCursor };
  }
}

function walletKey(m: Pick<Movement, 'userId' | 'currency'>): string {
  return `${m.userId}:${m.currency}`;
}
