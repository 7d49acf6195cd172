import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { fromJson } from '../../db/sql.ts';
import type { RedisGuard } from '../../lib/redis-guard.ts';
import { signaturesEqual, signWebhook } from '../../lib/webhook-signature.ts';
import type { ShopService } from './shop.service.ts';

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

  /** Records the event once and settles its purchase; a repeated event id returns the first result. */
  async handle(event: PaymentEventBody): Promise<{ status: number; body: Record<string, unknown> }> {
    let announce: { userId: string; body: Record<string, unknown> } | null = null;
    const out = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const inserted = await em.execute<unknown[]>(
        `insert into payment_events (id, provider_event_id, receipt_code, status, result, received_at) values (gen_random_uuid(), ?, ?, ?, '{}', now())
         on conflict (provider_event_id) do nothing returning id`,
        [event.event_id, event.receipt_code, event.status],
      );
      if (inserted.length === 0) {
        const [prev] = await em.execute<{ result: unknown }[]>('select result from payment_events where provider_event_id = ?', [
          event.event_id,
        ]);
        const result = fromJson<Record<string, unknown>>(prev.result);
        return { status: 200, body: { ...result, duplicate: true } };
      }
      const settled = await this.shop.settlePayment(em, event.receipt_code, event.status === 'success');
      const body = {
        event_id: event.event_id,
        purchase_id: settled.purchase_id,
        purchase_status: settled.status,
        applied: settled.changed,
      };
      await em.execute('update payment_events set result = ? where provider_event_id = ?', [JSON.stringify(body), event.event_id]);
      if (settled.changed) announce = { userId: settled.user_id, body: settled.body };
      return { status: 200, body: { ...body, duplicate: false } };
    });
    if (announce) await this.shop.announce((announce as { userId: string }).userId, (announce as { body: Record<string, unknown> }).body);
    return out;
  }
}
