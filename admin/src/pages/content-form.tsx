// The event and mission editor's pieces: the condition (metric, game, target), the reward (GOLD, GEM, XP, an item) and
// the schedule window (UTC), and the 400's issues shown under the field each names (`body.condition.target`, …).
// The form checks little itself: the server validates with the live-ops loop's own schemas and says which field is wrong.
import type { FormEvent, ReactNode } from 'react';
import { METRICS } from '../../../domain/liveops/conditions.ts';
import { GAMES } from '../../../domain/games/game.ts';
import type { ApiIssue } from '../api/client.ts';
import type { ContentRow } from '../api/types.ts';

/** What differs between the two kinds: the events' `type` or the missions' `period`, and the events' description. */
export interface KindSpec {
  kind: 'event' | 'mission';
  /** the body field holding the event type or the mission period */
  typeField: 'type' | 'period';
  typeLabel: string;
  types: readonly string[];
  hasDescription: boolean;
}

/** The body the form sends (snake_case, as the API takes it). */
export type ContentFormBody = Record<string, unknown>;

/** The issues of a 400 by field, `body.` dropped: `condition.target` → its message. */
export function issuesByField(issues: ApiIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path.replace(/^body\.?/, '') || 'form'] ??= i.message;
  return out;
}

/** The message of a field, or of anything under it (`reward` shows `reward.items.0.quantity`'s). */
function errorOf(errors: Record<string, string>, name: string): string | undefined {
  if (errors[name]) return errors[name];
  const key = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
  return key ? errors[key] : undefined;
}

function Field({
  label,
  name,
  errors,
  wide,
  children,
}: {
  label: string;
  name: string;
  errors: Record<string, string>;
  wide?: boolean;
  children: ReactNode;
}) {
  const error = errorOf(errors, name);
  return (
    <label className={`field${wide ? ' span-2' : ''}${error ? ' invalid' : ''}`}>
      <span>{label}</span>
      {children}
      {error && (
        <small className="field-error" role="alert" data-testid={`error-${name}`}>
          {error}
        </small>
      )}
    </label>
  );
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
/** A number field: empty is absent; anything else goes as typed (the server says when it is wrong). */
const num = (form: FormData, name: string) => (text(form, name) === '' ? undefined : Number(text(form, name)));
const when = (form: FormData, name: string) => (text(form, name) === '' ? null : `${text(form, name)}:00Z`);
const utc = (iso: string | null | undefined) => (iso ? iso.slice(0, 16) : '');

/** The form's values as an API body; code and (for a new one) whether to publish at once only on create. */
function bodyOf(form: FormData, spec: KindSpec, isNew: boolean): ContentFormBody {
  const game = text(form, 'game');
  const itemId = text(form, 'item_id');
  const reward: Record<string, unknown> = { gold: num(form, 'gold'), gem: num(form, 'gem'), xp: num(form, 'xp') };
  if (itemId) reward.items = [{ item_id: itemId, quantity: num(form, 'item_qty') ?? 1 }];
  const body: ContentFormBody = {
    name: text(form, 'name'),
    [spec.typeField]: text(form, 'type'),
    condition: { metric: text(form, 'metric'), ...(game ? { game } : {}), target: num(form, 'target') },
    reward: Object.fromEntries(Object.entries(reward).filter(([, v]) => v !== undefined)),
    starts_at: when(form, 'starts_at'),
    ends_at: when(form, 'ends_at'),
    rank: num(form, 'rank') ?? 0,
  };
  if (spec.hasDescription) body.description = text(form, 'description');
  if (isNew) Object.assign(body, { code: text(form, 'code'), active: form.get('active') === 'on' });
  return body;
}

interface ContentFormProps {
  spec: KindSpec;
  /** the row being edited; undefined for a new one */
  row?: ContentRow;
  busy: boolean;
  /** the last 400's issues by field (issuesByField) */
  errors: Record<string, string>;
  onSubmit: (body: ContentFormBody) => void;
}

/** An event's or a mission's editable fields; Save sends them all. */
export function ContentForm({ spec, row, busy, errors, onSubmit }: ContentFormProps) {
  const isNew = row === undefined;
  const reward = row?.reward;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit(bodyOf(new FormData(e.currentTarget), spec, isNew));
  };
  return (
    <form className="edit-form" onSubmit={submit} noValidate data-testid="content-form">
      {isNew && (
        <Field label="Code" name="code" errors={errors}>
          <input name="code" placeholder="weekend_spins" />
        </Field>
      )}
      <Field label={spec.typeLabel} name={spec.typeField} errors={errors}>
        <select name="type" defaultValue={(row as Record<string, unknown> | undefined)?.[spec.typeField] as string}>
          {spec.types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Name" name="name" errors={errors} wide>
        <input name="name" defaultValue={row?.name} />
      </Field>
      {spec.hasDescription && (
        <Field label="Description" name="description" errors={errors} wide>
          <input name="description" defaultValue={row?.description} />
        </Field>
      )}
      <h4 className="span-2">Condition</h4>
      <Field label="Metric" name="condition.metric" errors={errors}>
        <select name="metric" defaultValue={row?.condition.metric ?? 'rounds'}>
          {METRICS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </Field>
      <Field label="Game" name="condition.game" errors={errors}>
        <select name="game" defaultValue={row?.condition.game ?? ''}>
          <option value="">any game</option>
          {GAMES.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </Field>
      <Field label="Target" name="condition.target" errors={errors}>
        <input name="target" type="number" defaultValue={row?.condition.target} data-testid="content-target" />
      </Field>
      <h4 className="span-2">Reward {errors.reward && <small className="field-error">{errors.reward}</small>}</h4>
      <Field label="GOLD" name="reward.gold" errors={errors}>
        <input name="gold" type="number" defaultValue={reward?.gold} data-testid="content-gold" />
      </Field>
      <Field label="GEM" name="reward.gem" errors={errors}>
        <input name="gem" type="number" defaultValue={reward?.gem} />
      </Field>
      <Field label="XP" name="reward.xp" errors={errors}>
        <input name="xp" type="number" defaultValue={reward?.xp} />
      </Field>
      <Field label="Item id" name="reward.items.0.item_id" errors={errors}>
        <input name="item_id" defaultValue={reward?.items?.[0]?.item_id} />
      </Field>
      <Field label="Item quantity" name="reward.items.0.quantity" errors={errors}>
        <input name="item_qty" type="number" defaultValue={reward?.items?.[0]?.quantity ?? 1} />
      </Field>
      <h4 className="span-2">Window (UTC)</h4>
      <Field label="Starts" name="starts_at" errors={errors}>
        <input name="starts_at" type="datetime-local" defaultValue={utc(row?.starts_at)} />
      </Field>
      <Field label="Ends" name="ends_at" errors={errors}>
        <input name="ends_at" type="datetime-local" defaultValue={utc(row?.ends_at)} />
      </Field>
      <Field label="Rank" name="rank" errors={errors}>
        <input name="rank" type="number" defaultValue={row?.rank ?? 0} />
      </Field>
      {isNew && (
        <label className="check">
          <input name="active" type="checkbox" /> Publish at once
        </label>
      )}
      <div className="actions span-2">
        <button type="submit" className="primary" disabled={busy} data-testid="content-save">
          {isNew ? `Create ${spec.kind}` : 'Save'}
        </button>
      </div>
    </form>
  );
}
