import type { Request } from 'express';
import type { PaymentService } from '../../services/shop/payment.service.ts';
import type { ShopService } from '../../services/shop/shop.service.ts';
import type { ApiRouter } from '../api.ts';
import { IdempotencyHeader, parseIdempotencyKey } from '../dto/idempotency.dto.ts';
import {
  catalogProduct,
  inventoryItem,
  paymentBody,
  PaymentWebhookBody,
  PurchaseRequest,
  purchaseResponse,
  purchaseRow,
} from '../dto/shop.dto.ts';

/** Catalog, purchases, inventory, and the payment provider's webhook. */
export function shopRoutes(api: ApiRouter, deps: { shop: ShopService; payments: PaymentService }) {
  const tags = ['shop'];
  api.route(
    {
      method: 'get',
      path: '/shop/catalog',
      tags,
      auth: true,
      summary: 'Products with what this player may do (owned, remaining, cap left, final price)',
      responses: { 200: 'the catalog' },
    },
    async ({ principal }) => ({ status: 200, body: { products: (await deps.shop.catalog(principal.userId)).map(catalogProduct) } }),
  );

  api.route(
    {
      method: 'post',
      path: '/shop/purchase',
      tags,
      auth: true,
      body: PurchaseRequest,
      headers: IdempotencyHeader,
      summary:
        'Buy: wallet-priced products are paid and granted at once (200); provider-priced ones return a pending purchase with a receipt code (202)',
      responses: {
        200: 'bought',
        202: 'pending payment',
        400: 'request/invalid or idempotency/key_missing',
        402: 'wallet/insufficient_funds',
        404: 'resource/not_found',
        409: 'shop/sold_out, shop/already_owned, shop/cap_reached, shop/not_available, idempotency/key_reuse',
      },
    },
    async ({ principal, body, req }) => {
      const key = parseIdempotencyKey(req, { required: true });
      return purchaseResponse(await deps.shop.purchase(principal.userId, { sku: body.sku, quantity: body.quantity }, key));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/shop/purchases',
      tags,
      auth: true,
      summary: 'Own purchases, newest first',
      responses: { 200: 'purchases' },
    },
    async ({ principal }) => ({ status: 200, body: { purchases: (await deps.shop.purchases(principal.userId)).map(purchaseRow) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/inventory',
      tags: ['inventory'],
      auth: true,
      summary: 'Own items, quantities and expiry',
      responses: { 200: 'items' },
    },
    async ({ principal }) => ({ status: 200, body: { items: (await deps.shop.inventory(principal.userId)).map(inventoryItem) } }),
  );

  api.route(
    {
      method: 'post',
      path: '/shop/webhook/payment',
      tags,
      body: PaymentWebhookBody,
      summary:
        'Payment provider callback (no bearer): X-Signature = hex HMAC-SHA256(secret, "timestamp:nonce:body"), X-Timestamp (unix s, ±5 min), X-Nonce (single use)',
      responses: {
        200: 'settled (or the first result of a repeated event id)',
        401: 'payment/invalid_signature, payment/stale_timestamp',
        404: 'payment/unknown_receipt',
        409: 'payment/replayed_nonce',
      },
    },
    async ({ req, body }) => {
      const raw = (req as Request & { rawBody?: Buffer }).rawBody?.toString('utf8') ?? '';
      await deps.payments.authenticate(
        { signature: req.get('x-signature'), timestamp: req.get('x-timestamp'), nonce: req.get('x-nonce') },
        raw,
      );
      const outcome = await deps.payments.handle({ event_id: body.event_id, receipt_code: body.receipt_code, status: body.status });
      return { status: 200, body: paymentBody(outcome) };
    },
  );
}
