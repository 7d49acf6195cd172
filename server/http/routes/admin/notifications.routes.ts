import type { NotificationsService } from '../../../services/admin/notifications/notifications.service.ts';
import type { ApiRouter, HandlerResult } from '../../api.ts';
import type { AdminWrite } from '../../admin-write.ts';
import {
  NotificationParams,
  NotificationRequest,
  NotificationResponse,
  NotificationsPage,
  NotificationsQuery,
  notificationBody,
} from '../../dto/admin/notifications.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

const WRITE_ERRORS = {
  400: 'request/invalid (names the field or the Idempotency-Key header)',
  404: 'resource/not_found',
  503: 'admin/writes_disabled',
} as const;

/** Operators' notifications: list, get (with counts), create (now or scheduled), cancel, retry. */
export function adminNotificationRoutes(api: ApiRouter, deps: { notifications: NotificationsService; adminWrite: AdminWrite }) {
  const tags = ['admin'];
  /** Once the write committed (or replayed), its delivery job is queued or removed to match the stored status. */
  const settle = async (result: HandlerResult, id: string | undefined) => {
    if (id) await deps.notifications.afterCommit(id).catch(() => undefined);
    return result;
  };
  api.route(
    {
      method: 'get',
      path: '/admin/notifications',
      tags,
      permission: 'liveops:read',
      summary: 'Notifications, newest first, optionally of one status, with their counts',
      query: NotificationsQuery,
      responses: { 200: { description: 'a page of notifications', schema: NotificationsPage }, 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: pageBody(await deps.notifications.list(query), notificationBody) }),
  );
  api.route(
    {
      method: 'get',
      path: '/admin/notifications/:id',
      tags,
      permission: 'liveops:read',
      summary: 'One notification with its targeted, delivered and read counts',
      params: NotificationParams,
      responses: { 200: { description: 'the notification', schema: NotificationResponse }, 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: notificationBody(await deps.notifications.get(params.id)) }),
  );
  api.route(
    {
      method: 'post',
      path: '/admin/notifications',
      tags,
      permission: 'notifications:write',
      summary: 'Compose a notification: send now or at scheduled_at (Idempotency-Key required)',
      body: NotificationRequest,
      headers: IdempotencyHeader,
      responses: {
        201: { description: 'the scheduled notification', schema: NotificationResponse },
        ...WRITE_ERRORS,
        409: 'idempotency/*',
      },
    },
    async (ctx) => {
      const { body, principal } = ctx;
      const result = await deps.adminWrite(ctx, { action: 'notification.create' }, async (em) => {
        const n = notificationBody(
          await deps.notifications.create(
            em,
            { id: principal.userId, username: principal.username, role: principal.role },
            {
              title: body.title,
              body: body.body,
              deepLink: body.deep_link,
              target: body.target,
              scheduledAt: body.scheduled_at ? new Date(body.scheduled_at) : undefined,
              dedupeKey: body.dedupe_key,
            },
          ),
        );
        return { status: 201, body: n, before: null, after: n };
      });
      return settle(result, (result?.body as { id?: string } | undefined)?.id);
    },
  );
  for (const [verb, summary, conflict] of [
    ['cancel', 'Cancel a scheduled notification (its delayed job is removed)', 'notification/not_cancelable (delivery started or done)'],
    ['retry', 'Send a failed notification again now', 'notification/not_retryable (it did not fail)'],
  ] as const) {
    api.route(
      {
        method: 'post',
        path: `/admin/notifications/:id/${verb}`,
        tags,
        permission: 'notifications:write',
        summary: `${summary} (Idempotency-Key required)`,
        params: NotificationParams,
        headers: IdempotencyHeader,
        responses: {
          200: { description: 'the notification', schema: NotificationResponse },
          ...WRITE_ERRORS,
          409: `${conflict}, idempotency/*`,
        },
      },
      async (ctx) => {
        const id = ctx.params.id;
        const result = await deps.adminWrite(ctx, { action: `notification.${verb}`, target: { type: 'notification', id } }, async (em) => {
          const change = await deps.notifications[verb](em, id);
          return {
            status: 200,
            body: notificationBody(change.after),
            before: notificationBody(change.before),
            after: notificationBody(change.after),
          };
        });
        return settle(result, id);
      },
    );
  }
}
