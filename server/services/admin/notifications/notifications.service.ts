import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  defaultDedupeKey,
  isCancelable,
  isRetryable,
  SCHEDULE_MAX_DAYS,
  type DeepLink,
  type NotificationStatus,
  type NotificationTarget,
} from '../../../../domain/notifications/notification.ts';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { notifications, type NotificationRecord } from '../../../db/repositories/notifications.repository.ts';
import type { Actor } from '../audit.service.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import type { SegmentMembers } from './recipients.ts';

export type { NotificationRecord };

/** What an operator composes. Without `scheduledAt` it is sent now. */
export interface NotificationDraft {
  title: string;
  body: string;
  deepLink: DeepLink | null;
  target: NotificationTarget;
  scheduledAt?: Date;
  dedupeKey?: string;
}

/** Puts a notification's delivery on the queue for its time, or takes it off (both best effort: the sweep catches up). */
export interface NotificationScheduler {
  schedule(n: { id: string; run: number; runAt: Date }): Promise<void>;
  unschedule(n: { id: string; run: number }): Promise<void>;
}

/** Operators' notifications: compose, list, cancel while scheduled, retry after a failure. Delivery is in delivery.service.ts. */
export class NotificationsService {
  constructor(private readonly d: { orm: MikroORM; clock: Clock; scheduler: NotificationScheduler; segmentMembers?: SegmentMembers }) {}

  /** Stores a new scheduled notification (in the admin write's transaction); schedule it with `afterCommit` once committed. */
  async create(em: EntityManager, actor: Actor, draft: NotificationDraft): Promise<NotificationRecord> {
    const now = this.d.clock.now();
    const scheduledAt = draft.scheduledAt ?? now;
    if (draft.scheduledAt && (scheduledAt <= now || scheduledAt.getTime() > now.getTime() + SCHEDULE_MAX_DAYS * 86_400_000)) {
      throw invalid('body.scheduled_at', `must be in the future, at most ${SCHEDULE_MAX_DAYS} days ahead`);
    }
    if (draft.target.type === 'segment') await this.assertSegment(draft.target.segment_id, now);
    const id = randomUUID();
    await notifications.insert(em, {
      id,
      title: draft.title,
      body: draft.body,
      deepLink: draft.deepLink,
      target: draft.target,
      scheduledAt,
      dedupeKey: draft.dedupeKey ?? defaultDedupeKey(id),
      createdBy: actor.id,
      createdByName: actor.username,
      createdAt: now,
    });
    return (await notifications.get(em, id))!;
  }

  /** A page of notifications, newest first, optionally of one status, with their counts. */
  async list(q: { status?: NotificationStatus; cursor?: string; limit: number }): Promise<Page<NotificationRecord>> {
    const after = decodeCursor(q.cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await notifications.list(this.em(), { status: q.status, after, limit: q.limit + 1 });
    return pageOf(rows, q.limit, (n) => ({ value: n.createdAt.toISOString(), id: n.id }));
  }

  /** One notification with its targeted, delivered and read counts; 404 when unknown. */
  async get(id: string, em: EntityManager = this.em()): Promise<NotificationRecord> {
    const n = await notifications.get(em, id);
    if (!n) throw new DomainError('resource/not_found', 'No notification has this id.');
    return n;
  }

  /** Cancels a notification still waiting for its time; 409 `notification/not_cancelable` once its delivery started. */
  async cancel(em: EntityManager, id: string): Promise<{ before: NotificationRecord; after: NotificationRecord }> {
    const before = await this.get(id, em);
    if (!isCancelable(before.status) || !(await notifications.transition(em, id, ['scheduled'], 'canceled', this.d.clock.now()))) {
      throw new DomainError('notification/not_cancelable', `The notification is ${before.status}: only a scheduled one can be canceled.`);
    }
    return { before, after: await this.get(id, em) };
  }

  /** Sends a failed notification again now; 409 `notification/not_retryable` unless it failed. */
  async retry(em: EntityManager, id: string): Promise<{ before: NotificationRecord; after: NotificationRecord }> {
    const before = await this.get(id, em);
    const now = this.d.clock.now();
    if (!isRetryable(before.status) || !(await notifications.transition(em, id, ['failed'], 'scheduled', now, { scheduledAt: now }))) {
      throw new DomainError('notification/not_retryable', `The notification is ${before.status}: only a failed one can be retried.`);
    }
    return { before, after: await this.get(id, em) };
  }

  /** After the write committed: queues a scheduled notification's delivery, or drops a canceled one's job (best effort). */
  async afterCommit(id: string): Promise<void> {
    const n = await notifications.get(this.em(), id);
    if (n?.status === 'scheduled') await this.d.scheduler.schedule({ id, run: n.attempts, runAt: n.scheduledAt });
    if (n?.status === 'canceled') await this.d.scheduler.unschedule({ id, run: n.attempts });
  }

  private async assertSegment(segmentId: string, now: Date) {
    if (!this.d.segmentMembers || !(await this.d.segmentMembers(segmentId, now))) {
      throw new DomainError('resource/not_found', 'No segment has this id.', { field: 'target.segment_id' });
    }
  }

  private em(): EntityManager {
    return this.d.orm.em.fork() as EntityManager;
  }
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('request/invalid', `Invalid request body: ${path} ${message}.`, { issues: [{ path, message, code: 'custom' }] });
}
