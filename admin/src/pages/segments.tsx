// Segments: saved rules over player facts (GET /api/admin/segments, keyset pages in the URL). A segment opens in a
// drawer with the rule builder and its live preview (count and a sample of 20); with segments:write it is saved under
// the version the operator saw (If-Match) or deleted after a confirmation naming it. New segment starts an empty rule.
import { useCallback, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ApiError, apiGet } from '../api/client.ts';
import type { Page, Segment } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';
import { time } from './format.ts';
import { RuleBuilder } from './segments-builder.tsx';
import { asGroup, type SegmentRule } from './segments-facts.ts';
import { SegmentPreview } from './segments-preview.tsx';
import '../segments.css';

const SegmentsSearch = z.object({ cursor: z.string().trim().min(1).optional().catch(undefined) });
const SEGMENTS = ['admin', 'segments'];
const segmentPath = (id: string) => `/api/admin/segments/${id}`;

/** What a save sends. */
interface SegmentBody {
  name: string;
  description: string;
  rule: SegmentRule;
}

function columns() {
  const col = columnsFor<Segment>();
  return [
    col.accessor('name', { header: 'Segment', cell: (c) => <span data-testid={`segment-${c.getValue()}`}>{c.getValue()}</span> }),
    col.accessor('description', { header: 'Description' }),
    col.accessor('version', { header: 'Version' }),
    col.accessor('created_by_name', { header: 'Created by' }),
    col.accessor('updated_at', { header: 'Updated', cell: (c) => time(c.getValue()) }),
  ];
}

/** The editor of one segment (or a new one): name, description, rule builder, preview, and Save / Delete. */
function SegmentEditor(props: {
  segment?: Segment;
  canWrite: boolean;
  busy: boolean;
  onSave: (b: SegmentBody) => void;
  onDelete?: () => void;
}) {
  const { segment, canWrite } = props;
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [rule, setRule] = useState<SegmentRule>(() => asGroup(segment?.rule as SegmentRule | undefined));
  const tags = useQuery({
    queryKey: ['admin', 'tags'],
    queryFn: ({ signal }) => apiGet<{ items: Array<{ tag: string }> }>('/api/admin/tags', signal),
  });
  return (
    <form
      className="segment-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (canWrite && name.trim()) props.onSave({ name: name.trim(), description: description.trim(), rule });
      }}
    >
      <div className="filters">
        <label className="field wide">
          <span>Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            required
            readOnly={!canWrite}
            data-testid="segment-name"
          />
        </label>
        <label className="field wide">
          <span>Description</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} readOnly={!canWrite} />
        </label>
      </div>
      <h3>Players who match</h3>
      <RuleBuilder rule={rule} onChange={setRule} tags={tags.data?.items.map((t) => t.tag) ?? []} />
      <SegmentPreview rule={rule} />
      {canWrite && (
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy || !name.trim()} data-testid="segment-save">
            {segment ? `Save (version ${segment.version})` : 'Save segment'}
          </button>
          {props.onDelete && (
            <button type="button" className="danger" onClick={props.onDelete} data-testid="segment-delete">
              Delete
            </button>
          )}
        </div>
      )}
    </form>
  );
}

function SegmentsPage() {
  const search = segmentsRoute.useSearch();
  const navigate = useNavigate({ from: segmentsRoute.fullPath });
  const canWrite = useCan('segments:write');
  const notify = useToast();
  const queries = useQueryClient();
  const [open, setOpen] = useState<string | 'new'>();
  const [deleting, setDeleting] = useState<Segment>();
  const list = useQuery({
    queryKey: [...SEGMENTS, 'list', search],
    queryFn: ({ signal }) => apiGet<Page<Segment>>(`/api/admin/segments${queryString(search)}`, signal),
    placeholderData: keepPreviousData,
  });
  const detail = useQuery({
    queryKey: [...SEGMENTS, 'one', open],
    queryFn: ({ signal }) => apiGet<Segment>(segmentPath(open!), signal),
    enabled: open !== undefined && open !== 'new',
  });
  const paging = useKeysetPaging(search.cursor, '', list.data?.next_cursor, (c) => void navigate({ search: { cursor: c } }));
  const onOpen = useCallback((row: Segment) => setOpen(row.id), []);
  const shown = useMemo(() => columns(), []);
  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'segment/stale_version') {
      notify('error', 'This segment was changed by someone else: reloaded, check it and try again.');
      void queries.invalidateQueries({ queryKey: SEGMENTS });
    } else notify('error', err instanceof ApiError ? err.message : 'The server cannot be reached.');
  };
  const create = useAdminWrite<SegmentBody, Segment>('POST', '/api/admin/segments', {
    invalidates: [SEGMENTS],
    onSuccess: (s) => {
      notify('success', `Segment ${s.name} saved.`);
      setOpen(s.id);
    },
    onError: failed,
  });
  const edit = useAdminWrite<SegmentBody, Segment>('PUT', () => segmentPath(String(open)), {
    invalidates: [SEGMENTS],
    onSuccess: (s) => notify('success', `Segment ${s.name} saved (version ${s.version}).`),
    onError: failed,
  });
  const remove = useAdminWrite<undefined, Segment>('DELETE', () => segmentPath(deleting!.id), {
    invalidates: [SEGMENTS],
    onSuccess: (s) => {
      notify('success', `Segment ${s.name} deleted.`);
      setDeleting(undefined);
      setOpen(undefined);
    },
    onError: (err) => {
      failed(err);
      setDeleting(undefined);
    },
  });
  const segment = detail.data;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Segments</h1>
        <button type="button" className="primary" onClick={() => setOpen('new')} data-testid="segment-new">
          {canWrite ? 'New segment' : 'Try a rule'}
        </button>
      </div>
      <DataTable label="Segments" columns={shown} result={list} paging={paging} onOpen={onOpen} emptyText="No segment saved yet." />
      {open === 'new' && (
        <Drawer title="New segment" onClose={() => setOpen(undefined)}>
          <SegmentEditor canWrite={canWrite} busy={create.pending} onSave={(body) => create.run(body)} />
        </Drawer>
      )}
      {open !== undefined && open !== 'new' && (
        <Drawer title={segment ? `Segment ${segment.name}` : 'Segment'} onClose={() => setOpen(undefined)}>
          {detail.isPending ? (
            <Loading />
          ) : detail.isError ? (
            <Failed error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            segment && (
              <SegmentEditor
                key={`${segment.id}:${segment.version}`}
                segment={segment}
                canWrite={canWrite}
                busy={edit.pending}
                onSave={(body) => edit.run(body, { 'If-Match': String(segment.version) })}
                onDelete={() => setDeleting(segment)}
              />
            )
          )}
        </Drawer>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete segment ${deleting.name}?`}
          confirmLabel="Delete"
          danger
          busy={remove.pending}
          onConfirm={() => remove.run(undefined)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>Operations already planned on it keep the players they were shadowed with.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/admin/segments`. */
export const segmentsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/segments',
  validateSearch: SegmentsSearch,
  staticData: { page: { label: 'Segments', permission: 'liveops:read', order: 45 } },
  component: SegmentsPage,
});
