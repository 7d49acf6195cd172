// The live preview of a rule being edited: a moment after the last change, the number of players it selects and a
// sample of 20 (POST /api/admin/segments/preview, a read); a rule the server refuses shows its message.
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, apiWrite, newActionKey } from '../api/client.ts';
import type { SegmentPreview as Preview } from '../api/types.ts';
import { amount, time } from './format.ts';
import type { SegmentRule } from './segments-facts.ts';

/** How long the rule must stay unchanged before it is previewed. */
const DEBOUNCE_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** The count and the sample of `rule`, refreshed as it changes. */
export function SegmentPreview({ rule }: { rule: SegmentRule }) {
  const body = useDebounced(JSON.stringify(rule), DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: ['admin', 'segments', 'preview', body],
    queryFn: () => apiWrite<Preview>('POST', '/api/admin/segments/preview', { rule: JSON.parse(body) as unknown }, newActionKey()),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const error = preview.error;
  return (
    <section className="segment-preview" aria-label="Preview" aria-busy={preview.isFetching}>
      <h3>
        Preview{' '}
        {preview.data && !error && (
          <small data-testid="preview-took">
            ({preview.data.took_ms} ms{preview.isFetching ? ', refreshing…' : ''})
          </small>
        )}
      </h3>
      {error ? (
        <p className="error" role="alert" data-testid="preview-error">
          {error instanceof ApiError ? error.message : 'The server cannot be reached.'}
        </p>
      ) : !preview.data ? (
        <p className="muted">Counting…</p>
      ) : (
        <>
          <p className="preview-count">
            <strong data-testid="preview-count">{amount(preview.data.count)}</strong> players match
          </p>
          {preview.data.sample.length > 0 && (
            <div className="grid">
              <table aria-label="Sample of matching players" data-testid="preview-sample">
                <thead>
                  <tr>
                    <th>Player</th>
                    <th>Level</th>
                    <th>Status</th>
                    <th>GOLD</th>
                    <th>GEM</th>
                    <th>Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.data.sample.map((p) => (
                    <tr key={p.id}>
                      <td>{p.username}</td>
                      <td>{p.level}</td>
                      <td>
                        <span className={`badge ${p.status}`}>{p.status}</span>
                      </td>
                      <td>{amount(p.gold)}</td>
                      <td>{amount(p.gem)}</td>
                      <td>{time(p.last_seen_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
