import { z } from 'zod';
import type { InventoryListing } from '../../db/repositories/inventory.repository.ts';
import type { PurchaseListing } from '../../db/repositories/purchase.repository.ts';
import type { Idempotent } from '../../services/shop/idempotency.ts';
import type { PaymentOutcome } from '../../services/shop/payment.service.ts';
import { purchaseUpdateMessage, type CatalogEntry, type PurchaseResult } from '../../services/shop/shop.results.ts';

export const PurchaseRequest = z
  .object({
    sku: z.string().min(1).max(40),
    quantity: z.number().int().min(1).max(100).default(1),
  })
  .strict();

export const PaymentWebhookBody = z
  .object({
    event_id: z.string().min(1).max(64),
    receipt_code: z.string().min(1).max(32),
    status: z.enum(['success', 'failed']),
  })
  .loose();

/** A catalog product on the wire. */
export function catalogProduct(e: CatalogEntry) {
  return {
    sku: e.sku,
    name: e.name,
    description: e.description,
    kind: e.kind,
    price: e.price,
    currency: e.currency,
    discount_pct: e.discountPct,
    final_price: e.finalPrice,
    grants: e.grants,
    bonus: e.bonus,
    one_time: e.oneTime,
    owned: e.owned,
    limited: e.limited,
    per_user_cap: e.perUserCap,
    cap_left: e.capLeft,
    sale: { starts_at: e.sale.startsAt, ends_at: e.sale.endsAt },
    rank: e.rank,
    can_buy: e.canBuy,
    reason: e.reason,
  };
}

/**
 * The answer to a purchase: 200 when paid and granted, 202 while the provider's payment is pending. The body is the
 * hub's `purchase_update` message for it; a replay under the same Idempotency-Key says so in `Idempotent-Replayed`.
 */
export function purchaseResponse(r: Idempotent<PurchaseResult>) {
  return {
    status: r.result.kind === 'pending' ? 202 : 200,
    body: purchaseUpdateMessage(r.result),
    headers: r.replayed ? { 'Idempotent-Replayed': 'true' } : undefined,
  };
}

/** A purchase in the player's history. */
export function purchaseRow(p: PurchaseListing) {
  return {
    purchase_id: p.id,
    sku: p.sku,
    quantity: p.quantity,
    unit_price: p.unitPrice,
    total_price: p.totalPrice,
    currency: p.currency,
    status: p.status,
    receipt_code: p.receiptCode,
    created_at: p.createdAt,
    completed_at: p.completedAt,
  };
}

/** An inventory item. */
export function inventoryItem(i: InventoryListing) {
  return { item_id: i.itemId, quantity: i.quantity, source: i.source, acquired_at: i.acquiredAt, expires_at: i.expiresAt };
}

/** The payment webhook's answer (also what the development provider returns). */
export function paymentBody(o: PaymentOutcome) {
  return { event_id: o.eventId, purchase_id: o.purchaseId, purchase_status: o.purchaseStatus, applied: o.applied, duplicate: o.duplicate };
}

/** Wire shapes of these answers, for clients (`import type`). */
export type ProductBody = ReturnType<typeof catalogProduct>;
export type InventoryItemBody = ReturnType<typeof inventoryItem>;
