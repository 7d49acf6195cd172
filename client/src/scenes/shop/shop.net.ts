// The shop's network side: the catalog, purchase history, inventory and wallet read together, the purchase request
// (one Idempotency-Key per attempt), the local test payment provider's endpoint, and what a failure means.
import { ApiError, api } from '../../net/api.ts';
import type { Balances, InventoryItem, Product, PurchaseResult } from '../../net/types.ts';
import { refreshWallet } from '../../app.ts';

export interface PurchaseRow {
  purchase_id: string;
  sku: string;
  quantity: number;
  unit_price: string | number;
  total_price: string | number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed' | 'voided';
  receipt_code: string | null;
  created_at: string;
  completed_at: string | null;
}
export interface DevPaymentAnswer {
  purchase_id: string;
  purchase_status: string;
  applied: boolean;
  duplicate?: boolean;
}
export interface Grant {
  currencies?: Partial<Balances>;
  items?: Array<{ item_id: string; quantity: number }>;
}
export type PurchaseAnswer = PurchaseResult & { granted?: Grant; paid?: { amount: number; currency: string } };
/** The hub's `purchase_update` push. */
export interface PurchaseUpdate {
  status: string;
  sku: string;
  receipt_code?: string;
  balances?: Balances;
  granted?: Grant;
}
export interface ShopData {
  products: Product[];
  purchases: PurchaseRow[];
  items: InventoryItem[];
  balances: Balances;
}

/** Catalog, purchase history, inventory and wallet (the wallet also goes to the top bar). */
export async function loadShop(): Promise<ShopData> {
  const [catalog, purchases, inventory, balances] = await Promise.all([
    api<{ products: Product[] }>('GET', '/shop/catalog'),
    api<{ purchases: PurchaseRow[] }>('GET', '/shop/purchases'),
    api<{ items: InventoryItem[] }>('GET', '/inventory'),
    refreshWallet(),
  ]);
  return { products: catalog.products, purchases: purchases.purchases, items: inventory.items, balances };
}

/** Buys `quantity` of `sku`; a retry with the same key is answered once by the server. */
export function postPurchase(sku: string, quantity: number, idempotencyKey: string): Promise<PurchaseAnswer> {
  return api<PurchaseAnswer>('POST', '/shop/purchase', { body: { sku, quantity }, idempotent: true, idempotencyKey });
}

/** Pay or Decline at the test provider: the dev endpoint signs and delivers the provider's webhook. */
export function completeDevPayment(receipt: string, status: 'success' | 'failed'): Promise<DevPaymentAnswer> {
  return api<DevPaymentAnswer>('POST', `/dev/payments/${encodeURIComponent(receipt)}/complete`, { body: { status }, idempotent: true });
}

/** A failure worth retrying with the same key (network, rate limit, 5xx). */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
}

/** The server has no test payment provider (it is development only). */
export function isProviderMissing(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && err.code === 'resource/not_found';
}
