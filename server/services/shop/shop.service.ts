import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { debit } from '../../../domain/economy/currency.ts';
import { assertQuantity, discountedPrice, grantFor, isOnSale, type Bundle } from '../../../domain/shop/pricing.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { pgCode, pgConstraint, PG_UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { inventory, type InventoryListing } from '../../db/repositories/inventory.repository.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { products, type ProductRecord } from '../../db/repositories/product.repository.ts';
import { purchases, type PurchaseListing } from '../../db/repositories/purchase.repository.ts';
import { readTogether, type ReadPart } from '../../db/sql.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { phase } from '../../lib/phases.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';
import type { Balances, WalletService } from '../wallet/wallet.service.ts';
import { catalogEntry, saleWindow } from './catalog.ts';
import { once, requestHash, type Idempotent } from './idempotency.ts';
import { PurchaseSteps } from './purchase-steps.ts';
import type { LimitsService } from '../limits/limits.service.ts';
import {
  purchaseUpdateMessage,
  type CatalogEntry,
  type PurchaseResult,
  type PurchaseSettlement,
  type PurchaseUpdate,
} from './shop.results.ts';

export interface ShopOptions {
  /** seconds a pending provider payment holds limited stock */
  holdSeconds: number;
  /** schedules the hold's expiry (a BullMQ delayed job in production) */
  scheduleHoldExpiry: (purchaseId: string, delayMs: number) => Promise<void>;
  /** called after a player's purchases changed (drops the cached dashboard) */
  onChanged?: (userId: string) => Promise<void>;
  /** bounds the wait for the hold's expiry job on a stalled Redis */
  redis: RedisGuard;
  /** responsible play: no purchase during a cool-off or self-exclusion, none past a spend limit */
  limits?: Pick<LimitsService, 'assertPurchase'>;
}

/** A settled (or already settled) provider payment, for the payment service. */
export interface Settled {
  purchaseId: string;
  userId: string;
  status: string;
  /** false when the purchase was no longer pending (nothing was done) */
  changed: boolean;
  update: PurchaseSettlement | null;
}

/**
 * The shop: a catalog with per-player availability, and purchases that are idempotent per key, debit and grant
 * in one transaction (wallet currencies) or go through the payment provider (USD) with stock held meanwhile.
 */
