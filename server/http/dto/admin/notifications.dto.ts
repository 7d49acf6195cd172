import { z } from 'zod';
import {
  BODY_MAX,
  DEDUPE_KEY,
  DEEP_LINKS,
  LIST_MAX,
  NOTIFICATION_STATUSES,
  TITLE_MAX,
} from '../../../../domain/notifications/notification.ts';
import type { NotificationRecord } from '../../../services/admin/notifications/notifications.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

export const NotificationParams = z.object({ id: z.uuid() });

export const NotificationsQuery = PageQuery.extend({ status: z.enum(NOTIFICATION_STATUSES).optional() });

/** Who receives it: every player, a saved segment's members, or listed players. */
export const NotificationTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }).strict(),
  z.object({ type: z.literal('segment'), segment_id: z.uuid() }).strict(),
  z.object({ type: z.literal('list'), user_ids: z.array(z.uuid()).min(1).max(LIST_MAX) }).strict(),
]);

export const NotificationRequest = z
  .object({
    title: z.string().trim().min(1).max(TITLE_MAX),
    body: z.string().trim().min(1).max(BODY_MAX),
    deep_link: z.enum(DEEP_LINKS).nullable().default(null).describe('a game or the shop, opened from the inbox'),
    target: NotificationTarget,
    send_now: z.boolean().optional().describe('true: deliver now (instead of scheduled_at)'),
    scheduled_at: z.iso.datetime({ offset: true }).optional().describe('when to deliver: in the future, at most 90 days ahead'),
    dedupe_key: z
      .string()
      .regex(DEDUPE_KEY)
      .optional()
      .describe('a player receives at most one message per key, across notifications (default: one per notification)'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.send_now === true) === (v.scheduled_at !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['scheduled_at'], message: 'give either send_now: true or scheduled_at' });
    }
  });

export const NotificationResponse = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  deep_link: z.enum(DEEP_LINKS).nullable(),
  target: NotificationTarget,
  scheduled_at: z.string(),
  status: z.enum(NOTIFICATION_STATUSES),
  dedupe_key: z.string(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created_by: z.uuid(),
  created_by_name: z.string(),
  counts: z.object({
    targeted: z.number().int().describe('players the last delivery run matched'),
    delivered: z.number().int().describe('inbox messages created'),
    read: z.number().int().describe('of those, read by their player'),
  }),
  created_at: z.string(),
  updated_at: z.string(),
  sent_at: z.string().nullable(),
});

export const NotificationsPage = pageResponse(NotificationResponse);

/** A notification on the wire. */
export function notificationBody(n: NotificationRecord) {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    deep_link: n.deepLink,
    target: n.target,
    scheduled_at: n.scheduledAt.toISOString(),
    status: n.status,
    dedupe_key: n.dedupeKey,
    attempts: n.attempts,
    last_error: n.lastError,
    created_by: n.createdBy,
    created_by_name: n.createdByName,
    counts: { targeted: n.targeted, delivered: n.delivered, read: n.read },
    created_at: n.createdAt.toISOString(),
    updated_at: n.updatedAt.toISOString(),
    sent_at: n.sentAt?.toISOString() ?? null,
  };
}

export type NotificationBody = ReturnType<typeof notificationBody>;
