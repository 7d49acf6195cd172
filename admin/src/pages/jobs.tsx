// Jobs: the background work of bulk operations, imports and notification sends (GET /api/admin/jobs), newest first,
// each with a live progress bar (the job events stream). A row opens the job: its counts, its items filtered by
// status, cancel (pending items are skipped at the next chunk), retry of the failed items, and the failed items as CSV.
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ApiError, apiGet, downloadFile } from '../api/client.ts';
import { useJobEvents } from '../api/job-events.ts';
import type { Job, JobItem, Page } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { PageFooter } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { JobBar } from '../components/JobProgress.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { useToast } from '../components/Toasts.tsx';
import { time } from './format.ts';

const STATUSES = ['all', 'PENDING', 'RUNNING', 'DONE', 'FAILED', 'CANCELED'] as const;
const ITEM_STATUSES = ['all', 'pending', 'succeeded', 'failed', 'skipped'] as const;

const JobsSearch = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  kind: z.string().trim().min(1).max(40).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
  id: z.uuid().optional().catch(undefined),
});

function JobsPage() {
  useJobEvents();
  const search = jobsRoute.useSearch();
  const navigate = useNavigate({ from: jobsRoute.fullPath });
  const status = search.status ?? 'all';
  const filters = { status: status === 'all' ? undefined : status, kind: search.kind };
  const result = useQuery({
    queryKey: ['admin', 'jobs', 'list', filters, search.cursor],
    queryFn: ({ signal }) => apiGet<Page<Job>>(`/api/admin/jobs${queryString({ ...filters, cursor: search.cursor })}`, signal),
    placeholderData: keepPreviousData,
  });
  const paging = useKeysetPaging(
    search.cursor,
    JSON.stringify(filters),
    result.data?.next_cursor,
    (c) => void navigate({ search: { ...search, cursor: c } }),
  );
  return (
    <section className="page">
      <h1>Jobs</h1>
      <div className="filters">
        <label className="field">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => void navigate({ search: { ...search, cursor: undefined, status: e.target.value as never } })}
          >
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Kind</span>
          <input
            defaultValue={search.kind ?? ''}
            placeholder="any"
            onKeyDown={(e) =>
              e.key === 'Enter' && void navigate({ search: { ...search, cursor: undefined, kind: e.currentTarget.value || undefined } })
            }
          />
        </label>
      </div>
      <div className="grid jobs">
        <table aria-label="Jobs" aria-busy={result.isFetching}>
          <thead>
            <tr>
              {['Created', 'Kind', 'Progress', 'By', 'For'].map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(result.data?.items ?? []).map((j) => (
              <tr key={j.id} data-testid="job-row" tabIndex={0} onClick={() => void navigate({ search: { ...search, id: j.id } })}>
                <td>{time(j.created_at)}</td>
                <td>
                  <code>{j.kind}</code>
                </td>
                <td>
                  <JobBar job={j} />
                </td>
                <td>{j.created_by.username}</td>
                <td>{j.ref_type ? `${j.ref_type} ${j.ref_id?.slice(0, 8)}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <PageFooter result={result} paging={paging} emptyText="No job." />
      </div>
      {search.id && <JobDrawer id={search.id} onClose={() => void navigate({ search: { ...search, id: undefined } })} />}
    </section>
  );
}

function JobDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const notify = useToast();
  const canManage = useCan('jobs:manage');
  const [itemStatus, setItemStatus] = useState<(typeof ITEM_STATUSES)[number]>('all');
  const [cursor, setCursor] = useState<string>();
  const job = useQuery({
    queryKey: ['admin', 'jobs', 'one', id],
    queryFn: ({ signal }) => apiGet<Job>(`/api/admin/jobs/${id}`, signal),
  });
  const filter = itemStatus === 'all' ? undefined : itemStatus;
  const items = useQuery({
    queryKey: ['admin', 'jobs', 'items', id, filter, cursor, job.data?.counts],
    queryFn: ({ signal }) =>
      apiGet<Page<JobItem>>(`/api/admin/jobs/${id}/items${queryString({ status: filter, cursor, limit: 20 })}`, signal),
    placeholderData: keepPreviousData,
  });
  const paging = useKeysetPaging(cursor, `${id}:${filter}`, items.data?.next_cursor, setCursor);
  const written = (what: string) => ({
    invalidates: [['admin', 'jobs']],
    onSuccess: () => notify('success', what),
    onError: (err: unknown) => notify('error', err instanceof ApiError ? err.message : 'Not saved.'),
  });
  const cancel = useAdminWrite<Record<string, never>>('POST', `/api/admin/jobs/${id}/cancel`, written('Cancel requested.'));
  const retry = useAdminWrite<Record<string, never>>('POST', `/api/admin/jobs/${id}/retry`, written('Failed items queued again.'));
  const j = job.data;
  const active = j?.status === 'PENDING' || j?.status === 'RUNNING';
  const exportFailed = () =>
    downloadFile(`/api/admin/jobs/${id}/items.csv?status=failed`, `job-${id.slice(0, 8)}-failed.csv`).then(
      () => notify('success', 'Failed items exported.'),
      () => notify('error', 'The export failed.'),
    );
  return (
    <Drawer title={j ? `Job ${j.kind}` : 'Job'} onClose={onClose}>
      {j && (
        <>
          <JobBar job={j} />
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="job-status">{j.status}</dd>
            <dt>Counts</dt>
            <dd>
              {j.counts.succeeded} succeeded · {j.counts.failed} failed · {j.counts.skipped} skipped · {j.counts.pending} pending
            </dd>
            <dt>Created</dt>
            <dd>
              {time(j.created_at)} by {j.created_by.username}
            </dd>
            <dt>Finished</dt>
            <dd>{time(j.finished_at)}</dd>
          </dl>
          <div className="actions">
            {canManage && active && (
              <button type="button" className="ghost" disabled={cancel.pending || j.cancel_requested} onClick={() => cancel.run({})}>
                {j.cancel_requested ? 'Canceling…' : 'Cancel'}
              </button>
            )}
            {canManage && !active && j.counts.failed > 0 && (
              <button type="button" className="primary" disabled={retry.pending} onClick={() => retry.run({})}>
                Retry failed
              </button>
            )}
            {j.counts.failed > 0 && (
              <button type="button" className="ghost" onClick={() => void exportFailed()}>
                Download failed (CSV)
              </button>
            )}
          </div>
        </>
      )}
      <label className="field">
        <span>Item status</span>
        <select
          value={itemStatus}
          onChange={(e) => {
            setItemStatus(e.target.value as (typeof ITEM_STATUSES)[number]);
            setCursor(undefined);
          }}
        >
          {ITEM_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <table aria-label="Job items">
        <thead>
          <tr>
            {['#', 'Player', 'Status', 'Result or error', 'Attempts'].map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(items.data?.items ?? []).map((i) => (
            <tr key={i.id} data-testid="job-item-row">
              <td>{i.seq}</td>
              <td>{i.username ?? i.user_id?.slice(0, 8) ?? '–'}</td>
              <td>
                <span className={`badge ${i.status}`}>{i.status}</span>
              </td>
              <td>{i.error ?? (i.result ? <code>{JSON.stringify(i.result)}</code> : '–')}</td>
              <td>{i.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PageFooter result={items} paging={paging} emptyText="No item." />
    </Drawer>
  );
}

/** `/admin/jobs` (`?id=` opens a job). */
export const jobsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/jobs',
  validateSearch: JobsSearch,
  staticData: { page: { label: 'Jobs', permission: 'liveops:read', order: 57 } },
  component: JobsPage,
});
