import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type Movement } from '../../../domain/economy/currency.ts';
import { assertQuantity, discountedPrice, grantFor, isOnSale, type Bundle } from '../../../domain/shop/pricing.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { pgCode, pgConstraint, PG_UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { fromJson, grantItem } from '../../db/sql.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { once, requestHash, type StoredResponse } from './idempotency.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import type { Balances, WalletService } from '../wallet/wallet.service.ts';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  kind: string;
  price: string;
  price_currency: 'GOLD' | 'GEM' | 'USD';
  discount_pct: number;
  grants: Bundle | string;
  bonus: Record<string, number> | string | null;
  one_time: boolean;
  stock_total: number | null;
  stock_remaining: number | null;
  per_user_cap: number | null;
  sale_starts_at: string | null;
  sale_ends_at: string | null;
  active: boolean;
  rank: number;
}

export interface ShopOptions {
  /** seconds a pending provider payment holds limited stock */
  holdSeconds: number;
  /** schedules the hold's expiry (a BullMQ delayed job in production) */
  scheduleHoldExpiry: (purchaseId: string, delayMs: number) => Promise<void>;
  /** called after a player's purchases changed (drops the cached dashboard) */
  onChanged?: (userId: string) => Promise<void>;
  /** bounds the wait for the hold's expiry job on a stalled Redis */
  redis: RedisGuard;
}

const PRODUCT_COLUMNS = `id, sku, name, description, kind, price, price_currency, discount_pct, grants, bonus, one_time, stock_total,
  stock_remaining, per_user_cap, sale_starts_at, sale_ends_at, active, rank`;

/**
 * The shop: a catalog with per-player availability, and purchases that are idempotent per key, debit and grant
 * in one transaction (wallet currencies) or go through the payment provider (USD) with stock held meanwhile.
 */
