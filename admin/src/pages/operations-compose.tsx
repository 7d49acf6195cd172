// Composing an operation: its kind, the parameters that kind takes, and its target (a saved segment, or a pasted list
// of usernames or ids, one a line, each optionally followed by its own amount: `alice,50`). Saved as a draft.
import { useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { OPERATION_KINDS, PLAYER_STATUSES } from '../../../domain/admin/operations.ts';
import { CURRENCIES } from '../../../domain/economy/currency.ts';
import { DEEP_LINKS } from '../../../domain/notifications/notification.ts';
import { ApiError, apiGet } from '../api/client.ts';
import type { Operation, OperationKind, Page } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useToast } from '../components/Toasts.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND_LABELS: Record<OperationKind, string> = {
  grant_currency: 'Grant currency',
  deduct_currency: 'Deduct currency',
  grant_item: 'Grant an item',
  notify: 'Send a notification',
  tag_add: 'Add a tag',
  tag_remove: 'Remove a tag',
  set_status: 'Change status',
};

type ListPlayer = { user_id?: string; username?: string; amount?: number };

/** Reads a pasted list: one player a line (username or id), optionally `,amount`; blank lines ignored. */
export function parsePlayerList(text: string): { players: ListPlayer[]; bad: string[] } {
  const players: ListPlayer[] = [];
  const bad: string[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (!line) continue;
    const [who, amountText] = line.split(/[,;\t]/).map((p) => p.trim());
    const amount = amountText === undefined || amountText === '' ? undefined : Number(amountText);
    if (!who || (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 1))) bad.push(line);
    else players.push({ ...(UUID.test(who) ? { user_id: who } : { username: who }), ...(amount === undefined ? {} : { amount }) });
  }
  return { players, bad };
}

type Fields = Record<string, string>;

/** The request's `params` from the form's fields, for the kind. */
function paramsOf(kind: OperationKind, f: Fields): Record<string, unknown> {
  const num = (v: string | undefined) => (v ? Number(v) : undefined);
  switch (kind) {
    case 'grant_currency':
    case 'deduct_currency':
      return { currency: f.currency ?? 'GOLD', ...(f.amount ? { amount: num(f.amount) } : {}) };
    case 'grant_item':
      return { item_id: f.item_id ?? '', quantity: num(f.quantity) ?? 1 };
    case 'notify':
      return { title: f.title ?? '', body: f.body ?? '', deep_link: f.deep_link || null };
    case 'tag_add':
    case 'tag_remove':
      return { tag: f.tag ?? '' };
    default:
      return { status: f.status ?? 'suspended', ...(f.reason ? { reason: f.reason } : {}) };
  }
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** The parameter inputs of a kind. */
function ParamFields({ kind, f, set }: { kind: OperationKind; f: Fields; set: (k: string, v: string) => void }) {
  const input = (k: string, props: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input name={k} value={f[k] ?? ''} onChange={(e) => set(k, e.target.value)} {...props} />
  );
  const select = (k: string, options: readonly string[], fallback: string) => (
    <select name={k} value={f[k] ?? fallback} onChange={(e) => set(k, e.target.value)}>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
  if (kind === 'grant_currency' || kind === 'deduct_currency') {
    return (
      <>
        <Field label="Currency">{select('currency', CURRENCIES, 'GOLD')}</Field>
        <Field label="Amount per player">{input('amount', { type: 'number', min: 1, placeholder: 'or per line in the list' })}</Field>
      </>
    );
  }
  if (kind === 'grant_item') {
    return (
      <>
        <Field label="Item id">{input('item_id', { placeholder: 'starter-badge' })}</Field>
        <Field label="Quantity">{input('quantity', { type: 'number', min: 1, placeholder: '1' })}</Field>
      </>
    );
  }
  if (kind === 'notify') {
    return (
      <>
        <Field label="Title">{input('title')}</Field>
        <Field label="Body">
          <textarea name="body" value={f.body ?? ''} onChange={(e) => set('body', e.target.value)} rows={3} />
        </Field>
        <Field label="Deep link">{select('deep_link', ['', ...DEEP_LINKS], '')}</Field>
      </>
    );
  }
  if (kind === 'tag_add' || kind === 'tag_remove') return <Field label="Tag">{input('tag', { placeholder: 'vip' })}</Field>;
  return (
    <>
      <Field label="New status">{select('status', PLAYER_STATUSES, 'suspended')}</Field>
      <Field label="Reason">{input('reason', { placeholder: 'bulk operation' })}</Field>
    </>
  );
}

/** The compose form; `onCreated` gets the new draft. */
export function ComposeOperation({ onCreated, onCancel }: { onCreated: (op: Operation) => void; onCancel: () => void }) {
  const notify = useToast();
  const [kind, setKind] = useState<OperationKind>('grant_currency');
  const [fields, setFields] = useState<Fields>({});
  const [targetType, setTargetType] = useState<'segment' | 'list'>('segment');
  const [segmentId, setSegmentId] = useState('');
  const [listText, setListText] = useState('');
  const segments = useQuery({
    queryKey: ['admin', 'segments', 'picker'],
    queryFn: ({ signal }) => apiGet<Page<{ id: string; name: string }>>('/api/admin/segments?limit=200', signal),
    enabled: targetType === 'segment',
  });
  const create = useAdminWrite<Record<string, unknown>, Operation & { duplicates: number }>('POST', '/api/admin/operations', {
    invalidates: [['admin', 'operations']],
    onSuccess: (op) => {
      notify('success', `Draft saved${op.duplicates ? ` (${op.duplicates} duplicate players dropped)` : ''}: preview and shadow it next.`);
      onCreated(op);
    },
    onError: (err) => notify('error', err instanceof ApiError ? err.message : 'The draft was not saved.'),
  });
  const list = parsePlayerList(listText);
  const target = targetType === 'segment' ? { type: 'segment', segment_id: segmentId } : { type: 'list', players: list.players };
  const ready = targetType === 'segment' ? segmentId !== '' : list.players.length > 0 && list.bad.length === 0;

  return (
    <form
      className="form"
      data-testid="operation-compose"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) create.run({ kind, params: paramsOf(kind, fields), target });
      }}
    >
      <Field label="Kind">
        <select name="kind" value={kind} onChange={(e) => (setKind(e.target.value as OperationKind), setFields({}))}>
          {OPERATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </Field>
      <ParamFields kind={kind} f={fields} set={(k, v) => setFields((prev) => ({ ...prev, [k]: v }))} />
      <fieldset>
        <legend>Target</legend>
        {(['segment', 'list'] as const).map((t) => (
          <label key={t} className="inline">
            <input type="radio" name="target" checked={targetType === t} onChange={() => setTargetType(t)} />
            {t === 'segment' ? 'Saved segment' : 'Pasted list'}
          </label>
        ))}
        {targetType === 'segment' ? (
          <Field label="Segment">
            <select name="segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
              <option value="">{segments.isPending ? 'Loading…' : 'Choose a segment'}</option>
              {segments.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={`Players (${list.players.length}): a username or id a line, optionally ,amount`}>
            <textarea name="players" rows={6} value={listText} onChange={(e) => setListText(e.target.value)} />
            {list.bad.length > 0 && <small className="error">Not understood: {list.bad.slice(0, 5).join(' · ')}</small>}
          </Field>
        )}
      </fieldset>
      <div className="actions">
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!ready || create.pending} data-testid="operation-save">
          Save draft
        </button>
      </div>
    </form>
  );
}
