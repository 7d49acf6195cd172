import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentEvent } from '../entities/shop.entity.ts';

/** What a payment event did, as recorded on its row (the provider's names; also what an operator reads). */
export interface PaymentEventOutcome {
  eventId: string;
  purchaseId: string;
  purchaseStatus: string;
  applied: boolean;
}

/** The payment_events table: each provider event once, with what it did. */
export const paymentEvents = {
  /**
   * Records a provider event; false when its id was seen before. Kept as SQL: `on conflict do nothing` makes a
   * concurrent delivery of the same event wait for the first one's transaction, where the ORM's insert would fail.
   */
  async record(em: EntityManager, e: { eventId: string; receiptCode: string; status: string }): Promise<boolean> {
    const inserted = await em.execute<unknown[]>(
      `insert into payment_events (id, provider_event_id, receipt_code, status, result, received_at) values (gen_random_uuid(), ?, ?, ?, '{}', now())
       on conflict (provider_event_id) do nothing returning id`,
      [e.eventId, e.receiptCode, e.status],
    );
    return inserted.length > 0;
  },

  async outcome(em: EntityManager, eventId: string): Promise<PaymentEventOutcome> {
    const row = await em.findOneOrFail(PaymentEvent, { providerEventId: eventId }, { refresh: true });
    const r = row.result as { event_id: string; purchase_id: string; purchase_status: string; applied: boolean };
    return { eventId: r.event_id, purchaseId: r.purchase_id, purchaseStatus: r.purchase_status, applied: r.applied };
  },

  async setOutcome(em: EntityManager, o: PaymentEventOutcome): Promise<void> {
    const result = { event_id: o.eventId, purchase_id: o.purchaseId, purchase_status: o.purchaseStatus, applied: o.applied };
    await em.nativeUpdate(PaymentEvent, { providerEventId: o.eventId }, { result });
  },
};
