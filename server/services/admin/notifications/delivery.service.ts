import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { notifications, type NotificationRecord } from '../../../db/repositories/notifications.repository.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { InboxDelivery, InboxService } from '../../inbox/inbox.service.ts';
import type { NotificationScheduler } from './notifications.service.ts';
import { recipientsOf, type SegmentMembers } from './recipients.ts';

/** How deliveries run: chunk size and the timeouts of each chunk's transaction (a delivery never holds rows for long). */
export interface DeliveryLimits {
  chunkSize: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** How early a delayed job may fire and still deliver. */
const EARLY_MS = 2000;

/** What one delivery run did. */
export type DeliveryOutcome = { status: 'sent'; targeted: number; delivered: number } | { status: 'skipped'; reason: string };

/**
 * Delivers a notification: claims it (`scheduled` → `sending`), then walks its recipients by id in chunks, each chunk one
 * `insert … select … on conflict do nothing` into the inboxes in its own short transaction, then pushes to the new
 * recipients. A rerun (a retried job, a worker killed mid-way) walks again from the start: the unique (player, dedupe
 * key) makes every message land once, and only new rows count as delivered.
 */
export class NotificationDeliveryService {
  constructor(
    private readonly d: {
      orm: MikroORM;
      clock: Clock;
      inbox: InboxService;
      limits: DeliveryLimits;
      scheduler: NotificationScheduler;
      segmentMembers?: SegmentMembers;
      logger?: Logger;
    },
  ) {}

  /** Runs the delivery of one notification; `final` marks the last attempt (a failure then leaves it `failed`). */
  async deliver(id: string, opts: { final: boolean }): Promise<DeliveryOutcome> {
    const claimed = await this.claim(id);
    if (!claimed) return { status: 'skipped', reason: 'not scheduled' };
    try {
      const counts = await this.walk(claimed);
      await this.em().transactional((em) =>
        notifications.transition(em, id, ['sending'], 'sent', this.d.clock.now(), { sentAt: this.d.clock.now(), lastError: null }),
      );
      return { status: 'sent', ...counts };
    } catch (err) {
      const message = String((err as Error)?.message ?? err).slice(0, 500);
      // bad data (a DomainError, e.g. a deleted segment) is not retried: the worker makes it unrecoverable
      const final = opts.final || err instanceof DomainError;
      await this.em()
        .transactional((em) =>
          notifications.transition(em, id, ['sending'], final ? 'failed' : 'sending', this.d.clock.now(), { lastError: message }),
        )
        .catch((e: unknown) => this.d.logger?.warn({ err: e, id }, 'notification: could not record the failure'));
      throw err;
    }
  }

  /** Scheduled notifications past their time by more than `graceMs` (a lost delayed job): queued again. */
  async sweepOverdue(graceMs: number): Promise<number> {
    const ids = await notifications.overdue(this.em(), new Date(this.d.clock.now().getTime() - graceMs));
    for (const id of ids) {
      const n = await notifications.get(this.em(), id);
      if (n) await this.d.scheduler.schedule({ id, run: n.attempts, runAt: n.scheduledAt });
    }
    return ids.length;
  }

  /** `scheduled` (first run) or `sending` (a rerun after a failed attempt) → `sending`, one more attempt. */
  private async claim(id: string): Promise<NotificationRecord | null> {
    return this.em().transactional(async (em) => {
      const n = await notifications.get(em, id, { lock: true });
      // a delayed job may fire a moment early by this process's clock; a later time means it was rescheduled
      if (!n || n.scheduledAt.getTime() > this.d.clock.now().getTime() + EARLY_MS) return null;
      const ok = await notifications.transition(em, id, ['scheduled', 'sending'], 'sending', this.d.clock.now(), { startAttempt: true });
      return ok ? n : null;
    });
  }

  private async walk(n: NotificationRecord): Promise<{ targeted: number; delivered: number }> {
    const members = await recipientsOf(n.target, this.d.clock.now(), this.d.segmentMembers);
    const msg: InboxDelivery = { notificationId: n.id, title: n.title, body: n.body, deepLink: n.deepLink, dedupeKey: n.dedupeKey };
    const total = { targeted: 0, delivered: 0 };
    let after: string | null = null;
    for (;;) {
      const chunk = await this.em().transactional(async (em) => {
        await em.execute(`select set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)`, [
          `${this.d.limits.statementTimeoutMs}ms`,
          `${this.d.limits.lockTimeoutMs}ms`,
        ]);
        const c = await this.d.inbox.deliverChunk(em, members, after, this.d.limits.chunkSize, msg);
        await notifications.addCounts(em, n.id, c.matched, c.recipients.length);
        return c;
      });
      total.targeted += chunk.matched;
      total.delivered += chunk.recipients.length;
      await this.d.inbox.pushOnline(chunk.recipients, msg);
      if (chunk.matched < this.d.limits.chunkSize || !chunk.lastUserId) return total;
      after = chunk.lastUserId;
    }
  }

  private em(): EntityManager {
    return this.d.orm.em.fork() as EntityManager;
  }
}
