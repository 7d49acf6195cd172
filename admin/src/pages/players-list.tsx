// A list inside the player drawer (ledger, sessions, notes, audit trail, …): loaded when its tab opens, newest first,
// 20 rows at a time, "Load more" following the API's next_cursor.
import type { ReactNode } from 'react';
import { useInfiniteQuery, type UseInfiniteQueryResult, type InfiniteData } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { queryString } from '../components/keyset.ts';
import { Empty, Failed, Loading } from '../components/StateViews.tsx';

const PAGE_SIZE = 20;

/** The queries a write on a player makes stale: everything in their drawer (detail and lists) and the grid. */
export function playerQueries(playerId: string): unknown[][] {
  return [
    ['admin', 'player', playerId],
    ['admin', 'players'],
  ];
}

/** The pages of `path` under the query key `key`. */
export function usePagedList<T>(key: readonly unknown[], path: string) {
  return useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => apiGet<Page<T>>(`${path}${queryString({ cursor: pageParam, limit: PAGE_SIZE })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** One column of a drawer list: its header and how a row shows in it. */
export interface ListColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

interface RecordTableProps<T extends { id: string | number }> {
  label: string;
  result: UseInfiniteQueryResult<InfiniteData<Page<T>>>;
  columns: ListColumn<T>[];
  emptyText: string;
}

/** The rows loaded so far, with loading, empty and error states and a "Load more" button while more pages exist. */
export function RecordTable<T extends { id: string | number }>({ label, result, columns, emptyText }: RecordTableProps<T>) {
  const rows = result.data?.pages.flatMap((p) => p.items) ?? [];
  if (result.isPending) return <Loading />;
  if (result.isError && rows.length === 0) return <Failed error={result.error} retry={() => void result.refetch()} />;
  if (rows.length === 0) return <Empty text={emptyText} />;
  return (
    <div className="records">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map((c) => (
                <td key={c.header}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {result.hasNextPage && (
        <button type="button" className="ghost more" disabled={result.isFetchingNextPage} onClick={() => void result.fetchNextPage()}>
          {result.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
