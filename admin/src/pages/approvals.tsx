// Approvals: wallet adjustments above the approval threshold wait here for a second operator (GET /api/admin/approvals).
// Approve or reject each after a confirmation naming the player, the amount and the currency; the API refuses an
// operator's own request (its message is shown).
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, Link, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ApiError, apiGet } from '../api/client.ts';
import { useOperatorId } from '../api/permissions.ts';
import type { Adjustment, Approval, Page } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { rootRoute } from '../app/root.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { PageFooter } from '../components/DataTable.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { useToast } from '../components/Toasts.tsx';
import { amount, signed, time } from './format.ts';
import { playerQueries } from './players-list.tsx';

const STATUSES = ['pending', 'applied', 'rejected', 'failed', 'all'] as const satisfies readonly (Adjustment['status'] | 'all')[];

const ApprovalsSearch = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});

type Decision = { verb: 'approve' | 'reject'; adjustment: Approval };

/** The player's username (from the list row), linking to the players grid filtered to them. */
function PlayerName({ id, username }: { id: string; username: string | null }) {
  return (
    <Link to="/players" search={{ q: id }}>
      {username ?? id.slice(0, 8)}
    </Link>
  );
}

function ApprovalsPage() {
  const search = approvalsRoute.useSearch();
  const status = search.status ?? 'pending';
  const navigate = useNavigate({ from: approvalsRoute.fullPath });
  const me = useOperatorId();
  const [deciding, setDeciding] = useState<Decision>();
  const result = useQuery({
    queryKey: ['admin', 'approvals', status, search.cursor],
    queryFn: ({ signal }) =>
      apiGet<Page<Approval>>(
        `/api/admin/approvals${queryString({ status: status === 'all' ? undefined : status, cursor: search.cursor })}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const paging = useKeysetPaging(
    search.cursor,
    status,
    result.data?.next_cursor,
    (c) => void navigate({ search: { ...search, cursor: c } }),
  );
  const rows = result.data?.items ?? [];

  return (
    <section className="page">
      <h1>Approvals</h1>
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
      <div className="grid approvals">
        <table aria-label="Wallet adjustments" aria-busy={result.isFetching}>
          <thead>
            <tr>
              {['Requested', 'Requester', 'Player', 'Amount', 'Reason', 'Note', 'Status', 'Decided by', ''].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-testid="approval-row">
                <td>{time(a.created_at)}</td>
                <td>
                  {a.requested_by_name} {a.requested_by === me && <small>(you)</small>}
                </td>
                <td>
                  <PlayerName id={a.user_id} username={a.username} />
                </td>
                <td>{`${signed(a.amount)} ${a.currency}`}</td>
                <td>
                  <code>{a.reason}</code>
                </td>
                <td>{a.note || '–'}</td>
                <td>
                  <span className={`badge ${a.status}`}>{a.status}</span>
                </td>
                <td>{a.decided_by_name ?? '–'}</td>
                <td>
                  {a.status === 'pending' && (
                    <div className="actions">
                      <button type="button" className="primary" onClick={() => setDeciding({ verb: 'approve', adjustment: a })}>
                        Approve
                      </button>
                      <button type="button" className="ghost" onClick={() => setDeciding({ verb: 'reject', adjustment: a })}>
                        Reject
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PageFooter result={result} paging={paging} emptyText={status === 'pending' ? 'No adjustment waits for approval.' : 'None.'} />
      </div>
      {deciding && <DecisionDialog decision={deciding} onClose={() => setDeciding(undefined)} />}
    </section>
  );
}

function DecisionDialog({ decision: { verb, adjustment: a }, onClose }: { decision: Decision; onClose: () => void }) {
  const notify = useToast();
  const what = `${signed(a.amount)} ${a.currency} for ${a.username ?? a.user_id}`;
  const write = useAdminWrite<Record<string, never>, Adjustment>('POST', `/api/admin/approvals/${a.id}/${verb}`, {
    invalidates: [['admin', 'approvals'], ...playerQueries(a.user_id)],
    onSuccess: (done) => {
      notify('success', done.status === 'applied' ? `Approved and applied: ${what}.` : `Rejected: ${what}.`);
      onClose();
    },
    onError: (err) => {
      notify('error', err instanceof ApiError ? err.message : 'The decision was not saved.');
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={`${verb === 'approve' ? 'Approve' : 'Reject'} ${what}?`}
      confirmLabel={verb === 'approve' ? 'Approve' : 'Reject'}
      danger={verb === 'reject'}
      busy={write.pending}
      onConfirm={() => write.run({})}
      onCancel={onClose}
    >
      <p>
        Requested by {a.requested_by_name} on {time(a.created_at)} · reason <code>{a.reason}</code>
        {a.note && <> · {a.note}</>}. Amount: {amount(Math.abs(a.amount))} {a.currency}.
      </p>
    </ConfirmDialog>
  );
}

/** `/admin/approvals`. */
export const approvalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/approvals',
  validateSearch: ApprovalsSearch,
  staticData: { page: { label: 'Approvals', permission: 'wallet:approve', order: 20 } },
  component: ApprovalsPage,
});
