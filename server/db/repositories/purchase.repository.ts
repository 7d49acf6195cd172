import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Purchase, StockHold } from '../entities/shop.entity.ts';
import type { IPurchase } from '../entities/shop.entity.ts';
import { runRead, type ReadPart, type WritePart } from '../sql.ts';
import { fieldList } from '../entity-sql.ts';

/** A purchase as the player's history shows it: prices and timestamps in the driver's text form, as the API sends them. */
export interface PurchaseListing {
  id: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  totalPrice: string;
  currency: string;
  status: string;
  receiptCode: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** A new purchase's row. */
export type NewPurchase = Pick<IPurchase, (typeof INSERTED)[number]>;

const INSERTED = [
  'id',
  'userId',
  'productId',
  'sku',
  'quantity',
  'unitPrice',
  'totalPrice',
  'priceCurrency',
  'oneTime',
  'status',
  'receiptCode',
  'createdAt',
  'completedAt',
] as const;

const LISTED = [
  'id',
  'sku',
  'quantity',
  'unitPrice',
  'totalPrice',
  'priceCurrency',
  'status',
  'receiptCode',
  'createdAt',
  'completedAt',
] as const;

/** The purchases and stock_holds tables. Status changes and holds go through the unit of work. */
export const purchases = {
  /** Units of each product the player bought or is paying for (pending and succeeded). An aggregate, so SQL. */
  liveCounts(em: EntityManager, userId: string): Promise<Map<string, number>> {
    return runRead(em, purchases.liveCountsRead(userId));
  },

  /** The read of `liveCounts`, to run with others (`readTogether`). */
  liveCountsRead(userId: string): ReadPart<Map<string, number>> {
    return {
      sql: `select product_id, sum(quantity)::int as n from purchases where user_id = ? and status in ('pending', 'succeeded') group by product_id`,
      params: [userId],
      map: (rows) => new Map(rows.map((r) => [r.product_id as string, Number(r.n)])),
    };
  },

  /**
   * Units of one product the player bought or is paying for, counted under a transaction-scoped advisory lock for
   * that (player, product): two purchases of a capped product by one player take turns, so the second counts the first.
   */
  async lockAndCount(em: EntityManager, userId: string, productId: string): Promise<number> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`shop-cap:${userId}:${productId}`]);
    const [{ n }] = await em.execute<{ n: number }[]>(
      `select coalesce(sum(quantity), 0)::int as n from purchases where user_id = ? and product_id = ? and status in ('pending', 'succeeded')`,
      [userId, productId],
    );
    return n;
  },

  /**
   * Inserts a purchase. Raw on the purchase path: the unit of work's create + flush measured ~0.75 ms slower per
   * purchase than this one INSERT (columns from the entity's metadata). Later changes go through the unit of work.
   */
  async insert(em: EntityManager, p: NewPurchase): Promise<void> {
    const { sql, params } = purchases.insertPart(em, p);
    await em.execute(sql, params);
  },

  /** The same INSERT, to run with `executeTogether` (one round trip with the purchase's other writes). */
  insertPart(em: EntityManager, p: NewPurchase): WritePart {
    const cols = fieldList(em, Purchase, INSERTED);
    return { sql: `insert into purchases (${cols}) values (${INSERTED.map(() => '?').join(', ')})`, params: INSERTED.map((k) => p[k]) };
  },

  /** A purchase locked for update, by receipt code (the webhook) or id (the hold's expiry). */
  lockByReceipt(em: EntityManager, receiptCode: string): Promise<IPurchase | null> {
    return em.findOne(Purchase, { receiptCode }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  },
  lockById(em: EntityManager, id: string): Promise<IPurchase | null> {
    return em.findOne(Purchase, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  },

  /** Ids of purchases still pending that were created before `before`. */
  async pendingBefore(em: EntityManager, before: Date): Promise<string[]> {
    const rows = await em.find(Purchase, { status: 'pending', createdAt: { $lt: before } }, { fields: ['id'] });
    return rows.map((r) => r.id);
  },

  /** The player's purchases, newest first (a raw read: the wire carries the driver's text for prices and times). */
  async listForUser(em: EntityManager, userId: string, limit: number): Promise<PurchaseListing[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${fieldList(em, Purchase, LISTED)} from purchases where user_id = ? order by created_at desc limit ?`,
      [userId, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      sku: r.sku as string,
      quantity: r.quantity as number,
      unitPrice: r.unit_price as string,
      totalPrice: r.total_price as string,
      currency: r.price_currency as string,
      status: r.status as string,
      receiptCode: r.receipt_code as string | null,
      createdAt: r.created_at as string,
      completedAt: r.completed_at as string | null,
    }));
  },

  /** Adds a hold of limited stock for a pending purchase to the unit of work. */
  hold(em: EntityManager, h: { productId: string; purchaseId: string; quantity: number; expiresAt: Date; createdAt: Date }) {
    return em.create(StockHold, { id: randomUUID(), status: 'held', ...h });
  },

  /** The purchase's hold if it still holds stock, locked for update. */
  heldFor(em: EntityManager, purchaseId: string) {
    return em.findOne(StockHold, { purchaseId, status: 'held' }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  },
};
