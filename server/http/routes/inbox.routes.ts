import type { InboxService } from '../../services/inbox/inbox.service.ts';
import type { ApiRouter } from '../api.ts';
import { InboxParams, InboxQuery, InboxReadResponse, InboxResponse, inboxMessageBody } from '../dto/inbox.dto.ts';

/** The player's inbox: GET /inbox (newest first, with the unread count) and POST /inbox/{id}/read. */
export function inboxRoutes(api: ApiRouter, deps: { inbox: InboxService }) {
  const tags = ['inbox'];
  api.route(
    {
      method: 'get',
      path: '/inbox',
      tags,
      auth: true,
      summary: 'Own inbox, newest first, cursor-paginated, with the unread count',
      query: InboxQuery,
      responses: { 200: { description: 'a page of messages', schema: InboxResponse }, 400: 'request/invalid' },
    },
    async ({ principal, query }) => {
      const { page, unread } = await deps.inbox.list(principal.userId, query.cursor, query.limit);
      return { status: 200, body: { items: page.items.map(inboxMessageBody), next_cursor: page.nextCursor, unread } };
    },
  );
  api.route(
    {
      method: 'post',
      path: '/inbox/:id/read',
      tags,
      auth: true,
      params: InboxParams,
      summary: 'Mark one of your messages read (idempotent: a repeat keeps the first read time)',
      responses: {
        200: { description: 'the message and the unread count', schema: InboxReadResponse },
        404: 'resource/not_found (no message of yours has this id)',
      },
    },
    async ({ principal, params }) => {
      const { message, unread } = await deps.inbox.markRead(principal.userId, params.id);
      return { status: 200, body: { message: inboxMessageBody(message), unread } };
    },
  );
}
