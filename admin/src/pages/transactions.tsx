// Transactions: the ledger lookup (GET /api/admin/transactions) by entry id, player, purchase id or receipt, round,
// payment provider event or time range, all in the URL; each row's pairing status, and a drawer with the entry, its
// pair and the data lag. The Reconciliation tab (view=reconciliation) lists what does not pair.
import { useCallback, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { apiGet } from '../api/client.ts';
import type { LedgerEntryRow, TransactionPage } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { Field, FilterBar } from '../components/FilterBar.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { amount, time } from './format.ts';
import { MissingLedger, ReconciliationView } from './reconciliation.tsx';
import { EntryDetails, PairingBadge, signed } from './transactions-entry.tsx';

const text = z.string().trim().min(1).optional().catch(undefined);
const day = z.iso.date().optional().catch(undefined);

const TransactionsSearch = z.object({
  view: z.enum(['lookup', 'reconciliation']).optional().catch(undefined),
  entry_id: text,
  player: text,
  purchase_id: text,
  receipt: text,
  round_id: text,
  provider_event_id: text,
  from: day,
  to: day,
  cursor: text,
});
type Filters = Omit<z.infer<typeof TransactionsSearch>, 'view' | 'cursor'>;

/** The API's query: the page's inclusive days become an inclusive start and an exclusive end instant (UTC). */
function apiQuery({ from, to, ...rest }: Filters, cursor?: string): string {
  const nextDay = to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return queryString({ ...rest, from: from ? `${from}T00:00:00Z` : undefined, to: nextDay, cursor });
}

type Row = LedgerEntryRow & { id: string };

const col = columnsFor<Row>();
const columns = [
  col.accessor('entry_id', { header: 'Entry', cell: (c) => `#${c.getValue()}` }),
  col.accessor('created_at', { header: 'Time', cell: (c) => time(c.getValue()) }),
  col.accessor('user_id', { header: 'Player', cell: (c) => <code>{c.getValue().slice(0, 8)}</code> }),
  col.accessor('delta', { header: 'Amount', cell: (c) => `${signed(c.getValue())} ${c.row.original.currency}` }),
  col.accessor('balance_after', { header: 'Balance', cell: (c) => amount(c.getValue()) }),
  col.accessor('reason', { header: 'Reason' }),
  col.accessor('pair', { header: 'Pair', cell: (c) => (c.getValue() ? `${c.getValue()!.type}` : '–') }),
  col.accessor('pairing_status', { header: 'Pairing', cell: (c) => <PairingBadge status={c.getValue()} /> }),
];

function Lookup({ filters, cursor, onOpen }: { filters: Filters; cursor?: string; onOpen: (row: LedgerEntryRow) => void }) {
  const navigate = useNavigate({ from: transactionsRoute.fullPath });
  const result = useQuery({
    queryKey: ['admin', 'transactions', filters, cursor],
    queryFn: async ({ signal }) => {
      const page = await apiGet<TransactionPage>(`/api/admin/transactions${apiQuery(filters, cursor)}`, signal);
      return { ...page, items: page.items.map((e) => ({ ...e, id: String(e.entry_id) })) };
    },
    placeholderData: keepPreviousData,
  });
  const paging = useKeysetPaging(
    cursor,
    JSON.stringify(filters),
    result.data?.next_cursor,
    (c) => void navigate({ search: (prev) => ({ ...prev, cursor: c }) }),
  );
  const missing = result.data?.missing_ledger ?? [];
  return (
    <>
      <FilterBar values={filters} onApply={(f) => void navigate({ search: f })}>
        <Field name="entry_id" label="Ledger entry" type="number" />
        <Field name="player" label="Player" search placeholder="username or id  ( / )" />
        <Field name="purchase_id" label="Purchase id" />
        <Field name="receipt" label="Receipt" />
        <Field name="round_id" label="Round id" />
        <Field name="provider_event_id" label="Provider event" />
        <Field name="from" label="From" type="date" />
        <Field name="to" label="to" type="date" />
      </FilterBar>
      {missing.length > 0 && (
        <div className="grid" data-testid="missing-ledger">
          <h3>Without their ledger entry</h3>
          <MissingLedger rows={missing} />
        </div>
      )}
      <DataTable
        label="Ledger entries"
        columns={columns}
        result={result}
        paging={paging}
        onOpen={onOpen}
        emptyText="No ledger entry matches this search."
      />
    </>
  );
}

function TransactionsPage() {
  const { view = 'lookup', cursor, ...filters } = transactionsRoute.useSearch();
  const navigate = useNavigate({ from: transactionsRoute.fullPath });
  const [open, setOpen] = useState<LedgerEntryRow>();
  const onOpen = useCallback((row: LedgerEntryRow) => setOpen(row), []);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Transactions</h1>
        <div className="tabs" role="tablist">
          {(['lookup', 'reconciliation'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'primary' : 'ghost'}
              data-testid={`tab-${v}`}
              onClick={() => void navigate({ search: v === 'lookup' ? {} : { view: v } })}
            >
              {v === 'lookup' ? 'Lookup' : 'Reconciliation'}
            </button>
          ))}
        </div>
      </div>
      {view === 'lookup' ? <Lookup filters={filters} cursor={cursor} onOpen={onOpen} /> : <ReconciliationView onOpen={onOpen} />}
      {open && (
        <Drawer title={`Ledger entry #${open.entry_id}`} onClose={() => setOpen(undefined)}>
          <EntryDetails entry={open} />
        </Drawer>
      )}
    </section>
  );
}

/** `/admin/transactions`. */
export const transactionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/transactions',
  validateSearch: TransactionsSearch,
  staticData: { page: { label: 'Transactions', permission: 'transactions:read', order: 40 } },
  component: TransactionsPage,
});
