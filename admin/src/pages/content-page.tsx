// The events and missions pages (one component, a KindSpec each): every row with its status (draft, scheduled, live,
// ended), filtered by status in the URL and keyset paged. The drawer shows one row: publish or unpublish after a
// confirmation naming it, "who qualifies now" (the segment engine's count and sample), the revisions, and with
// content:write the editor (If-Match: the version the operator saw; a 400 shows under the field it names).
import { useCallback, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet } from '../api/client.ts';
import type { ContentRevision, ContentRow, Page, Qualifies } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';
import { ContentForm, issuesByField, type ContentFormBody, type KindSpec } from './content-form.tsx';
import { amount, time } from './format.ts';
import '../content.css';

/** The statuses the list filters on (and the API's `status`). */
export const CONTENT_FILTERS = ['draft', 'scheduled', 'live', 'ended'] as const;
/** The list's URL state. */
export interface ContentSearch {
  status?: (typeof CONTENT_FILTERS)[number];
  cursor?: string;
}

/** A reward in words: `50 GOLD, 2 GEM, 1 × badge`. */
export function rewardText(r: ContentRow['reward']): string {
  const parts = [r.gold && `${amount(r.gold)} GOLD`, r.gem && `${amount(r.gem)} GEM`, r.xp && `${amount(r.xp)} XP`];
  for (const i of r.items ?? []) parts.push(`${i.quantity} × ${i.item_id}`);
  return parts.filter(Boolean).join(', ');
}

const conditionText = (c: ContentRow['condition']) => `${c.metric} ≥ ${amount(c.target)}${c.game ? ` in ${c.game}` : ''}`;

function columns(spec: KindSpec) {
  const col = columnsFor<ContentRow>();
  return [
    col.accessor('name', {
      header: spec.kind === 'event' ? 'Event' : 'Mission',
      cell: (c) => <span data-testid={`content-${c.row.original.code}`}>{c.getValue()}</span>,
    }),
    col.accessor('code', { header: 'Code', cell: (c) => <code>{c.getValue()}</code> }),
    col.display({ id: 'type', header: spec.typeLabel, cell: (c) => String((c.row.original as Record<string, unknown>)[spec.typeField]) }),
    col.accessor('condition', { header: 'Condition', cell: (c) => conditionText(c.getValue()) }),
    col.accessor('reward', { header: 'Reward', cell: (c) => rewardText(c.getValue()) }),
    col.accessor('starts_at', { header: 'Starts', cell: (c) => time(c.getValue()) }),
    col.accessor('ends_at', { header: 'Ends', cell: (c) => time(c.getValue()) }),
    col.accessor('status', {
      header: 'Status',
      cell: (c) => (
        <span className={`badge content-${c.getValue()}`} data-testid={`status-${c.row.original.code}`}>
          {c.getValue()}
        </span>
      ),
    }),
    col.accessor('version', { header: 'Version' }),
  ];
}

