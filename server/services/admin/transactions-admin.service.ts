import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toUsernameKey } from '../../../domain/auth/credentials.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { adminTransactions, type PairedEntryRow, type UnledgeredRow } from '../../db/repositories/admin-transactions.repository.ts';
import { findDrift, type Drift } from '../wallet/reconcile.service.ts';
import { decodeCursor, pageOf, type Page } from './keyset.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an operator can search the ledger by (every one optional, combined with AND). */
export interface TransactionSearch {
  entryId?: number;
  /** a user id or a username */
  player?: string;
  purchaseId?: string;
  receipt?: string;
  roundId?: string;
  providerEventId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** A page of paired ledger entries; for a search by purchase or round, also that source's missing ledger entries. */
export interface TransactionPage extends Page<PairedEntryRow> {
  unledgered: UnledgeredRow[];
}

/** Everything reconciliation found: unpaired entries, sources without ledger, and wallets that disagree with their ledger. */
export interface Reconciliation {
  unpairedEntries: PairedEntryRow[];
  unledgered: UnledgeredRow[];
  walletDrift: Drift[];
  wallets: number;
  entries: number;
  /** hash chains verified (one per wallet with entries) */
  chains: number;
  /** true when a list was cut at `limit` */
  truncated: boolean;
}

/** Transaction lookup: every ledger entry with the purchase, round, reward or adjustment that caused it (read-only). */
export class TransactionsAdminService {
  constructor(private readonly orm: MikroORM) {}

  async search(s: TransactionSearch): Promise<TransactionPage> {
    const em = this.em();
    const empty: TransactionPage = { items: [], nextCursor: null, unledgered: [] };
    const after = decodeCursor(s.cursor, { value: 'bigint', id: 'bigint' });
    let userId: string | undefined;
    if (s.player !== undefined) {
      const found = await this.userIdOf(em, s.player);
      if (!found) return empty;
      userId = found;
    }
    let purchaseId = s.purchaseId;
    for (const by of [{ receipt: s.receipt }, { providerEventId: s.providerEventId }]) {
      if (by.receipt === undefined && by.providerEventId === undefined) continue;
      const id = await adminTransactions.purchaseIdBy(em, by);
      if (!id || (purchaseId !== undefined && purchaseId !== id)) return empty;
      purchaseId = id;
    }
    const filter = { entryId: s.entryId, userId, purchaseId, roundId: s.roundId, from: s.from, to: s.to };
    const rows = await adminTransactions.page(em, filter, { before: after?.id ?? null, limit: s.limit });
    const page = pageOf(rows, s.limit, (r) => ({ value: String(r.id), id: String(r.id) }));
    const source = purchaseId ?? s.roundId;
    const unledgered = source && !s.cursor ? await adminTransactions.unledgered(em, { sourceId: source, limit: 20 }) : [];
    return { ...page, unledgered };
  }

  async get(entryId: number): Promise<PairedEntryRow> {
    const row = await adminTransactions.byId(this.em(), entryId);
    if (!row) throw new DomainError('resource/not_found', `No ledger entry ${entryId}.`);
    return row;
  }

  /** Every unpaired row (up to `limit` of each kind) and every wallet whose balance differs from its ledger. */
  async reconcile(limit: number): Promise<Reconciliation> {
    const em = this.em();
    const [unpairedEntries, unledgered, drift] = [
      await adminTransactions.unpaired(em, limit + 1),
      await adminTransactions.unledgered(em, { limit: limit + 1 }),
      await findDrift(em),
    ];
    return {
      unpairedEntries: unpairedEntries.slice(0, limit),
      unledgered: unledgered.slice(0, limit),
      walletDrift: drift.drift,
      wallets: drift.wallets,
      entries: drift.entries,
      chains: drift.chains,
      truncated: unpairedEntries.length > limit || unledgered.length > limit,
    };
  }

  private async userIdOf(em: EntityManager, player: string): Promise<string | null> {
    if (UUID.test(player)) return player;
    const [row] = await em.execute<{ id: string }[]>('select id from users where username_key = ?', [toUsernameKey(player)]);
    return row?.id ?? null;
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}
