import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, CURRENCIES, type Balances, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import type { Bundle } from '../../../domain/shop/pricing.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import type { IPurchase } from '../../db/entities/shop.entity.ts';
import { inventory } from '../../db/repositories/inventory.repository.ts';
import { outboxWrites, writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { products, type ProductRecord } from '../../db/repositories/product.repository.ts';
import { purchases, type NewPurchase } from '../../db/repositories/purchase.repository.ts';
import { executeTogether } from '../../db/sql.ts';
import type { WalletService } from '../wallet/wallet.service.ts';

/** A new purchase of `quantity` units at `unit` each: pending with a receipt code, or succeeded without one. */
type NewPurchaseOf = { id: string; userId: string; product: ProductRecord; quantity: number; unit: number; receiptCode: string | null };

/** The steps a purchase goes through, each inside the caller's transaction (and unit of work). */
export class PurchaseSteps {
  constructor(
    private readonly wallet: WalletService,
    private readonly clock: Clock,
  ) {}

  /** A new purchase of `quantity` units at `unit` each: pending with a receipt code, or succeeded without one. */
  async addPurchase(em: EntityManager, x: NewPurchaseOf): Promise<void> {
    await purchases.insert(em, this.row(x));
  }

  /**
   * A wallet-paid purchase's row, its outbox event and its items, written after the payment and the currencies'
   * credit, with the player's balances read back: one round trip (`executeTogether`; the balances read sees the
   * earlier statements' updates).
   */
  async recordPaid(em: EntityManager, x: NewPurchaseOf, items: Bundle['items']): Promise<Balances> {
    const event = { purchase_id: x.id, sku: x.product.sku, status: 'succeeded', quantity: x.quantity };
    const parts = await executeTogether(em, [
      { sql: 'select currency, balance from wallets where user_id = ?', params: [x.userId], returning: true },
      purchases.insertPart(em, this.row(x)),
      ...outboxWrites([{ type: 'purchase', userId: x.userId, payload: event }]),
      ...inventory.grantParts(x.userId, items, 'shop'),
    ]);
    const rows = parts[0];
    const balances = Object.fromEntries(CURRENCIES.map((c) => [c, 0])) as Balances;
    for (const r of rows) balances[r.currency as Currency] = Number(r.balance);
    return balances;
  }

  private row(x: NewPurchaseOf): NewPurchase {
    const now = this.clock.now();
    return {
      id: x.id,
      userId: x.userId,
      productId: x.product.id,
      sku: x.product.sku,
      quantity: x.quantity,
      unitPrice: x.unit,
      totalPrice: x.unit * x.quantity,
      priceCurrency: x.product.priceCurrency,
      oneTime: x.product.oneTime,
      status: x.receiptCode ? 'pending' : 'succeeded',
      receiptCode: x.receiptCode,
      createdAt: now,
      completedAt: x.receiptCode ? null : now,
    };
  }

  /** Credits the bundle's currencies through the wallet and adds its items to the inventory. */
  async grant(em: EntityManager, userId: string, purchaseId: string, bundle: Bundle): Promise<void> {
    await this.creditCurrencies(em, userId, purchaseId, bundle);
    for (const item of bundle.items) await inventory.grant(em, userId, item.item_id, item.quantity, 'shop');
  }

  /**
   * Credits the bundle's currencies through the wallet. `freshKeys`: the purchase was created in this transaction, so
   * its grant keys cannot have been used (see `WalletService.applyInTransaction`).
   */
  async creditCurrencies(em: EntityManager, userId: string, purchaseId: string, bundle: Bundle, opts: { freshKeys?: boolean } = {}) {
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
    if (movements.length) await this.wallet.applyInTransaction(em, movements, opts);
  }

  /** Gives a pending purchase's held stock back, if it still holds any. */
  async releaseHold(em: EntityManager, purchaseId: string): Promise<void> {
    const hold = await purchases.heldFor(em, purchaseId);
    if (!hold) return;
    hold.status = 'released';
    await products.returnStock(em, hold.productId, hold.quantity);
  }

  /** Closes a purchase with its final status (flushed with the rest of the unit of work) and records the event. */
  async finish(em: EntityManager, pu: IPurchase, status: 'succeeded' | 'failed' | 'voided'): Promise<void> {
    pu.status = status;
    pu.completedAt = this.clock.now();
    await em.flush();
    await writeOutbox(em, { type: 'purchase', userId: pu.userId, payload: { purchase_id: pu.id, sku: pu.sku, status } });
  }
}
