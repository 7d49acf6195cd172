// Imports: CSV uploads of player tags, grants and products. A file is parsed in the browser (papaparse), its columns
// mapped, then validated again by the server (POST /api/admin/imports); the report lists every problem by row and
// column and downloads as CSV. Applying an import goes through operations (tags, grants) or a job (products).
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { apiGet } from '../api/client.ts';
import type { ImportReport, ImportRow, Page } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { amount, time } from './format.ts';
import { ReportPanel } from './imports-report.tsx';
import { UploadPanel } from './imports-upload.tsx';

const ImportsSearch = z.object({
  id: z.uuid().optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});

const IMPORTS = ['admin', 'imports'];

function columns() {
  const col = columnsFor<ImportRow>();
  return [
    col.accessor('created_at', { header: 'Uploaded', cell: (c) => time(c.getValue()) }),
    col.accessor('filename', { header: 'File' }),
    col.accessor('kind', { header: 'Kind' }),
    col.accessor('rows', { header: 'Rows', cell: (c) => amount(c.getValue()) }),
    col.accessor('valid', { header: 'Valid', cell: (c) => amount(c.getValue()) }),
    col.accessor('invalid', { header: 'Invalid', cell: (c) => amount(c.getValue()) }),
    col.accessor('duplicates', { header: 'Duplicates', cell: (c) => amount(c.getValue()) }),
    col.accessor('status', { header: 'Status', cell: (c) => <span className={`badge ${c.getValue()}`}>{c.getValue()}</span> }),
    col.accessor('created_by_name', { header: 'By' }),
  ];
}

function ImportsPage() {
  const search = importsRoute.useSearch();
  const navigate = useNavigate({ from: importsRoute.fullPath });
  const queries = useQueryClient();
  const canWrite = useCan('imports:write');
  const list = useQuery({
    queryKey: [...IMPORTS, 'list', search.cursor],
    queryFn: ({ signal }) => apiGet<Page<ImportRow>>(`/api/admin/imports${queryString({ cursor: search.cursor, limit: 20 })}`, signal),
    placeholderData: keepPreviousData,
  });
  const report = useQuery({
    queryKey: [...IMPORTS, 'one', search.id],
    queryFn: ({ signal }) => apiGet<ImportReport>(`/api/admin/imports/${search.id}`, signal),
    enabled: search.id !== undefined,
    // a products import applies in a job: follow it until it ends
    refetchInterval: (q) => (q.state.data?.status === 'applying' ? 2000 : false),
  });
  const paging = useKeysetPaging(search.cursor, '', list.data?.next_cursor, (c) => void navigate({ search: { ...search, cursor: c } }));
  const show = (r: ImportReport) => {
    queries.setQueryData([...IMPORTS, 'one', r.id], r);
    void navigate({ search: { ...search, id: r.id } });
  };

  return (
    <section className="page">
      <h1>Imports</h1>
      {canWrite && <UploadPanel onReport={show} />}
      {search.id &&
        (report.data ? (
          <ReportPanel report={report.data} />
        ) : report.error ? (
          <Failed error={report.error} retry={() => void report.refetch()} />
        ) : (
          <Loading />
        ))}
      <h2>Past imports</h2>
      <DataTable
        label="Imports"
        columns={columns()}
        result={list}
        paging={paging}
        onOpen={(row) => void navigate({ search: { ...search, id: row.id } })}
        emptyText="No import yet."
      />
    </section>
  );
}

/** `/admin/imports`. */
export const importsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/imports',
  validateSearch: ImportsSearch,
  staticData: { page: { label: 'Imports', permission: 'liveops:read', order: 58 } },
  component: ImportsPage,
});
