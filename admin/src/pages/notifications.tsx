// Notifications: every notification with its status and counts (targeted, delivered, read), refreshed while any is
// on its way (GET /api/admin/notifications, keyset pages in the URL). With notifications:write: Compose (now or
// scheduled), Cancel a scheduled one after a confirmation naming it, Retry a failed one.
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ApiError, apiGet } from '../api/client.ts';
import type { Notification, Page } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { PageFooter } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { useToast } from '../components/Toasts.tsx';
import { amount, time } from './format.ts';
import { NotificationForm, type NotificationDraft } from './notifications-form.tsx';

const STATUSES = ['all', 'scheduled', 'sending', 'sent', 'failed', 'canceled'] as const;
const NotificationsSearch = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});
const KEY = ['admin', 'notifications'];

function targetText(t: Notification['target']): string {
  if (t.type === 'all') return 'every player';
  if (t.type === 'segment') return `segment ${t.segment_id.slice(0, 8)}`;
  return `${amount(t.user_ids.length)} listed`;
}

function NotificationsPage() {
  const search = notificationsRoute.useSearch();
  const status = search.status ?? 'all';
  const navigate = useNavigate({ from: notificationsRoute.fullPath });
  const canWrite = useCan('notifications:write');
  const notify = useToast();
  const [composing, setComposing] = useState(false);
  const [canceling, setCanceling] = useState<Notification>();
  const list = useQuery({
    queryKey: [...KEY, status, search.cursor],
    queryFn: ({ signal }) =>
      apiGet<Page<Notification>>(
        `/api/admin/notifications${queryString({ status: status === 'all' ? undefined : status, cursor: search.cursor })}`,
        signal,
      ),
    placeholderData: keepPreviousData,
    // counts move while a delivery runs
    refetchInterval: (q) => (q.state.data?.items.some((n) => n.status === 'scheduled' || n.status === 'sending') ? 2000 : false),
  });
  const paging = useKeysetPaging(search.cursor, status, list.data?.next_cursor, (c) => void navigate({ search: { ...search, cursor: c } }));
  const failed = (err: unknown) => notify('error', err instanceof ApiError ? err.message : 'The server cannot be reached.');
  const create = useAdminWrite<NotificationDraft, Notification>('POST', '/api/admin/notifications', {
    invalidates: [KEY],
    onSuccess: (n) => {
      setComposing(false);
      notify(
        'success',
        `Notification “${n.title}” ${n.scheduled_at > new Date().toISOString() ? `scheduled for ${time(n.scheduled_at)}` : 'is on its way'}.`,
      );
    },
    onError: failed,
  });
  const cancel = useAdminWrite<Record<string, never>, Notification>('POST', () => `/api/admin/notifications/${canceling?.id}/cancel`, {
    invalidates: [KEY],
    onSuccess: (n) => {
      setCanceling(undefined);
      notify('success', `Notification “${n.title}” canceled.`);
    },
    onError: (err) => {
      setCanceling(undefined);
      failed(err);
    },
  });
  const retry = useAdminWrite<{ id: string }, Notification>('POST', (b) => `/api/admin/notifications/${b.id}/retry`, {
    invalidates: [KEY],
    onSuccess: (n) => notify('success', `Notification “${n.title}” is sent again.`),
    onError: failed,
  });
  const rows = list.data?.items ?? [];

  return (
    <section className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        {canWrite && (
          <button type="button" className="primary" onClick={() => setComposing(true)} data-testid="notification-compose">
            Compose
          </button>
        )}
      </div>
      <div className="filters">
        <label className="field">
          <span>Status</span>
          <select value={status} onChange={(e) => void navigate({ search: { status: e.target.value as (typeof STATUSES)[number] } })}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid">
        <table aria-label="Notifications" aria-busy={list.isFetching}>
          <thead>
            <tr>
              {['Created', 'Title', 'Target', 'Scheduled', 'Status', 'Targeted', 'Delivered', 'Read', ''].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <tr key={n.id} data-testid="notification-row" data-status={n.status}>
                <td>{time(n.created_at)}</td>
                <td title={n.body}>
                  {n.title} {n.deep_link && <small>→ {n.deep_link}</small>}
                </td>
                <td>{targetText(n.target)}</td>
                <td>{time(n.scheduled_at)}</td>
                <td>
                  <span className={`badge ${n.status}`} title={n.last_error ?? undefined}>
                    {n.status}
                  </span>
                </td>
                <td data-testid="count-targeted">{amount(n.counts.targeted)}</td>
                <td data-testid="count-delivered">{amount(n.counts.delivered)}</td>
                <td data-testid="count-read">{amount(n.counts.read)}</td>
                <td>
                  {canWrite && n.status === 'scheduled' && (
                    <button type="button" className="ghost" onClick={() => setCanceling(n)} data-testid="notification-cancel">
                      Cancel
                    </button>
                  )}
                  {canWrite && n.status === 'failed' && (
                    <button
                      type="button"
                      className="primary"
                      disabled={retry.pending}
                      onClick={() => retry.run({ id: n.id })}
                      data-testid="notification-retry"
                    >
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PageFooter result={list} paging={paging} emptyText="No notification yet." />
      </div>
      {composing && (
        <Drawer title="Compose a notification" onClose={() => setComposing(false)}>
          <NotificationForm busy={create.pending} onSubmit={(draft) => create.run(draft)} />
        </Drawer>
      )}
      {canceling && (
        <ConfirmDialog
          title={`Cancel notification “${canceling.title}”?`}
          confirmLabel="Cancel notification"
          danger
          busy={cancel.pending}
          onConfirm={() => cancel.run({})}
          onCancel={() => setCanceling(undefined)}
        >
          <p>
            Scheduled for {time(canceling.scheduled_at)} to {targetText(canceling.target)}. Nobody receives it.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/admin/notifications`. */
export const notificationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notifications',
  validateSearch: NotificationsSearch,
  staticData: { page: { label: 'Notifications', permission: 'liveops:read', order: 59 } },
  component: NotificationsPage,
});