export class ShopService {
  private readonly steps: PurchaseSteps;

  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
    private readonly opts: ShopOptions,
  ) {
    this.steps = new PurchaseSteps(wallet, clock);
  }

  /** The active catalog, ranked, with what this player may do with each product. */
  async catalog(userId: string): Promise<CatalogEntry[]> {
    const em = this.em();
    const [listed, bought] = await readTogether(em, this.catalogRead(em, userId));
    return this.catalogOf(listed, bought);
  }

  /** The reads of `catalog` (the products, what the player bought), to run with others; `catalogOf` puts them together. */
  catalogRead(em: EntityManager, userId: string): [ReadPart<ProductRecord[]>, ReadPart<Map<string, number>>] {
    return [products.listActiveRead(em), purchases.liveCountsRead(userId)];
  }

  /** The catalog as this player sees it, from the reads of `catalogRead`. */
  catalogOf(listed: ProductRecord[], bought: Map<string, number>): CatalogEntry[] {
    const now = this.clock.now();
    return listed.map((p) => catalogEntry(p, bought.get(p.id) ?? 0, now));
  }

  /**
   * Buys `quantity` of `sku` under an idempotency key. Wallet-priced products are paid and granted at once;
   * provider-priced ones create a pending purchase with a receipt code that the payment webhook settles.
   */
  async purchase(userId: string, req: { sku: string; quantity: number }, key: string): Promise<Idempotent<PurchaseResult>> {
    let pendingHold: string | null = null;
    let made: PurchaseResult | null = null;
    const out = await this.orm.em
      .fork()
      .transactional(async (tx) => {
        const em = tx as EntityManager;
        phase('begin');
        return once(em, { userId, scope: 'shop.purchase', key, hash: requestHash(req) }, async (): Promise<PurchaseResult> => {
          phase('idempotency_key');
          const p = await products.bySku(em, req.sku);
          if (!p) throw new DomainError('resource/not_found', `No product "${req.sku}".`);
          assertQuantity(req.quantity, p.oneTime);
          if (!isOnSale(saleWindow(p), this.clock.now())) throw new DomainError('shop/not_available', `${p.name} is not on sale now.`);
          await this.assertCaps(em, userId, p, req.quantity);
          const unit = discountedPrice(p.price, p.discountPct);
          await this.opts.limits?.assertPurchase(em, userId, p.priceCurrency, unit * req.quantity);
          await this.reserveStock(em, p, req.quantity);
          phase('checks');
          const purchaseId = randomUUID();
          const bundle = grantFor(p.grants as unknown as Bundle, p.bonus as Bundle['currencies'] | null, req.quantity);
          if (p.priceCurrency === 'USD') {
            const receiptCode = `R${randomBytes(8).toString('hex').toUpperCase()}`;
            await this.steps.addPurchase(em, { id: purchaseId, userId, product: p, quantity: req.quantity, unit, receiptCode });
            if (p.stockRemaining !== null) {
              const at = this.clock.now();
              purchases.hold(em, {
                productId: p.id,
                purchaseId,
                quantity: req.quantity,
                expiresAt: new Date(at.getTime() + this.opts.holdSeconds * 1000),
                createdAt: at,
              });
              pendingHold = purchaseId;
            }
            await em.flush();
            const amount = unit * req.quantity;
            made = {
              kind: 'pending',
              purchaseId,
              sku: p.sku,
              quantity: req.quantity,
              amount,
              currency: 'USD',
              receiptCode,
              grants: bundle,
            };
            return made;
          }
          const currency = p.priceCurrency;
          // keys made from the new purchase id cannot have been used: no replay lookup (the unique index still guards)
          const pay = debit({
            userId,
            currency,
            amount: unit * req.quantity,
            reason: 'purchase',
            refType: 'purchase',
            refId: purchaseId,
            idempotencyKey: `purchase:${purchaseId}:pay`,
          });
          await this.wallet.applyInTransaction(em, [pay], { freshKeys: true });
          phase('wallet_locked');
          await this.steps.creditCurrencies(em, userId, purchaseId, bundle, { freshKeys: true });
          phase('grant');
          const row = { id: purchaseId, userId, product: p, quantity: req.quantity, unit, receiptCode: null };
          const balances = await this.steps.recordPaid(em, row, bundle.items);
          phase('purchase_rows');
          const paid = { amount: unit * req.quantity, currency };
          made = { kind: 'completed', purchaseId, sku: p.sku, quantity: req.quantity, paid, granted: bundle, balances };
          return made;
        });
      })
      .catch((err) => {
        throw mapConstraint(err);
      });
    phase('commit');
    if (pendingHold) await this.scheduleHoldExpiry(pendingHold);
    if (made) await this.announce(userId, made);
    phase('announce');
    return out;
  }

  /**
   * Settles a pending provider payment exactly once, in the caller's transaction: success grants the bundle and
   * consumes the hold; failure releases the hold. A purchase that is no longer pending is left as it is.
   */
  async settlePayment(em: EntityManager, receiptCode: string, success: boolean): Promise<Settled> {
    const pu = await purchases.lockByReceipt(em, receiptCode);
    if (!pu) throw new DomainError('payment/unknown_receipt', 'No purchase has this receipt code.');
    if (pu.status !== 'pending') return { purchaseId: pu.id, userId: pu.userId, status: pu.status, changed: false, update: null };
    if (success) {
      const p = await products.byId(em, pu.productId);
      const bundle = grantFor(p.grants as unknown as Bundle, p.bonus as Bundle['currencies'] | null, pu.quantity);
      await this.steps.grant(em, pu.userId, pu.id, bundle);
      const hold = await purchases.heldFor(em, pu.id);
      if (hold) hold.status = 'consumed';
      await this.steps.finish(em, pu, 'succeeded');
      const balances = await this.wallet.balances(em, pu.userId);
      const update: PurchaseSettlement = { kind: 'succeeded', purchaseId: pu.id, sku: pu.sku, granted: bundle, balances };
      return { purchaseId: pu.id, userId: pu.userId, status: 'succeeded', changed: true, update };
    }
    await this.steps.releaseHold(em, pu.id);
    await this.steps.finish(em, pu, 'failed');
    return {
      purchaseId: pu.id,
      userId: pu.userId,
      status: 'failed',
      changed: true,
      update: { kind: 'failed', purchaseId: pu.id, sku: pu.sku },
    };
  }

  /** Voids a pending purchase whose hold expired (or that is older than `maxAgeSeconds`) and returns its stock. */
  async voidStale(opts: { purchaseId?: string; maxAgeSeconds?: number }): Promise<number> {
    const ids = opts.purchaseId
      ? [opts.purchaseId]
      : await purchases.pendingBefore(this.em(), new Date(this.clock.now().getTime() - (opts.maxAgeSeconds ?? 0) * 1000));
    let voided = 0;
    for (const id of ids) {
      const done = await this.orm.em.fork().transactional(async (tx) => {
        const em = tx as EntityManager;
        const pu = await purchases.lockById(em, id);
        if (!pu || pu.status !== 'pending') return null;
        await this.steps.releaseHold(em, id);
        await this.steps.finish(em, pu, 'voided');
        return { userId: pu.userId, sku: pu.sku };
      });
      if (done) {
        voided++;
        await this.announce(done.userId, { kind: 'voided', purchaseId: id, sku: done.sku });
      }
    }
    return voided;
  }

  /** The player's purchases, newest first. */
  purchases(userId: string, limit = 50): Promise<PurchaseListing[]> {
    return purchases.listForUser(this.em(), userId, limit);
  }

  /** The player's inventory. */
  inventory(userId: string): Promise<InventoryListing[]> {
    return inventory.listForUser(this.em(), userId);
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

  /**
   * Drops the player's cached dashboard, then pushes a purchase's outcome to their hub (and the new balances on
   * success). Issued together, in this order, on the one Redis connection: Redis runs them in order (the invalidation
   * before the pushes that make clients refetch) in one round trip instead of one each.
   */
  async announce(userId: string, update: PurchaseUpdate): Promise<void> {
    const calls = [this.opts.onChanged?.(userId), this.hub.push(userId, 'purchase_update', purchaseUpdateMessage(update))];
    if (update.kind === 'completed' || update.kind === 'succeeded') {
      const balances = update.balances;
      calls.push(this.hub.push(userId, 'profile_update', { balances, gold: balances.GOLD, gem: balances.GEM }));
    }
    await Promise.all(calls);
  }

  /**
   * One-time and per-player limits, counted under a lock per (player, product) so that two purchases of the same
   * capped product by the same player (under different keys) take turns.
   */
  private async assertCaps(em: EntityManager, userId: string, p: ProductRecord, quantity: number) {
    if (!p.oneTime && p.perUserCap === null) return;
    const n = await purchases.lockAndCount(em, userId, p.id);
    if (p.oneTime && n > 0) throw new DomainError('shop/already_owned', `You already own ${p.name}.`);
    if (p.perUserCap != null && n + quantity > p.perUserCap) {
      throw new DomainError('shop/cap_reached', `${p.name} is limited to ${p.perUserCap} per player.`, {
        cap_left: Math.max(0, p.perUserCap - n),
      });
    }
  }

  /** Takes limited stock (the row lock the decrement holds to the commit orders concurrent buyers). */
  private async reserveStock(em: EntityManager, p: ProductRecord, quantity: number) {
    if (p.stockRemaining == null) return;
    if (!(await products.takeStock(em, p.id, quantity))) {
      throw new DomainError('shop/sold_out', `${p.name} is sold out.`, { remaining: await products.stockLeft(em, p.id) });
    }
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

/** The database's own refusals (a race the pre-checks could not see) in the API's terms. */
function mapConstraint(err: unknown): unknown {
  if (pgCode(err) === PG_UNIQUE_VIOLATION && pgConstraint(err) === 'purchases_one_time_unique') {
    return new DomainError('shop/already_owned', 'You already own this one-time product.');
  }
  return err;
}

export type { Balances };
