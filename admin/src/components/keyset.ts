// Previous/next over a keyset-paged list whose cursor sits in the URL. The server only knows "after this cursor", so
// the cursors of the pages before are remembered here (per filter set); a deep link's Previous goes to the first page.
import { useRef } from 'react';
import type { Paging } from './DataTable.tsx';

/**
 * Paging for the list at `cursor` (undefined: first page) under the filters named by `filtersKey`.
 * `go(cursor)` navigates to a page; `nextCursor` is the current page's `next_cursor`.
 */
export function useKeysetPaging(
  cursor: string | undefined,
  filtersKey: string,
  nextCursor: string | null | undefined,
  go: (cursor?: string) => void,
): Paging {
  const history = useRef<{ key: string; stack: (string | undefined)[] }>({ key: filtersKey, stack: [] });
  if (history.current.key !== filtersKey) history.current = { key: filtersKey, stack: [] };
  return {
    hasPrev: cursor !== undefined,
    onPrev: () => go(history.current.stack.pop()),
    onNext: () => {
      if (!nextCursor) return;
      history.current.stack.push(cursor);
      go(nextCursor);
    },
  };
}

/** `?a=1&b=x` from an object, leaving out empty values. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
