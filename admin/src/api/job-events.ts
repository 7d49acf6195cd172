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
  queries.setQueryData<Job>(['admin', 'jobs', 'one', e.id], (old) => (old ? { ...old, status: e.status, counts: e.counts } : old));
  queries.setQueriesData<Page<Job>>({ queryKey: ['admin', 'jobs', 'list'] }, (page) =>
    page ? { ...page, items: page.items.map((j) => (j.id === e.id ? { ...j, status: e.status, counts: e.counts } : j)) } : page,
  );
}

function open(queries: QueryClient) {
  source = new EventSource(STREAM_URL);
  source.addEventListener('job', (m) => apply(queries, JSON.parse((m as MessageEvent<string>).data) as JobEvent));
  source.onerror = () => {
    if (source?.readyState !== EventSource.CLOSED) return;
    // refused: the cookie expired with the access token; a refresh renews it
    retry = setTimeout(() => void refreshSession().then((ok) => ok && users > 0 && open(queries)), 2000);
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
