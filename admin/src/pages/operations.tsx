// Operations: bulk grants, deductions, items, notifications, tags and status changes on a segment or a list
// (GET /api/admin/operations, keyset pages in the URL). New operation composes a draft; a row opens its drawer, where
// it is previewed, shadowed (a dry run into a job), applied behind a typed confirmation, and undone.
import { useCallback, useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { OPERATION_STATUSES } from '../../../domain/admin/operations.ts';
import { apiGet } from '../api/client.ts';
import type { Operation, Page } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { amount, time } from './format.ts';
import { ComposeOperation } from './operations-compose.tsx';
import { describe, OperationDetail } from './operations-detail.tsx';

const OperationsSearch = z.object({
  status: z.enum(OPERATION_STATUSES).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
  /** the operation open in the drawer, or `new` for the compose form */
  open: z.string().trim().min(1).optional().catch(undefined),
});

function targetText(o: Operation): string {
  const t = o.target as { type: string; players?: unknown[] };
  return t.type === 'segment' ? 'segment' : `${amount(t.players?.length ?? 0)} listed`;
}

function columns() {
  const col = columnsFor<Operation>();
  return [
    col.accessor('created_at', { header: 'Created', cell: (c) => time(c.getValue()) }),
    col.accessor('kind', { header: 'Operation', cell: (c) => <span data-testid="operation-what">{describe(c.row.original)}</span> }),
    col.accessor('target', { header: 'Target', cell: (c) => targetText(c.row.original) }),
    col.accessor('plan', { header: 'Planned', cell: (c) => (c.getValue() ? amount(c.getValue()!.count) : '–') }),
    col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${c.getValue()}`}>{c.getValue()}</span> }),
    col.accessor('created_by_name', { header: 'By' }),
  ];
}

function OperationsPage() {
  const search = operationsRoute.useSearch();
  const navigate = useNavigate({ from: operationsRoute.fullPath });
  const canWrite = useCan('operations:write');
  const list = useQuery({
    queryKey: ['admin', 'operations', 'list', search.status, search.cursor],
    queryFn: ({ signal }) =>
      apiGet<Page<Operation>>(`/api/admin/operations${queryString({ status: search.status, cursor: search.cursor })}`, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  const paging = useKeysetPaging(
    search.cursor,
    String(search.status),
    list.data?.next_cursor,
    (c) => void navigate({ search: (prev) => ({ ...prev, cursor: c }) }),
  );
  const open = useCallback((id: string | undefined) => void navigate({ search: (prev) => ({ ...prev, open: id }) }), [navigate]);
  const onOpen = useCallback((row: Operation) => open(row.id), [open]);
  const shown = useMemo(() => columns(), []);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Operations</h1>
        {canWrite && (
          <button type="button" className="primary" onClick={() => open('new')} data-testid="operation-new">
            New operation
          </button>
        )}
      </div>
      <div className="filters">
        <label className="field">
          <span>Status</span>
          <select
            value={search.status ?? ''}
            onChange={(e) => void navigate({ search: { status: (e.target.value || undefined) as Operation['status'] | undefined } })}
          >
            <option value="">all</option>
            {OPERATION_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <DataTable label="Operations" columns={shown} result={list} paging={paging} onOpen={onOpen} emptyText="No operation yet." />
      {search.open === 'new' && (
        <Drawer title="New operation" onClose={() => open(undefined)}>
          <ComposeOperation onCreated={(op) => open(op.id)} onCancel={() => open(undefined)} />
        </Drawer>
      )}
      {search.open && search.open !== 'new' && (
        <Drawer title="Operation" onClose={() => open(undefined)}>
          <OperationDetail id={search.open} />
        </Drawer>
      )}
    </section>
  );
}

/** `/admin/operations`. */
export const operationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/operations',
  validateSearch: OperationsSearch,
  staticData: { page: { label: 'Operations', permission: 'liveops:read', order: 56 } },
  component: OperationsPage,
});
