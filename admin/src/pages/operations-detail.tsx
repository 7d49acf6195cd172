// One operation in its drawer: what it does and to whom, its status with the running step's progress, the preview
// (players matched, total per currency, 20 players before and after), and the next step: shadow, apply (the operator
// types the shadow's count into the confirmation) or undo. Each step's job is linked for its per-item results.
import { Fragment, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet } from '../api/client.ts';
import type { Operation, OperationPreview } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { Failed, Loading } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';
import { amount, signed, time } from './format.ts';
import { JobProgress } from '../components/JobProgress.tsx';

const RUNNING = ['shadowing', 'applying', 'undoing'];
const STEPS = ['shadow', 'apply', 'undo'] as const;
const operationKey = (id: string) => ['admin', 'operations', 'one', id];

/** What the operation does, in words. */
export function describe(op: Pick<Operation, 'kind' | 'params'>): string {
  const p = op.params as Record<string, string | number | null | undefined>;
  switch (op.kind) {
    case 'grant_currency':
      return `Grant ${p.amount ? amount(Number(p.amount)) : 'listed amounts of'} ${p.currency}`;
    case 'deduct_currency':
      return `Deduct ${p.amount ? amount(Number(p.amount)) : 'listed amounts of'} ${p.currency}`;
    case 'grant_item':
      return `Grant ${p.quantity} × ${p.item_id}`;
    case 'notify':
      return `Notify “${p.title}”`;
    case 'tag_add':
      return `Add tag ${p.tag}`;
    case 'tag_remove':
      return `Remove tag ${p.tag}`;
    default:
      return `Set status ${p.status}`;
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return amount(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function PreviewTable({ preview }: { preview: OperationPreview }) {
  return (
    <div data-testid="operation-preview">
      <p>
        <strong data-testid="preview-players">{amount(preview.players)}</strong> players matched
        {Object.entries(preview.totals).map(([c, n]) => (
          <span key={c}>
            {' '}
            · {signed(n)} {c}
          </span>
        ))}
      </p>
      <table aria-label="Preview sample">
        <thead>
          <tr>
            {['Player', 'Before', 'After', ''].map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.sample.map((r) => (
            <tr key={r.user_id}>
              <td>{r.username ?? r.user_id.slice(0, 8)}</td>
              <td>{show(r.before)}</td>
              <td>{show(r.after)}</td>
              <td>{r.error && <span className="badge failed">{r.error}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The apply confirmation: enabled once the typed count equals the shadow's. */
function ApplyDialog({ op, onClose }: { op: Operation; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const notify = useToast();
  const count = op.totals.shadow?.players ?? op.plan?.count ?? 0;
  const apply = useAdminWrite<{ confirm_count: number }, { job_id: string }>('POST', `/api/admin/operations/${op.id}/apply`, {
    invalidates: [['admin', 'operations']],
    onSuccess: () => (notify('success', `Applying to ${amount(count)} players.`), onClose()),
    onError: (err) => (notify('error', err instanceof ApiError ? err.message : 'The apply was not started.'), onClose()),
  });
  return (
    <ConfirmDialog
      title={`${describe(op)} to ${amount(count)} players?`}
      confirmLabel="Apply"
      danger
      busy={apply.pending || typed.trim() !== String(count)}
      onConfirm={() => apply.run({ confirm_count: Number(typed) })}
      onCancel={onClose}
    >
      <p>This executes exactly the shadowed items. Type the number of players, {count}, to confirm.</p>
      <input aria-label="Players to confirm" data-testid="confirm-count" value={typed} onChange={(e) => setTyped(e.target.value)} />
    </ConfirmDialog>
  );
}

/** The drawer's body for operation `id`. */
export function OperationDetail({ id }: { id: string }) {
  const notify = useToast();
  const queries = useQueryClient();
  const canWrite = useCan('operations:write');
  const canApply = useCan('operations:apply');
  const [applying, setApplying] = useState(false);
  const op = useQuery({
    queryKey: operationKey(id),
    queryFn: ({ signal }) => apiGet<Operation>(`/api/admin/operations/${id}`, signal),
    refetchInterval: (q) => (RUNNING.includes(q.state.data?.status ?? '') ? 1000 : false),
  });
  const segmentId = (op.data?.target as { segment_id?: string } | undefined)?.segment_id;
  const segment = useQuery({
    queryKey: ['admin', 'segments', 'one', segmentId],
    queryFn: ({ signal }) => apiGet<{ name: string }>(`/api/admin/segments/${segmentId}`, signal),
    enabled: segmentId !== undefined,
  });
  const [preview, setPreview] = useState<OperationPreview>();
  const previewing = useAdminWrite<Record<string, never>, OperationPreview>('POST', `/api/admin/operations/${id}/preview`, {
    onSuccess: setPreview,
    onError: (err) => notify('error', err instanceof ApiError ? err.message : 'The preview failed.'),
  });
  const stepOptions = (name: 'shadow' | 'undo') => ({
    invalidates: [['admin', 'operations']],
    onSuccess: () => notify('success', name === 'shadow' ? 'Shadow run started: nothing is written.' : 'Undo started.'),
    onError: (err: unknown) => {
      notify('error', err instanceof ApiError ? err.message : `The ${name} was not started.`);
      void queries.invalidateQueries({ queryKey: operationKey(id) });
    },
  });
  const shadow = useAdminWrite<Record<string, never>>('POST', `/api/admin/operations/${id}/shadow`, stepOptions('shadow'));
  const undo = useAdminWrite<Record<string, never>>('POST', `/api/admin/operations/${id}/undo`, stepOptions('undo'));

  if (op.isPending) return <Loading />;
  if (op.isError) return <Failed error={op.error} retry={() => void op.refetch()} />;
  const o = op.data;
  const target = o.target as { type: string; segment_id?: string; players?: unknown[] };
  const runningJob =
    o.status === 'shadowing' ? o.shadow_job_id : o.status === 'applying' ? o.apply_job_id : o.status === 'undoing' ? o.undo_job_id : null;
  return (
    <div data-testid="operation-detail" data-status={o.status}>
      <dl className="facts">
        <dt>What</dt>
        <dd>{describe(o)}</dd>
        <dt>Target</dt>
        <dd>
          {target.type === 'segment'
            ? `segment ${segment.data?.name ?? target.segment_id}`
            : `${amount(target.players?.length ?? 0)} listed players`}
        </dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${o.status}`} data-testid="operation-status">
            {o.status}
          </span>
        </dd>
        <dt>Created</dt>
        <dd>
          {time(o.created_at)} by {o.created_by_name}
        </dd>
        {STEPS.map((s) => {
          const t = o.totals[s];
          const job = o[`${s}_job_id`];
          return (
            t && (
              <Fragment key={s}>
                <dt>{s}</dt>
                <dd data-testid={`totals-${s}`}>
                  {amount(t.players)} players: {t.succeeded} ok, {t.failed} failed, {t.skipped} skipped
                  {t.amount !== 0 && ` · ${signed(t.amount)}`}{' '}
                  {job && (
                    <a href={`/admin/jobs?id=${job}`} data-testid={`job-link-${s}`}>
                      items
                    </a>
                  )}
                </dd>
              </Fragment>
            )
          );
        })}
      </dl>
      {runningJob && <JobProgress jobId={runningJob} />}
      <div className="actions">
        <button
          type="button"
          className="ghost"
          disabled={previewing.pending}
          onClick={() => previewing.run({})}
          data-testid="operation-preview-run"
        >
          Preview
        </button>
        {canWrite && ['draft', 'shadowed', 'failed', 'canceled'].includes(o.status) && (
          <button type="button" className="primary" disabled={shadow.pending} onClick={() => shadow.run({})} data-testid="operation-shadow">
            {o.status === 'draft' ? 'Shadow run' : 'Shadow again'}
          </button>
        )}
        {canApply && o.status === 'shadowed' && (
          <button type="button" className="danger" onClick={() => setApplying(true)} data-testid="operation-apply">
            Apply…
          </button>
        )}
        {canApply && o.status === 'applied' && o.kind !== 'notify' && (
          <button type="button" className="ghost" disabled={undo.pending} onClick={() => undo.run({})} data-testid="operation-undo">
            Undo
          </button>
        )}
      </div>
      {preview && <PreviewTable preview={preview} />}
      {applying && <ApplyDialog op={o} onClose={() => setApplying(false)} />}
    </div>
  );
}
