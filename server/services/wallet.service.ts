import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, isSameMovement, type Currency, type Movement } from '../../domain/economy/currency.ts';
import { DomainError, InsufficientFundsError } from '../../domain/shared/errors.ts';
import { pgCode, pgConstraint, PG_DEADLOCK, PG_SERIALIZATION_FAILURE, PG_UNIQUE_VIOLATION } from '../db/pg-errors.ts';

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
  id: string | number; user_id: string; currency: Currency; delta: string | number; balance_after: string | number;
  reason: string; ref_type: string | null; ref_id: string | null; idempotency_key: string | null; actor: string; created_at: string | Date;
}

const LEDGER_COLUMNS = 'id, user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, created_at';

function toRow(r: RawLedgerRow, applied: boolean): LedgerRow {
  return {
    id: Number(r.id), userId: r.user_id, currency: r.currency, delta: Number(r.delta), balanceAfter: Number(r.balance_after),
    reason: r.reason, refType: r.ref_type, refId: r.ref_id, idempotencyKey: r.idempotency_key, actor: r.actor,
    createdAt: new Date(r.created_at), applied,
  };
}

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
        if (!retryable || attempt >= MAX_ATTEMPTS) throw err instanceof IdempotencyRace ? new Error('idempotency race did not settle') : err;
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
        throw new DomainError('idempotency/key_reuse', 'This idempotency key was already used for a different operation.', { idempotency_key: m.idempotencyKey });
      }
      replayed.set(i, row);
    });
    return replayed;
  }

  private async applyOne(em: EntityManager, m: Movement): Promise<LedgerRow> {
    if (!Number.isSafeInteger(m.delta) || m.delta === 0) throw new DomainError('wallet/invalid_amount', `Invalid delta ${m.delta}.`);
    const ledger = [m.reason, m.refType ?? null, m.refId ?? null, m.idempotencyKey ?? null, m.actor ?? 'system', m.meta ? JSON.stringify(m.meta) : null];
    try {
      // the common case in one statement: the conditional balance update and its ledger row
      const rows = await em.execute<RawLedgerRow[]>(
        `with w as (
           update wallets set balance = balance + ?, version = version + 1, updated_at = now()
            where user_id = ? and currency = ? and balance + ? >= 0 returning balance)
         insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, created_at)
         select ?, ?, ?, w.balance, ?, ?, ?, ?, ?, ?, now() from w returning ${LEDGER_COLUMNS}`,
        [m.delta, m.userId, m.currency, m.delta, m.userId, m.currency, m.delta, ...ledger]);
      if (rows.length === 1) return toRow(rows[0], true);
      // no row updated: not enough funds, or no wallet yet (a credit opens it)
      const current = await em.execute<{ balance: string }[]>(`select balance from wallets where user_id = ? and currency = ?`, [m.userId, m.currency]);
      if (current.length === 1 || m.delta < 0) {
        throw new InsufficientFundsError(m.currency, current.length ? Number(current[0].balance) : 0, -m.delta);
      }
      await em.execute(`insert into wallets (user_id, currency, balance, version, updated_at) values (?, ?, ?, 1, now())`, [m.userId, m.currency, m.delta]);
      const [row] = await em.execute<RawLedgerRow[]>(
        `insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key, actor, meta, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) returning ${LEDGER_COLUMNS}`,
        [m.userId, m.currency, m.delta, m.delta, ...ledger]);
      return toRow(row, true);
    } catch (err) {
      if (pgCode(err) === PG_UNIQUE_VIOLATION && pgConstraint(err)?.includes('idempotency_key')) throw new IdempotencyRace();
      throw err;
    }
  }

  /** Creates the user's wallets (all currencies, balance 0) if missing; inside the caller's transaction. */
  async openWallets(em: EntityManager, userId: string): Promise<void> {
    for (const currency of CURRENCIES) {
      await em.execute(`insert into wallets (user_id, currency, balance, version, updated_at) values (?, ?, 0, 0, now()) on conflict do nothing`, [userId, currency]);
    }
  }

  /** Current balances of a user (0 for a currency without a wallet). */
  async balances(em: EntityManager, userId: string): Promise<Balances> {
    const rows = await em.execute<{ currency: Currency; balance: string }[]>(`select currency, balance from wallets where user_id = ?`, [userId]);
    const out = Object.fromEntries(CURRENCIES.map((c) => [c, 0])) as Balances;
    for (const r of rows) out[r.currency] = Number(r.balance);
    return out;
  }

  /** A page of the user's ledger, newest first. `cursor` is the id of the last entry of the previous page. */
  async ledger(em: EntityManager, userId: string, opts: { limit: number; cursor?: number; currency?: Currency }) {
    const params: unknown[] = [userId];
    let where = 'user_id = ?';
    if (opts.cursor !== undefined) { where += ' and id < ?'; params.push(opts.cursor); }
    if (opts.currency) { where += ' and currency = ?'; params.push(opts.currency); }
    params.push(opts.limit + 1);
    const rows = await em.execute<RawLedgerRow[]>(`select ${LEDGER_COLUMNS} from ledger_entries where ${where} order by id desc limit ?`, params);
    const page = rows.slice(0, opts.limit).map((r) => toRow(r, true));
    const nextCursor = rows.length > opts.limit ? page[page.length - 1].id : null;
    return { entries: page, nextCursor };
  }
}

function walletKey(m: Movement): string {
  return `${m.userId}:${m.currency}`;
}
