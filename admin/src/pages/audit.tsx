// Audit: the grid over GET /api/admin/audit (filters and keyset pages in the URL), a drawer with the row's before
// and after, and Export CSV of the same filters (GET /api/admin/audit.csv, fetched with the token, saved as a file).
import { useCallback, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { apiGet, downloadFile } from '../api/client.ts';
import type { AuditRow, Page } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { Field, FilterBar } from '../components/FilterBar.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { useToast } from '../components/Toasts.tsx';
import { time } from './format.ts';

const text = z.string().trim().min(1).optional().catch(undefined);
const day = z.iso.date().optional().catch(undefined);

const AuditSearch = z.object({
  actor: text,
  action: text,
  target: text,
  result: z.enum(['ok', 'denied', 'failed']).optional().catch(undefined),
  from: day,
  to: day,
  cursor: text,
  limit: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
});

const col = columnsFor<AuditRow>();
const columns = [
  col.accessor('at', { header: 'Time', cell: (c) => time(c.getValue()) }),
  col.accessor('actor_name', { header: 'Actor', cell: (c) => c.getValue() ?? '–' }),
  col.accessor('actor_role', { header: 'Role', cell: (c) => c.getValue() ?? '–' }),
  col.accessor('action', { header: 'Action' }),
  col.accessor('target_id', { header: 'Target', cell: (c) => [c.row.original.target_type, c.getValue()].filter(Boolean).join(' ') || '–' }),
  col.accessor('result', { header: 'Result', cell: (c) => <span className={`badge ${c.getValue()}`}>{c.getValue()}</span> }),
  col.accessor('request_id', { header: 'Request', cell: (c) => <code>{c.getValue() ?? '–'}</code> }),
];

/** The API's filters: the page's inclusive days become an inclusive start and an exclusive end instant (UTC). */
function apiFilters({ from, to, ...rest }: Omit<z.infer<typeof AuditSearch>, 'cursor' | 'limit'>) {
  const nextDay = to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return { ...rest, from: from ? `${from}T00:00:00Z` : undefined, to: nextDay };
}

function json(value: unknown): string {
  return value === null || value === undefined ? '–' : JSON.stringify(value, null, 2);
}

function AuditPage() {
  const search = auditRoute.useSearch();
  const navigate = useNavigate({ from: auditRoute.fullPath });
  const notify = useToast();
  const [open, setOpen] = useState<AuditRow>();
  const { cursor, limit, ...filters } = search;
  const result = useQuery({
    queryKey: ['admin', 'audit', search],
    queryFn: ({ signal }) => apiGet<Page<AuditRow>>(`/api/admin/audit${queryString({ ...apiFilters(filters), cursor, limit })}`, signal),
    placeholderData: keepPreviousData,
  });
  const paging = useKeysetPaging(
    cursor,
    JSON.stringify(filters),
    result.data?.next_cursor,
    (c) => void navigate({ search: (prev) => ({ ...prev, cursor: c }) }),
  );
  const onOpen = useCallback((row: AuditRow) => setOpen(row), []);
  const exportCsv = () =>
    downloadFile(`/api/admin/audit.csv${queryString(apiFilters(filters))}`, `audit-${new Date().toISOString().slice(0, 10)}.csv`).then(
      () => notify('success', 'Audit log exported.'),
      () => notify('error', 'The export failed.'),
    );

  return (
    <section className="page">
      <h1>Audit log</h1>
      <FilterBar
        values={filters}
        onApply={(f) => void navigate({ search: { ...f, limit } })}
        extra={
          <button type="button" className="ghost" onClick={() => void exportCsv()} data-testid="export-csv">
            Export CSV
          </button>
        }
      >
        <Field name="actor" label="Actor" search placeholder="operator name or id  ( / )" />
        <Field name="action" label="Action" placeholder="players.ban" />
        <Field name="target" label="Target id" />
        <Field name="result" label="Result" options={['ok', 'denied', 'failed']} />
        <Field name="from" label="From" type="date" />
        <Field name="to" label="to" type="date" />
      </FilterBar>
      <DataTable
        label="Audit log"
        columns={columns}
        result={result}
        paging={paging}
        onOpen={onOpen}
        emptyText="No audit entry matches these filters."
      />
      {open && (
        <Drawer title={`${open.action} · ${time(open.at)}`} onClose={() => setOpen(undefined)}>
          <dl className="facts">
            <dt>Actor</dt>
            <dd>
              {open.actor_name ?? '–'} ({open.actor_role ?? '–'}) <code>{open.actor_id ?? ''}</code>
            </dd>
            <dt>Target</dt>
            <dd>
              {open.target_type ?? '–'} <code>{open.target_id ?? ''}</code>
            </dd>
            <dt>Result</dt>
            <dd>
              {open.result}
              {open.error ? ` (${open.error})` : ''}
            </dd>
            <dt>Request id</dt>
            <dd>
              <code>{open.request_id ?? '–'}</code>
            </dd>
            <dt>Idempotency key</dt>
            <dd>
              <code>{open.idempotency_key ?? '–'}</code>
            </dd>
            <dt>Job id</dt>
            <dd>
              <code>{open.job_id ?? '–'}</code>
            </dd>
            <dt>From</dt>
            <dd>
              {open.ip ?? '–'} · {open.user_agent ?? '–'}
            </dd>
          </dl>
          <h3>Before</h3>
          <pre>{json(open.before)}</pre>
          <h3>After</h3>
          <pre>{json(open.after)}</pre>
        </Drawer>
      )}
    </section>
  );
}

/** `/admin/audit`. */
export const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: AuditSearch,
  staticData: { page: { label: 'Audit log', permission: 'audit:read', order: 90 } },
  component: AuditPage,
});
