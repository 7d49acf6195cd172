import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { paymentEvents, type PaymentEventOutcome } from '../../db/repositories/payment-event.repository.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';
import { signaturesEqual, signWebhook } from '../../lib/webhook-signature.ts';
import type { ShopService } from './shop.service.ts';
import type { PurchaseSettlement } from './shop.results.ts';

export interface WebhookHeaders {
  signature?: string;
  timestamp?: string;
  nonce?: string;
}
export interface PaymentEventBody {
  event_id: string;
  receipt_code: string;
  status: 'success' | 'failed';
}

/** What a payment webhook did; `duplicate` when its event id was handled before (the first outcome, again). */
export interface PaymentOutcome extends PaymentEventOutcome {
  duplicate: boolean;
}

/** Seconds a webhook's timestamp may differ from our clock. */
export const WEBHOOK_WINDOW_SECONDS = 300;

/**
 * The payment provider's callback: authenticated by an HMAC over `timestamp:nonce:body`, fresh (±5 min), never
 * replayed (nonce remembered in Redis), deduplicated by the provider's event id, then settled exactly once.
 */
export class PaymentService {
  constructor(
    private readonly orm: MikroORM,
    private readonly redis: RedisGuard,
    private readonly shop: ShopService,
    private readonly clock: Clock,
    private readonly secret: string,
    private readonly prefix: string,
  ) {}

  /** Checks signature, freshness and nonce; throws the matching 401/409 error. */
  async authenticate(h: WebhookHeaders, rawBody: string): Promise<void> {
    if (!h.signature || !h.timestamp || !h.nonce || !/^\d{1,12}$/.test(h.timestamp) || h.nonce.length > 128) {
      throw new DomainError('payment/invalid_signature', 'X-Signature, X-Timestamp and X-Nonce are required.');
    }
    if (!signaturesEqual(h.signature, signWebhook(this.secret, h.timestamp, h.nonce, rawBody))) {
      throw new DomainError('payment/invalid_signature', 'The webhook signature does not match.');
    }
    const skew = Math.abs(Math.floor(this.clock.now().getTime() / 1000) - Number(h.timestamp));
    if (skew > WEBHOOK_WINDOW_SECONDS)
      throw new DomainError(
        'payment/stale_timestamp',
        `The webhook timestamp is ${skew} s away from our clock (max ${WEBHOOK_WINDOW_SECONDS}).`,
      );
    // without Redis a replay cannot be told apart: 503, and the provider delivers the event again later
    const fresh = await this.redis.required('payment.nonce', (r) =>
      r.set(`${this.prefix}webhook:nonce:${h.nonce}`, '1', 'EX', 2 * WEBHOOK_WINDOW_SECONDS, 'NX'),
    );
    if (fresh !== 'OK') throw new DomainError('payment/replayed_nonce', 'This webhook nonce was already used.');
  }

  /** Records the event once and settles its purchase; a repeated event id returns the first outcome (`duplicate: true`). */
  async handle(event: PaymentEventBody): Promise<PaymentOutcome> {
    let announce: { userId: string; update: PurchaseSettlement } | null = null;
    const out = await this.orm.em.fork().transactional(async (tx): Promise<PaymentOutcome> => {
      const em = tx as EntityManager;
      const e = { eventId: event.event_id, receiptCode: event.receipt_code, status: event.status };
      if (!(await paymentEvents.record(em, e))) return { ...(await paymentEvents.outcome(em, event.event_id)), duplicate: true };
      const settled = await this.shop.settlePayment(em, event.receipt_code, event.status === 'success');
      const outcome = { eventId: event.event_id, purchaseId: settled.purchaseId, purchaseStatus: settled.status, applied: settled.changed };
      await paymentEvents.setOutcome(em, outcome);
      if (settled.update) announce = { userId: settled.userId, update: settled.update };
      return { ...outcome, duplicate: false };
    });
    const a = announce as { userId: string; update: PurchaseSettlement } | null;
    if (a) await this.shop.announce(a.userId, a.update);
    return out;
  }
}
