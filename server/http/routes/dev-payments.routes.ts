import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Config } from '../../config/schema.ts';
import { signedHeaders } from '../../lib/webhook-signature.ts';
import type { PaymentEventBody, PaymentService } from '../../services/shop/payment.service.ts';
import type { ShopService } from '../../services/shop/shop.service.ts';
import type { ApiRouter } from '../api.ts';
import { paymentBody } from '../dto/shop.dto.ts';

const ReceiptParams = z.object({ receipt: z.string().min(1).max(32) });
const CompleteBody = z.object({ status: z.enum(['success', 'failed']) }).strict();

export interface DevPaymentDeps {
  config: Pick<Config, 'NODE_ENV' | 'PAYMENT_WEBHOOK_SECRET'>;
  shop: Pick<ShopService, 'purchases'>;
  payments: Pick<PaymentService, 'authenticate' | 'handle'>;
  /** the clock the signature's timestamp is taken from (the payment service checks it against its own) */
  now?: () => number;
}

/**
 * The local payment provider for development and tests (what `npm run pay:simulate` does, as an API the game's test
 * payment dialog calls): builds the provider's webhook for one of the caller's own pending purchases, signs it with
 * PAYMENT_WEBHOOK_SECRET and delivers it through the same checks as `POST /api/shop/webhook/payment` (signature,
 * freshness, nonce, event id). Not registered when NODE_ENV is production; returns whether it was registered.
 */
export function devPaymentRoutes(api: ApiRouter, deps: DevPaymentDeps): boolean {
  if (deps.config.NODE_ENV === 'production') return false;
  api.route(
    {
      method: 'post',
      path: '/dev/payments/:receipt/complete',
      tags: ['dev'],
      auth: true,
      params: ReceiptParams,
      body: CompleteBody,
      summary:
        'Development only (absent in production): the test payment provider completes one of your pending payments by sending the signed webhook',
      responses: {
        200: 'the webhook answer: {event_id, purchase_id, purchase_status, applied, duplicate}',
        400: 'request/invalid',
        401: 'not logged in',
        404: 'payment/unknown_receipt (not one of your purchases)',
      },
    },
    async ({ principal, params, body }) => {
      const mine = await deps.shop.purchases(principal.userId, 500);
      if (!mine.some((p) => p.receiptCode === params.receipt))
        throw new DomainError('payment/unknown_receipt', 'You have no purchase with this receipt code.');
      const event: PaymentEventBody = { event_id: `evt_dev_${randomUUID()}`, receipt_code: params.receipt, status: body.status };
      const raw = JSON.stringify(event);
      const headers = signedHeaders(deps.config.PAYMENT_WEBHOOK_SECRET, raw, deps.now?.());
      await deps.payments.authenticate(
        { signature: headers['x-signature'], timestamp: headers['x-timestamp'], nonce: headers['x-nonce'] },
        raw,
      );
      return { status: 200, body: paymentBody(await deps.payments.handle(event)) };
    },
  );
  return true;
}
