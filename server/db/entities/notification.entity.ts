import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { DEEP_LINKS, NOTIFICATION_STATUSES, type NotificationTarget } from '../../../domain/notifications/notification.ts';

/** An operator's message to players (all, a segment or a list), delivered into their inboxes at `scheduledAt`. */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  indexes: [
    { name: 'notifications_created_idx', properties: ['createdAt', 'id'] },
    { name: 'notifications_status_idx', properties: ['status', 'createdAt', 'id'] },
  ],
  properties: {
    id: p.uuid().primary(),
    title: p.string().length(80),
    body: p.string().length(500),
    deepLink: p.enum([...DEEP_LINKS]).nullable(),
    target: p.json<NotificationTarget>(),
    scheduledAt: p.datetime(),
    status: p.enum([...NOTIFICATION_STATUSES]),
    /** a player receives at most one inbox message per dedupe key, whichever notification carries it */
    dedupeKey: p.string().length(64),
    attempts: p.integer().default(0),
    lastError: p.string().length(500).nullable(),
    createdBy: p.uuid(),
    createdByName: p.string().length(20),
    /** players the last delivery run matched */
    targeted: p.integer().default(0),
    /** inbox messages this notification created */
    delivered: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});

/** One message in a player's inbox (from a notification, or from an operation that notifies). */
export const InboxMessage = defineEntity({
  name: 'InboxMessage',
  tableName: 'inbox_messages',
  uniques: [{ name: 'inbox_messages_user_dedupe_uq', properties: ['userId', 'dedupeKey'] }],
  indexes: [
    { name: 'inbox_messages_user_created_idx', properties: ['userId', 'createdAt', 'id'] },
    { name: 'inbox_messages_notification_idx', properties: ['notificationId', 'readAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    notificationId: p.uuid().nullable(),
    title: p.string().length(80),
    body: p.string().length(500),
    deepLink: p.enum([...DEEP_LINKS]).nullable(),
    dedupeKey: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    readAt: p.datetime().nullable(),
  },
});

export type INotification = InferEntity<typeof Notification>;
export type IInboxMessage = InferEntity<typeof InboxMessage>;
