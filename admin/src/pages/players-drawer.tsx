// A player's drawer: profile and balances (GET /api/admin/players/{id}), the actions the operator's role allows, and
// one tab per list (ledger, sessions, rounds, purchases, inventory, rewards, notes, limits, audit trail), each loaded when
// opened.
import { useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import { useCan } from '../api/permissions.ts';
import type { PlayerDetail, PlayerList } from '../api/types.ts';
import { Drawer } from '../components/Drawer.tsx';
import { Failed, Loading } from '../components/StateViews.tsx';
import { amount, time } from './format.ts';
import { PlayerActions } from './players-actions.tsx';
import { PlayerNotes } from './players-notes.tsx';
import { PlayerLimitsTab } from './players-limits.tsx';
import { PlayerTags } from './players-tags.tsx';
import { PlayerAudit, PlayerRecords } from './players-records.tsx';
import '../players.css';

type Tab = PlayerList | 'notes' | 'limits' | 'audit';

const TABS: { id: Tab; label: string }[] = [
  { id: 'ledger', label: 'Ledger' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'rounds', label: 'Rounds' },
  { id: 'purchases', label: 'Purchases' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'rewards', label: 'Rewards' },
  { id: 'notes', label: 'Notes' },
  { id: 'limits', label: 'Limits' },
  { id: 'audit', label: 'Audit trail' },
];

/** The player's detail (profile, balances, counts). */
function usePlayer(id: string) {
  return useQuery({
    queryKey: ['admin', 'player', id],
    queryFn: ({ signal }) => apiGet<PlayerDetail>(`/api/admin/players/${id}`, signal),
  });
}

/** The drawer of the player `id` (named `username` while it loads). */
export function PlayerDrawer({ id, username, onClose }: { id: string; username: string; onClose: () => void }) {
  const detail = usePlayer(id);
  return (
    <Drawer title={`Player ${username}`} onClose={onClose}>
      <div className="player-drawer">
        {detail.isPending ? (
          <Loading />
        ) : detail.isError ? (
          <Failed error={detail.error} retry={() => void detail.refetch()} />
        ) : (
          <>
            <Profile player={detail.data} />
            <PlayerActions player={detail.data} />
            <Tabs player={detail.data} />
          </>
        )}
      </div>
    </Drawer>
  );
}

function Profile({ player: p }: { player: PlayerDetail }) {
  return (
    <>
      <div className="balances" aria-label="Balances">
        {Object.entries(p.balances).map(([currency, value]) => (
          <div key={currency} className="balance">
            <small>{currency}</small>
            <strong data-testid={`balance-${currency}`}>{amount(value)}</strong>
          </div>
        ))}
      </div>
      <dl className="facts">
        <dt>Id</dt>
        <dd>
          <code>{p.id}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${p.status}`} data-testid="player-status">
            {p.status}
          </span>
        </dd>
        <dt>Level</dt>
        <dd>
          {p.level} <small>({amount(p.xp)} XP)</small>
        </dd>
        <dt>Wagered (7 days)</dt>
        <dd>{amount(p.wagered_7d)} GOLD</dd>
        <dt>Created</dt>
        <dd>{time(p.created_at)}</dd>
        <dt>Last login</dt>
        <dd>{time(p.last_login_at)}</dd>
        <dt>Last seen</dt>
        <dd>{time(p.last_seen_at)}</dd>
        <dt>Open sessions</dt>
        <dd>{p.counts.open_auth_sessions}</dd>
      </dl>
      <PlayerTags playerId={p.id} />
    </>
  );
}

function Tabs({ player }: { player: PlayerDetail }) {
  const [tab, setTab] = useState<Tab>('ledger');
  const mayAudit = useCan('audit:read');
  const tabs = TABS.filter((t) => t.id !== 'audit' || mayAudit);
  const counts: Partial<Record<Tab, number>> = {
    ledger: player.counts.ledger_entries,
    rounds: player.counts.rounds,
    purchases: player.counts.purchases,
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = tabs.findIndex((t) => t.id === tab) + (e.key === 'ArrowRight' ? 1 : -1);
    const next = tabs[(i + tabs.length) % tabs.length];
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Player records" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            aria-controls="player-tab"
            tabIndex={t.id === tab ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {counts[t.id] !== undefined && <small> {amount(counts[t.id])}</small>}
          </button>
        ))}
      </div>
      <div id="player-tab" role="tabpanel" aria-labelledby={`tab-${tab}`} data-testid={`tab-${tab}`}>
        {tab === 'notes' ? (
          <PlayerNotes playerId={player.id} />
        ) : tab === 'limits' ? (
          <PlayerLimitsTab playerId={player.id} />
        ) : tab === 'audit' ? (
          <PlayerAudit playerId={player.id} />
        ) : (
          <PlayerRecords key={tab} playerId={player.id} list={tab} />
        )}
      </div>
    </>
  );
}