function QualifiesPanel({ path }: { path: string }) {
  const [asked, setAsked] = useState(false);
  const q = useQuery({
    queryKey: ['admin', 'qualifies', path],
    queryFn: ({ signal }) => apiGet<Qualifies>(`${path}/qualifies`, signal),
    enabled: asked,
  });
  return (
    <div className="content-panel">
      <h3>Who qualifies now</h3>
      <button type="button" className="ghost" onClick={() => (asked ? void q.refetch() : setAsked(true))} data-testid="qualifies-run">
        {asked ? 'Count again' : 'Count players'}
      </button>
      {asked && q.isPending && <Loading />}
      {q.isError && <Failed error={q.error} retry={() => void q.refetch()} />}
      {q.data && (
        <div data-testid="qualifies-result">
          <p>
            <strong data-testid="qualifies-count">{amount(q.data.count)}</strong> players already meet the condition in{' '}
            {time(q.data.window.from)} – {time(q.data.window.to)}.
          </p>
          <ul className="content-sample">
            {q.data.sample.map((p) => (
              <li key={p.user_id}>
                {p.username} (level {p.level})
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Revisions({ path, version }: { path: string; version: number }) {
  const q = useQuery({
    queryKey: ['admin', 'revisions', path, version],
    queryFn: ({ signal }) => apiGet<{ items: ContentRevision[] }>(`${path}/revisions`, signal),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <Failed error={q.error} retry={() => void q.refetch()} />;
  return (
    <div className="content-panel">
      <h3>Revisions</h3>
      {q.data.items.length === 0 ? (
        <p className="muted">Not edited yet.</p>
      ) : (
        <ol className="content-revisions" data-testid="revisions">
          {q.data.items.map((r) => (
            <li key={r.version}>
              v{r.version} ({r.definition.active ? 'published' : 'draft'}) replaced {time(r.at)} by {r.edited_by_name ?? '–'}:{' '}
              <code>{JSON.stringify({ condition: r.definition.condition, reward: r.definition.reward })}</code>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

interface ContentPageProps {
  spec: KindSpec;
  title: string;
  search: ContentSearch;
  onSearch: (s: ContentSearch) => void;
}

/** The list, the drawer and the publish confirmation of one kind. */
export function ContentPage({ spec, title, search, onSearch }: ContentPageProps) {
  const base = `/api/admin/${spec.kind}s`;
  const key = ['admin', spec.kind];
  const canWrite = useCan('content:write');
  const notify = useToast();
  const queries = useQueryClient();
  const [open, setOpen] = useState<string | 'new'>();
  const [toggling, setToggling] = useState<ContentRow>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const list = useQuery({
    queryKey: [...key, 'list', search],
    queryFn: ({ signal }) => apiGet<Page<ContentRow>>(`${base}${queryString({ ...search })}`, signal),
    placeholderData: keepPreviousData,
  });
  const detail = useQuery({
    queryKey: [...key, 'one', open],
    queryFn: ({ signal }) => apiGet<ContentRow>(`${base}/${open}`, signal),
    enabled: open !== undefined && open !== 'new',
  });
  const paging = useKeysetPaging(search.cursor, String(search.status), list.data?.next_cursor, (c) => onSearch({ ...search, cursor: c }));
  const onOpen = useCallback((row: ContentRow) => {
    setErrors({});
    setOpen(row.id);
  }, []);
  const shown = useMemo(() => columns(spec), [spec]);

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 400 && err.issues.length) {
      setErrors(issuesByField(err.issues));
      notify('error', 'Some fields are not valid: see the form.');
    } else if (err instanceof ApiError && err.code === 'resource/version_conflict') {
      notify('error', `This ${spec.kind} was changed by someone else: reloaded, check it and try again.`);
      void queries.invalidateQueries({ queryKey: key });
    } else notify('error', err instanceof ApiError ? err.message : 'The server cannot be reached.');
  };
  const saved = (verb: string) => (row: ContentRow) => {
    setErrors({});
    notify('success', `${spec.kind === 'event' ? 'Event' : 'Mission'} ${row.name} ${verb}.`);
    setOpen(row.id);
  };
  const create = useAdminWrite<ContentFormBody, ContentRow>('POST', base, {
    invalidates: [key],
    onSuccess: saved('created'),
    onError: failed,
  });
  const edit = useAdminWrite<ContentFormBody, ContentRow>('PATCH', () => `${base}/${open}`, {
    invalidates: [key],
    onSuccess: saved('saved'),
    onError: failed,
  });
  const toggle = useAdminWrite<undefined, { changed: boolean } & Record<string, ContentRow>>(
    'POST',
    () => `${base}/${toggling!.id}/${toggling!.active ? 'unpublish' : 'publish'}`,
    {
      invalidates: [key],
      onSuccess: (r) => {
        const row = r[spec.kind] as ContentRow;
        notify('success', `${row.name} is ${row.active ? 'published' : 'unpublished'}.`);
        setToggling(undefined);
      },
      onError: (err) => {
        failed(err);
        setToggling(undefined);
      },
    },
  );
  const row = detail.data;

  return (
    <section className="page">
      <div className="page-head">
        <h1>{title}</h1>
        {canWrite && (
          <button type="button" className="primary" onClick={() => (setErrors({}), setOpen('new'))} data-testid="content-new">
            New {spec.kind}
          </button>
        )}
      </div>
      <div className="filters">
        {([undefined, ...CONTENT_FILTERS] as const).map((st) => (
          <button
            key={st ?? 'all'}
            type="button"
            className={search.status === st ? 'primary' : 'ghost'}
            onClick={() => onSearch({ status: st })}
            data-testid={`filter-${st ?? 'all'}`}
          >
            {st ?? 'all'}
          </button>
        ))}
      </div>
      <DataTable label={title} columns={shown} result={list} paging={paging} onOpen={onOpen} emptyText={`No ${spec.kind} here yet.`} />
      {open === 'new' && (
        <Drawer title={`New ${spec.kind}`} onClose={() => setOpen(undefined)}>
          <ContentForm spec={spec} busy={create.pending} errors={errors} onSubmit={(body) => create.run(body)} />
        </Drawer>
      )}
      {open !== undefined && open !== 'new' && (
        <Drawer title={row ? `${spec.kind === 'event' ? 'Event' : 'Mission'} ${row.name}` : spec.kind} onClose={() => setOpen(undefined)}>
          {detail.isPending ? (
            <Loading />
          ) : detail.isError ? (
            <Failed error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            row && (
              <>
                <p>
                  <span className={`badge content-${row.status}`} data-testid="drawer-status">
                    {row.status}
                  </span>{' '}
                  version {row.version} · {conditionText(row.condition)} → {rewardText(row.reward)}
                </p>
                {canWrite && (
                  <button
                    type="button"
                    className={row.active ? 'danger' : 'primary'}
                    onClick={() => setToggling(row)}
                    data-testid="content-toggle"
                  >
                    {row.active ? 'Unpublish' : 'Publish'}
                  </button>
                )}
                <QualifiesPanel path={`${base}/${row.id}`} />
                <Revisions path={`${base}/${row.id}`} version={row.version} />
                {canWrite && (
                  <>
                    <h3>Edit (version {row.version})</h3>
                    <ContentForm
                      key={`${row.id}:${row.version}`}
                      spec={spec}
                      row={row}
                      busy={edit.pending}
                      errors={errors}
                      onSubmit={(body) => edit.run(body, { 'If-Match': String(row.version) })}
                    />
                  </>
                )}
              </>
            )
          )}
        </Drawer>
      )}
      {toggling && (
        <ConfirmDialog
          title={`${toggling.active ? 'Unpublish' : 'Publish'} ${spec.kind} ${toggling.name}?`}
          confirmLabel={toggling.active ? 'Unpublish' : 'Publish'}
          danger={toggling.active}
          busy={toggle.pending}
          onConfirm={() => toggle.run(undefined, { 'If-Match': String(toggling.version) })}
          onCancel={() => setToggling(undefined)}
        >
          <p>
            {toggling.active
              ? 'Players stop seeing it within seconds; their progress is kept.'
              : 'Players see it within seconds while its window runs.'}{' '}
            Version {toggling.version}.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
