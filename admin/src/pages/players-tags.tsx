// A player's tags in the player drawer: shown to every operator; with players:tags each one can be removed and a new
// one added (PUT / DELETE /api/admin/players/{id}/tags/{tag}, audited).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../api/client.ts';
import { useCan } from '../api/permissions.ts';
import type { PlayerTags as Tags } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useToast } from '../components/Toasts.tsx';
import '../segments.css';

const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The tags row of the player drawer. */
export function PlayerTags({ playerId }: { playerId: string }) {
  const canEdit = useCan('players:tags');
  const notify = useToast();
  const [tag, setTag] = useState('');
  const key = ['admin', 'player', playerId, 'tags'];
  const tags = useQuery({ queryKey: key, queryFn: ({ signal }) => apiGet<Tags>(`/api/admin/players/${playerId}/tags`, signal) });
  const options = (verb: string) => ({
    invalidates: [key, ['admin', 'tags']],
    onSuccess: (t: Tags) => {
      if (verb === 'Tagged') setTag('');
      notify('success', t.changed ? `${verb}.` : 'Nothing to change.');
    },
    onError: (err: unknown) => notify('error', err instanceof ApiError ? err.message : 'The tag was not saved.'),
  });
  const add = useAdminWrite<{ tag: string }, Tags>('PUT', (b) => `/api/admin/players/${playerId}/tags/${b.tag}`, options('Tagged'));
  const remove = useAdminWrite<{ tag: string }, Tags>(
    'DELETE',
    (b) => `/api/admin/players/${playerId}/tags/${b.tag}`,
    options('Tag removed'),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (TAG.test(tag)) add.run({ tag });
  };
  return (
    <div className="player-tags" aria-label="Tags" data-testid="player-tags">
      <strong>Tags</strong>
      {tags.data?.tags.length === 0 && <small className="muted">none</small>}
      {tags.data?.tags.map((t) => (
        <span key={t.tag} className="badge" data-testid={`tag-${t.tag}`}>
          {t.tag}
          {canEdit && (
            <button
              type="button"
              className="ghost small"
              aria-label={`Remove tag ${t.tag}`}
              disabled={remove.pending}
              onClick={() => remove.run({ tag: t.tag })}
            >
              ✕
            </button>
          )}
        </span>
      ))}
      {canEdit && (
        <form onSubmit={submit}>
          <input
            aria-label="New tag"
            placeholder="new tag"
            value={tag}
            maxLength={32}
            onChange={(e) => setTag(e.target.value.trim().toLowerCase())}
            data-testid="tag-input"
          />
          <button type="submit" className="ghost small" disabled={add.pending || !TAG.test(tag)} data-testid="tag-add">
            Add tag
          </button>
        </form>
      )}
    </div>
  );
}