export class ShopService {
  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
    private readonly opts: ShopOptions,
  ) {}

  /** The active catalog, ranked, with what this player may do with each product. */
  async catalog(userId: string) {
    const em = this.em();
    const now = this.clock.now();
    const products = await em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS} from products where active order by rank, sku`);
    const mine = await em.execute<{ product_id: string; n: number }[]>(
      `select product_id, sum(quantity)::int as n from purchases where user_id = ? and status in ('pending', 'succeeded') group by product_id`,
      [userId],
    );
    const bought = new Map(mine.map((m) => [m.product_id, m.n]));
    return products.map((p) => {
      const count = bought.get(p.id) ?? 0;
      const onSale = isOnSale(toSaleWindow(p), now);
      const capLeft = p.per_user_cap === null ? null : Math.max(0, p.per_user_cap - count);
      const owned = p.one_time && count > 0;
      const soldOut = p.stock_remaining !== null && p.stock_remaining <= 0;
      const reason = !onSale ? 'not_available' : owned ? 'already_owned' : soldOut ? 'sold_out' : capLeft === 0 ? 'cap_reached' : null;
      return {
        sku: p.sku,
        name: p.name,
        description: p.description,
        kind: p.kind,
        price: Number(p.price),
        currency: p.price_currency,
        discount_pct: p.discount_pct,
        final_price: discountedPrice(Number(p.price), p.discount_pct),
        grants: fromJson(p.grants),
        bonus: fromJson(p.bonus),
        one_time: p.one_time,
        owned,
        limited: p.stock_total === null ? null : { total: p.stock_total, remaining: p.stock_remaining },
        per_user_cap: p.per_user_cap,
        cap_left: capLeft,
        sale: { starts_at: p.sale_starts_at, ends_at: p.sale_ends_at },
        rank: p.rank,
        can_buy: reason === null,
        reason,
      };
    });
  }

  /**
   * Buys `quantity` of `sku` under an idempotency key. Wallet-priced products are paid and granted at once
   * (200); provider-priced ones create a pending purchase with a receipt code (202) that the payment webhook settles.
   */
  async purchase(userId: string, req: { sku: string; quantity: number }, key: string): Promise<StoredResponse> {
    let pendingHold: string | null = null;
    let pushed: { status: string; body: Record<string, unknown> } | null = null;
    const result = await this.orm.em
      .fork()
      .transactional(async (tx) => {
        const em = tx as EntityManager;
        return once(em, { userId, scope: 'shop.purchase', key, hash: requestHash(req) }, async () => {
          const p = await this.product(em, req.sku);
          assertQuantity(req.quantity, p.one_time);
          if (!isOnSale(toSaleWindow(p), this.clock.now())) throw new DomainError('shop/not_available', `${p.name} is not on sale now.`);
          await this.assertCaps(em, userId, p, req.quantity);
          await this.reserveStock(em, p, req.quantity);
          const unit = discountedPrice(Number(p.price), p.discount_pct);
          const purchaseId = randomUUID();
          const bundle = grantFor(fromJson(p.grants) as Bundle, fromJson(p.bonus) as Bundle['currencies'] | null, req.quantity);
          if (p.price_currency === 'USD') {
            const receipt = `R${randomBytes(8).toString('hex').toUpperCase()}`;
            await this.insertPurchase(em, { id: purchaseId, userId, p, quantity: req.quantity, unit, status: 'pending', receipt });
            if (p.stock_remaining !== null) {
              await em.execute(
                `insert into stock_holds (id, product_id, purchase_id, quantity, status, expires_at, created_at) values (gen_random_uuid(), ?, ?, ?, 'held', ?, now())`,
                [p.id, purchaseId, req.quantity, new Date(this.clock.now().getTime() + this.opts.holdSeconds * 1000)],
              );
              pendingHold = purchaseId;
            }
            const body = {
              purchase_id: purchaseId,
              status: 'pending',
              sku: p.sku,
              quantity: req.quantity,
              amount: unit * req.quantity,
              currency: 'USD',
              receipt_code: receipt,
              grants: bundle,
            };
            pushed = { status: 'pending', body };
            return { status: 202, body };
          }
          await this.insertPurchase(em, { id: purchaseId, userId, p, quantity: req.quantity, unit, status: 'succeeded', receipt: null });
          await writeOutbox(em, {
            type: 'purchase',
            userId,
            payload: { purchase_id: purchaseId, sku: p.sku, status: 'succeeded', quantity: req.quantity },
          });
          const pay = debit({
            userId,
            currency: p.price_currency,
            amount: unit * req.quantity,
            reason: 'purchase',
            refType: 'purchase',
            refId: purchaseId,
            idempotencyKey: `purchase:${purchaseId}:pay`,
          });
          await this.wallet.applyInTransaction(em, [pay]);
          await this.grant(em, userId, purchaseId, bundle);
          const body = {
            purchase_id: purchaseId,
            status: 'succeeded',
            sku: p.sku,
            quantity: req.quantity,
            paid: { amount: unit * req.quantity, currency: p.price_currency },
            granted: bundle,
            balances: await this.wallet.balances(em, userId),
          };
          pushed = { status: 'succeeded', body };
          return { status: 200, body };
        });
      })
      .catch((err) => {
        throw mapConstraint(err);
      });
    if (pendingHold) await this.scheduleHoldExpiry(pendingHold);
    if (pushed) await this.announce(userId, (pushed as { status: string; body: Record<string, unknown> }).body);
    return result;
  }

  /**
   * Settles a pending provider payment exactly once: success grants the bundle and consumes the hold; failure
   * releases the hold. A purchase that is no longer pending is left as it is.
   */
  async settlePayment(
    em: EntityManager,
    receiptCode: string,
    success: boolean,
  ): Promise<{ purchase_id: string; status: string; user_id: string; changed: boolean; body: Record<string, unknown> }> {
    const rows = await em.execute<
      Array<{ id: string; user_id: string; product_id: string; quantity: number; status: string; sku: string }>
    >('select id, user_id, product_id, quantity, status, sku from purchases where receipt_code = ? for update', [receiptCode]);
    if (rows.length === 0) throw new DomainError('payment/unknown_receipt', 'No purchase has this receipt code.');
    const pu = rows[0];
    if (pu.status !== 'pending')
      return {
        purchase_id: pu.id,
        status: pu.status,
        user_id: pu.user_id,
        changed: false,
        body: { purchase_id: pu.id, status: pu.status, sku: pu.sku },
      };
    if (success) {
      const [p] = await em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS} from products where id = ?`, [pu.product_id]);
      const bundle = grantFor(fromJson(p.grants) as Bundle, fromJson(p.bonus) as Bundle['currencies'] | null, pu.quantity);
      await this.grant(em, pu.user_id, pu.id, bundle);
      await em.execute(`update stock_holds set status = 'consumed' where purchase_id = ? and status = 'held'`, [pu.id]);
      await this.finish(em, pu.id, 'succeeded');
      return {
        purchase_id: pu.id,
        status: 'succeeded',
        user_id: pu.user_id,
        changed: true,
        body: {
          purchase_id: pu.id,
          status: 'succeeded',
          sku: pu.sku,
          granted: bundle,
          balances: await this.wallet.balances(em, pu.user_id),
        },
      };
    }
    await this.releaseHold(em, pu.id);
    await this.finish(em, pu.id, 'failed');
    return {
      purchase_id: pu.id,
      status: 'failed',
      user_id: pu.user_id,
      changed: true,
      body: { purchase_id: pu.id, status: 'failed', sku: pu.sku },
    };
  }

  /** Voids a pending purchase whose hold expired (or that is older than `maxAgeSeconds`) and returns its stock. */
  async voidStale(opts: { purchaseId?: string; maxAgeSeconds?: number }): Promise<number> {
    const em = this.em();
    const ids = opts.purchaseId
      ? [opts.purchaseId]
      : (
          await em.execute<{ id: string }[]>(`select id from purchases where status = 'pending' and created_at < ?`, [
            new Date(this.clock.now().getTime() - (opts.maxAgeSeconds ?? 0) * 1000),
          ])
        ).map((r) => r.id);
    let voided = 0;
    for (const id of ids) {
      const done = await this.orm.em.fork().transactional(async (tx) => {
        const t = tx as EntityManager;
        const [pu] = await t.execute<{ status: string; user_id: string; sku: string }[]>(
          'select status, user_id, sku from purchases where id = ? for update',
          [id],
        );
        if (!pu || pu.status !== 'pending') return null;
        await this.releaseHold(t, id);
        await this.finish(t, id, 'voided');
        return pu;
      });
      if (done) {
        voided++;
        await this.announce(done.user_id, { purchase_id: id, status: 'voided', sku: done.sku });
      }
    }
    return voided;
  }

  /** The player's purchases, newest first. */
  async purchases(userId: string, limit = 50) {
    return this.em().execute(
      `select id as purchase_id, sku, quantity, unit_price, total_price, price_currency as currency, status, receipt_code, created_at, completed_at
         from purchases where user_id = ? order by created_at desc limit ?`,
      [userId, limit],
    );
  }

  /** The player's inventory. */
  async inventory(userId: string) {
    return this.em().execute(
      `select item_id, quantity, source, acquired_at, expires_at from inventory_items where user_id = ? and quantity > 0 order by acquired_at`,
      [userId],
    );
  }

  /**
   * Schedules the expiry of a committed purchase's stock hold, waiting for Redis at most REDIS_COMMAND_TIMEOUT_MS (not
   * at all while it is known down). BullMQ's connection holds commands until Redis answers, so a stalled Redis would
   * otherwise hold the player's answer for as long, after the purchase already committed. Giving up the wait loses
   * nothing: the job is still added once Redis answers (one job id per purchase, its delay counted from now), and if
   * the process stops first, the stale-payment sweep (PAYMENT_PENDING_MAX_AGE_SECONDS, every minute) voids the
   * pending purchase and releases its hold, only later than SHOP_HOLD_SECONDS.
   */
  private async scheduleHoldExpiry(purchaseId: string): Promise<void> {
    const scheduled = this.opts.scheduleHoldExpiry(purchaseId, this.opts.holdSeconds * 1000);
    await this.opts.redis.waitAtMost('shop.hold_expiry', scheduled, undefined, 'left to the job landing later or the stale-payment sweep');
  }

  /** Pushes a purchase's outcome to the player's hub (and the new balances on success). */
  async announce(userId: string, body: Record<string, unknown>): Promise<void> {
    await this.opts.onChanged?.(userId);
    await this.hub.push(userId, 'purchase_update', body);
    const balances = body.balances as { GOLD: number; GEM: number } | undefined;
    if (body.status === 'succeeded' && balances)
      await this.hub.push(userId, 'profile_update', { balances, gold: balances.GOLD, gem: balances.GEM });
  }

  /**
   * The product, read without a lock: purchases of one product by different players do not wait for each other.
   * What must not race is locked where it is checked: a player's caps (`assertCaps`) and the stock (`reserveStock`).
   */
  private async product(em: EntityManager, sku: string): Promise<ProductRow> {
    const rows = await em.execute<ProductRow[]>(`select ${PRODUCT_COLUMNS} from products where sku = ?`, [sku]);
    if (rows.length === 0) throw new DomainError('resource/not_found', `No product "${sku}".`);
    return rows[0];
  }

  /**
   * One-time and per-player limits. Two purchases of the same capped product by the same player (under different
   * keys) take turns on a transaction-scoped advisory lock for that (player, product), so the second one counts the
   * first one's committed purchase.
   */
  private async assertCaps(em: EntityManager, userId: string, p: ProductRow, quantity: number) {
    if (!p.one_time && p.per_user_cap === null) return;
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`shop-cap:${userId}:${p.id}`]);
    const [{ n }] = await em.execute<{ n: number }[]>(
      `select coalesce(sum(quantity), 0)::int as n from purchases where user_id = ? and product_id = ? and status in ('pending', 'succeeded')`,
      [userId, p.id],
    );
    if (p.one_time && n > 0) throw new DomainError('shop/already_owned', `You already own ${p.name}.`);
    if (p.per_user_cap !== null && n + quantity > p.per_user_cap) {
      throw new DomainError('shop/cap_reached', `${p.name} is limited to ${p.per_user_cap} per player.`, {
        cap_left: Math.max(0, p.per_user_cap - n),
      });
    }
  }

  /** Takes stock with one conditional decrement (the row lock it holds to the commit orders concurrent buyers). */
  private async reserveStock(em: EntityManager, p: ProductRow, quantity: number) {
    if (p.stock_remaining === null) return;
    const rows = await em.execute<unknown[]>(
      'update products set stock_remaining = stock_remaining - ? where id = ? and stock_remaining >= ? returning id',
      [quantity, p.id, quantity],
    );
    if (rows.length === 0) {
      const [now] = await em.execute<{ stock_remaining: number }[]>('select stock_remaining from products where id = ?', [p.id]);
      throw new DomainError('shop/sold_out', `${p.name} is sold out.`, { remaining: now.stock_remaining });
    }
  }

  private async releaseHold(em: EntityManager, purchaseId: string) {
    const held = await em.execute<{ product_id: string; quantity: number }[]>(
      `update stock_holds set status = 'released' where purchase_id = ? and status = 'held' returning product_id, quantity`,
      [purchaseId],
    );
    for (const h of held)
      await em.execute('update products set stock_remaining = stock_remaining + ? where id = ?', [h.quantity, h.product_id]);
  }

  private async insertPurchase(
    em: EntityManager,
    x: { id: string; userId: string; p: ProductRow; quantity: number; unit: number; status: string; receipt: string | null },
  ) {
    await em.execute(
      `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, one_time, status, receipt_code, created_at, completed_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        x.id,
        x.userId,
        x.p.id,
        x.p.sku,
        x.quantity,
        x.unit,
        x.unit * x.quantity,
        x.p.price_currency,
        x.p.one_time,
        x.status,
        x.receipt,
        this.clock.now(),
        x.status === 'succeeded' ? this.clock.now() : null,
      ],
    );
  }

  private async grant(em: EntityManager, userId: string, purchaseId: string, bundle: Bundle) {
    const movements: Movement[] = Object.entries(bundle.currencies).map(([currency, amount]) =>
      credit({
        userId,
        currency: currency as 'GOLD' | 'GEM',
        amount: amount!,
        reason: 'purchase',
        refType: 'purchase',
        refId: purchaseId,
        idempotencyKey: `purchase:${purchaseId}:grant:${currency}`,
      }),
    );
    if (movements.length) await this.wallet.applyInTransaction(em, movements);
    for (const item of bundle.items) await grantItem(em, userId, item.item_id, item.quantity, 'shop');
  }

  private async finish(em: EntityManager, purchaseId: string, status: string) {
    const [row] = await em.execute<{ user_id: string; sku: string }[]>(
      'update purchases set status = ?, completed_at = ? where id = ? returning user_id, sku',
      [status, this.clock.now(), purchaseId],
    );
    await writeOutbox(em, { type: 'purchase', userId: row.user_id, payload: { purchase_id: purchaseId, sku: row.sku, status } });
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

function toSaleWindow(p: ProductRow) {
  return {
    active: p.active,
    saleStartsAt: p.sale_starts_at ? new Date(p.sale_starts_at) : null,
    saleEndsAt: p.sale_ends_at ? new Date(p.sale_ends_at) : null,
  };
}

/** The database's own refusals (a race the pre-checks could not see) in the API's terms. */
function mapConstraint(err: unknown): unknown {
  if (pgCode(err) === PG_UNIQUE_VIOLATION && pgConstraint(err) === 'purchases_one_time_unique') {
    return new DomainError('shop/already_owned', 'You already own this one-time product.');
  }
  return err;
}

export type { Balances };
