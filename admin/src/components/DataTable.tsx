// The console's grid: TanStack Table (v9) over one server page. The server sorts and pages (keyset cursor); the
// table renders, shows the sort, and lets the keyboard move the selection (↑/↓) and open a row (Enter).
import { useEffect, useState } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import type { Page } from '../api/types.ts';
import { Empty, Failed, Loading } from './StateViews.tsx';

const features = tableFeatures({ rowSortingFeature });
type Features = typeof features;

/** A column helper for `T` rows of a DataTable. */
export function columnsFor<T extends RowData>() {
  return createColumnHelper<Features, T>();
}

/** The one sorted column, as it sits in the URL (`sort=…&order=…`). */
export interface Sort {
  id: string;
  desc: boolean;
}

/** Previous/next page controls for a keyset-paged list. */
export interface Paging {
  hasPrev: boolean;
  onPrev: () => void;
  onNext: () => void;
}

interface DataTableProps<T extends { id: string }> {
  label: string;
  // each column has its own value type
  columns: ColumnDef<Features, T, any>[];
  result: UseQueryResult<Page<T>>;
  sort?: Sort;
  onSort?: (sort: Sort | undefined) => void;
  paging: Paging;
  onOpen: (row: T) => void;
  emptyText: string;
}

const NO_ROWS: never[] = [];

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** A server-paged, server-sorted grid with loading, empty and error states and keyboard row selection. */
export function DataTable<T extends { id: string }>({
  label,
  columns,
  result,
  sort,
  onSort,
  paging,
  onOpen,
  emptyText,
}: DataTableProps<T>) {
  const rows = result.data?.items ?? NO_ROWS;
  const [selected, setSelected] = useState(-1);
  const sorting: SortingState = sort ? [sort] : [];
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: true,
    state: { sorting },
    onSortingChange: (updater) => onSort?.((typeof updater === 'function' ? updater(sorting) : updater)[0]),
  });

  useEffect(() => setSelected(-1), [result.data]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || document.querySelector('[aria-modal="true"]') || rows.length === 0) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSelected((i) => (e.key === 'ArrowDown' ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1)));
      } else if (e.key === 'Enter' && selected >= 0 && !(e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) {
        e.preventDefault();
        onOpen(rows[selected]);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rows, selected, onOpen]);
  useEffect(() => {
    if (selected >= 0) document.querySelector(`[data-row-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="grid">
      <table aria-label={label} aria-busy={result.isFetching}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const dir = header.column.getIsSorted();
                const canSort = onSort !== undefined && header.column.getCanSort();
                return (
                  <th key={header.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
                    {canSort ? (
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row, i) => (
            <tr
              key={row.id}
              data-row-index={i}
              aria-selected={i === selected}
              className={i === selected ? 'selected' : undefined}
              onClick={() => {
                setSelected(i);
                onOpen(row.original);
              }}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <PageFooter result={result} paging={paging} emptyText={emptyText} />
    </div>
  );
}

/** Under a keyset-paged table: its loading, error or empty state, and the previous/next controls. */
export function PageFooter<T>({ result, paging, emptyText }: { result: UseQueryResult<Page<T>>; paging: Paging; emptyText: string }) {
  return (
    <>
      {result.isPending ? <Loading /> : result.isError ? <Failed error={result.error} retry={() => void result.refetch()} /> : null}
      {result.isSuccess && result.data.items.length === 0 && <Empty text={emptyText} />}
      <nav className="pager" aria-label="Pages">
        <button type="button" className="ghost" disabled={!paging.hasPrev} onClick={paging.onPrev}>
          ← Previous
        </button>
        <button type="button" className="ghost" disabled={!result.data?.next_cursor} onClick={paging.onNext}>
          Next →
        </button>
      </nav>
    </>
  );
}
