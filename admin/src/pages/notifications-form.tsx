// The compose form in the notifications drawer: title, body, an optional deep link, the target (every player, a
// saved segment, or listed player ids), now or a scheduled UTC time, and an optional dedupe key.
import { useState, type FormEvent } from 'react';

const LINKS = ['slot', 'crash', 'rps', 'gacha', 'shop'] as const;

/** The body the form sends (snake_case, as POST /api/admin/notifications takes it). */
export type NotificationDraft = Record<string, unknown>;

function targetOf(form: FormData): Record<string, unknown> {
  const type = String(form.get('target'));
  if (type === 'segment') return { type, segment_id: String(form.get('segment_id') ?? '').trim() };
  if (type === 'list')
    return {
      type,
      user_ids: String(form.get('user_ids') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean),
    };
  return { type: 'all' };
}

function draftOf(form: FormData): NotificationDraft {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const link = text('deep_link');
  const key = text('dedupe_key');
  return {
    title: text('title'),
    body: text('body'),
    deep_link: link === '' ? null : link,
    target: targetOf(form),
    ...(form.get('when') === 'schedule' ? { scheduled_at: `${text('scheduled_at')}:00Z` } : { send_now: true }),
    ...(key ? { dedupe_key: key } : {}),
  };
}

/** The compose form; Send (or Schedule) submits it. */
export function NotificationForm({ busy, onSubmit }: { busy: boolean; onSubmit: (draft: NotificationDraft) => void }) {
  const [target, setTarget] = useState('all');
  const [when, setWhen] = useState('now');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit(draftOf(new FormData(e.currentTarget)));
  };
  return (
    <form className="edit-form" onSubmit={submit} data-testid="notification-form">
      <label className="field span-2">
        <span>Title</span>
        <input name="title" required maxLength={80} />
      </label>
      <label className="field span-2">
        <span>Message</span>
        <textarea name="body" required maxLength={500} rows={4} />
      </label>
      <label className="field">
        <span>Deep link</span>
        <select name="deep_link" defaultValue="">
          <option value="">none</option>
          {LINKS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Target</span>
        <select name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="all">every player</option>
          <option value="segment">a segment</option>
          <option value="list">listed players</option>
        </select>
      </label>
      {target === 'segment' && (
        <label className="field span-2">
          <span>Segment id</span>
          <input name="segment_id" required />
        </label>
      )}
      {target === 'list' && (
        <label className="field span-2">
          <span>Player ids (comma or space separated)</span>
          <textarea name="user_ids" required rows={3} />
        </label>
      )}
      <label className="field">
        <span>When</span>
        <select name="when" value={when} onChange={(e) => setWhen(e.target.value)}>
          <option value="now">send now</option>
          <option value="schedule">schedule</option>
        </select>
      </label>
      {when === 'schedule' && (
        <label className="field">
          <span>At (UTC)</span>
          <input name="scheduled_at" type="datetime-local" required />
        </label>
      )}
      <label className="field span-2">
        <span>Dedupe key (optional: one delivery per player and key)</span>
        <input name="dedupe_key" maxLength={64} pattern="[A-Za-z0-9._:\-]+" />
      </label>
      <div className="span-2">
        <button type="submit" className="primary" disabled={busy} data-testid="notification-send">
          {when === 'schedule' ? 'Schedule' : 'Send now'}
        </button>
      </div>
    </form>
  );
}
