import type { Bundle } from '../../../domain/shop/pricing.ts';
import type { Balances } from '../wallet/wallet.service.ts';

/** Why a product cannot be bought now, or null when it can. */
export type UnavailableReason = 'not_available' | 'already_owned' | 'sold_out' | 'cap_reached' | null;

/** A catalog product with what this player may do with it. */
export interface CatalogEntry {
  sku: string;
  name: string;
  description: string;
  kind: string;
  price: number;
  currency: 'GOLD' | 'GEM' | 'USD';
  discountPct: number;
  finalPrice: number;
  grants: Bundle;
  /** extra currency per unit on top of `grants` */
  bonus: Bundle['currencies'] | null;
  oneTime: boolean;
  owned: boolean;
  limited: { total: number; remaining: number | null } | null;
  perUserCap: number | null;
  capLeft: number | null;
  /** the sale window in PostgreSQL's text form */
  sale: { startsAt: string | null; endsAt: string | null };
  rank: number;
  canBuy: boolean;
  reason: UnavailableReason;
}

/** A wallet-priced purchase: paid and granted at once. */
export interface CompletedPurchase {
  kind: 'completed';
  purchaseId: string;
  sku: string;
  quantity: number;
  paid: { amount: number; currency: 'GOLD' | 'GEM' };
  granted: Bundle;
  balances: Balances;
}

/** A provider-priced purchase waiting for the payment webhook. */
export interface PendingPurchase {
  kind: 'pending';
  purchaseId: string;
  sku: string;
  quantity: number;
  amount: number;
  currency: 'USD';
  receiptCode: string;
  grants: Bundle;
}

/** What `ShopService.purchase` returns (and stores under the Idempotency-Key). */
export type PurchaseResult = CompletedPurchase | PendingPurchase;

/** A pending purchase's outcome: paid and granted by the webhook, or failed, or voided when its hold expired. */
export type PurchaseSettlement =
  | { kind: 'succeeded'; purchaseId: string; sku: string; granted: Bundle; balances: Balances }
  | { kind: 'failed' | 'voided'; purchaseId: string; sku: string };

/** Anything a player is told about one of their purchases. */
export type PurchaseUpdate = PurchaseResult | PurchaseSettlement;

/**
 * The hub's `purchase_update` message for an update (docs/protocol.md). `POST /shop/purchase` answers with the same
 * object, so the HTTP response and the push cannot drift apart.
 */
export function purchaseUpdateMessage(u: PurchaseUpdate): Record<string, unknown> {
  switch (u.kind) {
    case 'completed':
      return {
        purchase_id: u.purchaseId,
        status: 'succeeded',
        sku: u.sku,
        quantity: u.quantity,
        paid: u.paid,
        granted: u.granted,
        balances: u.balances,
      };
    case 'pending':
      return {
        purchase_id: u.purchaseId,
        status: 'pending',
        sku: u.sku,
        quantity: u.quantity,
        amount: u.amount,
        currency: u.currency,
        receipt_code: u.receiptCode,
        grants: u.grants,
      };
    case 'succeeded':
      return { purchase_id: u.purchaseId, status: 'succeeded', sku: u.sku, granted: u.granted, balances: u.balances };
    default:
      return { purchase_id: u.purchaseId, status: u.kind, sku: u.sku };
  }
}
