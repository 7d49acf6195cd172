import { z } from 'zod';
import { DEEP_LINKS } from '../../../domain/notifications/notification.ts';
import type { InboxMessageRecord } from '../../services/inbox/inbox.service.ts';

export const InboxQuery = z.object({
  cursor: z.string().max(400).optional().describe('opaque: the `next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const InboxParams = z.object({ id: z.uuid() });

export const InboxMessageResponse = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  deep_link: z.enum(DEEP_LINKS).nullable().describe('a game or `shop` the message links to'),
  created_at: z.string(),
  read_at: z.string().nullable(),
});

export const InboxResponse = z.object({
  items: z.array(InboxMessageResponse),
  next_cursor: z.string().nullable(),
  unread: z.number().int().describe('unread messages in the whole inbox'),
});

export const InboxReadResponse = z.object({ message: InboxMessageResponse, unread: z.number().int() });

/** An inbox message on the wire. */
export function inboxMessageBody(m: InboxMessageRecord) {
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    deep_link: m.deepLink,
    created_at: m.createdAt.toISOString(),
    read_at: m.readAt?.toISOString() ?? null,
  };
}

export type InboxMessageBody = ReturnType<typeof inboxMessageBody>;
