// The KPI summary kept live: the first answer from GET /api/admin/kpis/summary, then each `kpis` event of the
// Server-Sent Events stream at /admin/kpis/stream (an EventSource sends the admin session cookie, not the bearer
// token). When the stream is refused (the cookie expired with the access token) the session is refreshed, which
// renews the cookie, and the stream reopens.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import { refreshSession } from '../api/session.ts';
import type { KpiSummary } from '../api/types.ts';

/** The summary's query key; the stream writes each event into it. */
export const SUMMARY_KEY = ['admin', 'kpis', 'summary'];
const STREAM_URL = '/admin/kpis/stream';

/** The live summary, and whether the stream is connected. */
export function useLiveKpis() {
  const queries = useQueryClient();
  const [live, setLive] = useState(false);
  const summary = useQuery({ queryKey: SUMMARY_KEY, queryFn: ({ signal }) => apiGet<KpiSummary>('/api/admin/kpis/summary', signal) });

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource(STREAM_URL);
      source.onopen = () => setLive(true);
      source.addEventListener('kpis', (e) => {
        queries.setQueryData(SUMMARY_KEY, JSON.parse((e as MessageEvent<string>).data) as KpiSummary);
        void queries.invalidateQueries({ queryKey: ['admin', 'kpis', 'series'] });
      });
      source.onerror = () => {
        setLive(false);
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        retry = setTimeout(() => void refreshSession().then((ok) => ok && !stopped && open()), 2000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [queries]);
  return { summary, live };
}
