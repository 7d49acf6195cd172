// Job events kept live: one EventSource on /admin/jobs/stream (it sends the admin session cookie) shared by every
// component that shows a job; each `job` event is written into the cached job and into the cached job lists.
import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { refreshSession } from './session.ts';
import type { Job, Page } from './types.ts';

/** What a `job` event carries. */
type JobEvent = Pick<Job, 'id' | 'kind' | 'status' | 'counts'>;

const STREAM_URL = '/admin/jobs/stream';
let users = 0;
let source: EventSource | undefined;
let retry: ReturnType<typeof setTimeout> | undefined;

function apply(queries: QueryClient, e: JobEvent) {
  let moved = false;
  queries.setQueryData<Job>(['admin', 'jobs', 'one', e.id], (old) => {
    if (!old) return old;
    moved ||= old.status !== e.status;
    return { ...old, status: e.status, counts: e.counts };
  });
  queries.setQueriesData<Page<Job>>({ queryKey: ['admin', 'jobs', 'list'] }, (page) =>
    page
      ? {
          ...page,
          items: page.items.map((j) => {
            if (j.id !== e.id) return j;
            moved ||= j.status !== e.status;
            return { ...j, status: e.status, counts: e.counts };
          }),
        }
      : page,
  );
  // A fetch answered before this event (one started by a write's invalidation, say) would land after it and put the
  // old status back, with no later event to correct it. A change of status therefore also refetches: that cancels the
  // fetches in flight, and the new ones read what the event announced (a filtered list also drops or gains the job).
  if (moved) {
    void queries.invalidateQueries({ queryKey: ['admin', 'jobs', 'one', e.id] });
    void queries.invalidateQueries({ queryKey: ['admin', 'jobs', 'list'] });
  }
}

function open(queries: QueryClient, reopened = false) {
  source = new EventSource(STREAM_URL);
  let opened = reopened;
  source.onopen = () => {
    // events sent while the stream was down are not replayed: after a reconnect, read the jobs again
    if (opened) void queries.invalidateQueries({ queryKey: ['admin', 'jobs'] });
    opened = true;
  };
  source.addEventListener('job', (m) => apply(queries, JSON.parse((m as MessageEvent<string>).data) as JobEvent));
  source.onerror = () => {
    if (source?.readyState !== EventSource.CLOSED) return;
    // refused: the cookie expired with the access token; a refresh renews it
    retry = setTimeout(() => void refreshSession().then((ok) => ok && users > 0 && open(queries, true)), 2000);
  };
}

/** Keeps cached jobs live while the calling component is mounted. */
export function useJobEvents() {
  const queries = useQueryClient();
  useEffect(() => {
    if (users++ === 0) open(queries);
    return () => {
      if (--users > 0) return;
      clearTimeout(retry);
      source?.close();
      source = undefined;
    };
  }, [queries]);
}
