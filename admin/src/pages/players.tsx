// Players: the grid over GET /api/admin/players (search, filters, sort, keyset pages, all in the URL) and the
// player's drawer (players-drawer.tsx).
import { useCallback, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { apiGet } from '../api/client.ts';
import type { Page, PlayerDetail, PlayerRow } from '../api/types.ts';
import { rootRoute } from '../app/root.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { Field, FilterBar } from '../components/FilterBar.tsx';
import { amount, time } from './format.ts';
import { PlayerDrawer } from './players-drawer.tsx';

const SORTS = ['created', 'last_seen', 'level', 'gold', 'gem', 'wagered_7d'] as const;
const STATUSES = ['active', 'suspended', 'banned'] as const satisfies readonly PlayerDetail['status'][];
const text = z.string().trim().min(1).optional().catch(undefined);
const int = z.coerce.number().int().min(0).optional().catch(undefined);
const day = z.iso.date().optional().catch(undefined);

const PlayersSearch = z.object({
  q: text,
  status: z.enum(STATUSES).optional().catch(undefined),
  level_min: int,
  level_max: int,
  created_from: day,
  created_to: day,
  sort: z.enum(SORTS).optional().catch(undefined),
  order: z.enum(['asc', 'desc']).optional().catch(undefined),
  cursor: text,
  limit: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
});
type PlayersSearch = z.infer<typeof PlayersSearch>;

/** The API's query: the page's inclusive created days become an inclusive start and an exclusive end instant (UTC). */
function apiQuery({ created_from, created_to, ...rest }: PlayersSearch) {
  const dayAfter = created_to ? new Date(Date.parse(`${created_to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return { ...rest, created_from: created_from ? `${created_from}T00:00:00Z` : undefined, created_to: dayAfter };
}

const col = columnsFor<PlayerRow>();
const columns = [
  col.accessor('username', { header: 'Player', enableSorting: false }),
  col.accessor('status', {
    header: 'Status',
    enableSorting: false,
    cell: (c) => <span className={`badge ${c.getValue()}`}>{c.getValue()}</span>,
  }),
  col.accessor('level', { id: 'level', header: 'Level' }),
  col.accessor('gold', { id: 'gold', header: 'GOLD', cell: (c) => amount(c.getValue()) }),
  col.accessor('gem', { id: 'gem', header: 'GEM', cell: (c) => amount(c.getValue()) }),
  col.accessor('wagered_7d', { id: 'wagered_7d', header: 'Wagered 7 d', cell: (c) => amount(c.getValue()) }),
  col.accessor('last_seen_at', { id: 'last_seen', header: 'Last seen', cell: (c) => time(c.getValue()) }),
  col.accessor('created_at', { id: 'created', header: 'Created', cell: (c) => time(c.getValue()) }),
];

function PlayersPage() {
  const search = playersRoute.useSearch();
  const navigate = useNavigate({ from: playersRoute.fullPath });
  const [open, setOpen] = useState<PlayerRow>();
  const { cursor, ...filters } = search;
  const result = useQuery({
    queryKey: ['admin', 'players', search],
    queryFn: ({ signal }) => apiGet<Page<PlayerRow>>(`/api/admin/players${queryString(apiQuery(search))}`, signal),
    placeholderData: keepPreviousData,
  });
  const go = (next: Partial<PlayersSearch>) => void navigate({ search: (prev) => ({ ...prev, ...next }) });
  const paging = useKeysetPaging(cursor, JSON.stringify(filters), result.data?.next_cursor, (c) => go({ cursor: c }));
  const onOpen = useCallback((row: PlayerRow) => setOpen(row), []);

  return (
    <section className="page">
      <h1>Players</h1>
      <FilterBar values={filters} onApply={(f) => void navigate({ search: { ...f, sort: search.sort, order: search.order } })}>
        <Field name="q" label="Username or id" search placeholder="prefix or exact id  ( / )" />
        <Field name="status" label="Status" options={STATUSES} />
        <Field name="level_min" label="Level from" type="number" />
        <Field name="level_max" label="to" type="number" />
        <Field name="created_from" label="Created from" type="date" />
        <Field name="created_to" label="to" type="date" />
      </FilterBar>
      <DataTable
        label="Players"
        columns={columns}
        result={result}
        sort={search.sort ? { id: search.sort, desc: search.order !== 'asc' } : undefined}
        onSort={(s) => go({ sort: s?.id as PlayersSearch['sort'], order: s ? (s.desc ? 'desc' : 'asc') : undefined, cursor: undefined })}
        paging={paging}
        onOpen={onOpen}
        emptyText="No player matches these filters."
      />
      {open && <PlayerDrawer id={open.id} username={open.username} onClose={() => setOpen(undefined)} />}
    </section>
  );
}

/** `/admin/players`. */
export const playersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/players',
  validateSearch: PlayersSearch,
  staticData: { page: { label: 'Players', permission: 'players:read', order: 10 } },
  component: PlayersPage,
});
