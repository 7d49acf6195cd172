// The player drawer's record lists, one per tab: ledger (with reasons and who caused each entry), sessions, rounds
// (each opening its public fairness record in a new tab), purchases, inventory, rewards, and the audit trail.
import type { AuditRow, PlayerList, PlayerRecord } from '../api/types.ts';
import { amount, signed, time } from './format.ts';
import { RecordTable, usePagedList, type ListColumn } from './players-list.tsx';

type Meta = Record<string, unknown> | null;

/** Why a ledger entry happened beyond its reason: an adjustment's reason code, operator and note, else its source. */
function ledgerDetails(row: PlayerRecord<'ledger'>): string {
  const m: Meta = row.meta;
  if (m && typeof m.reason_code === 'string') {
    const approved = typeof m.approved_by_name === 'string' ? `, approved by ${m.approved_by_name}` : '';
    const note = typeof m.note === 'string' && m.note ? ` · ${m.note}` : '';
    return `${m.reason_code} by ${String(m.operator_name ?? m.operator_id)}${approved}${note}`;
  }
  return [row.ref_type, row.ref_id].filter(Boolean).join(' ') || '–';
}

const ledger: ListColumn<PlayerRecord<'ledger'>>[] = [
  { header: 'Time', cell: (r) => time(r.created_at) },
  { header: 'Amount', cell: (r) => <span className={r.amount < 0 ? 'debit' : 'credit'}>{`${signed(r.amount)} ${r.currency}`}</span> },
  { header: 'Balance after', cell: (r) => amount(r.balance_after) },
  { header: 'Reason', cell: (r) => <code data-testid="ledger-reason">{r.reason}</code> },
  { header: 'Details', cell: ledgerDetails },
];

const sessions: ListColumn<PlayerRecord<'sessions'>>[] = [
  { header: 'Started', cell: (r) => time(r.created_at) },
  { header: 'IP', cell: (r) => r.ip ?? '–' },
  { header: 'Client', cell: (r) => <span title={r.user_agent ?? ''}>{(r.user_agent ?? '–').slice(0, 40)}</span> },
  { header: 'Ended', cell: (r) => (r.revoked_at ? `${time(r.revoked_at)} (${r.revoked_reason ?? 'revoked'})` : 'open') },
];

const rounds: ListColumn<PlayerRecord<'rounds'>>[] = [
  { header: 'Time', cell: (r) => time(r.created_at) },
  { header: 'Game', cell: (r) => r.game },
  { header: 'Bet', cell: (r) => `${amount(r.bet)} ${r.currency}` },
  { header: 'Payout', cell: (r) => amount(r.payout) },
  { header: '×', cell: (r) => (r.multiplier / 100).toFixed(2) },
  { header: 'Status', cell: (r) => r.status },
  {
    header: 'Fairness',
    cell: (r) => (
      <a href={r.fairness_url} target="_blank" rel="noopener noreferrer" data-testid="fairness-link">
        verify ↗
      </a>
    ),
  },
];

const purchases: ListColumn<PlayerRecord<'purchases'>>[] = [
  { header: 'Time', cell: (r) => time(r.created_at) },
  { header: 'SKU', cell: (r) => r.sku },
  { header: 'Qty', cell: (r) => r.quantity },
  { header: 'Total', cell: (r) => `${amount(r.total_price)} ${r.currency}` },
  { header: 'Status', cell: (r) => r.status },
  { header: 'Receipt', cell: (r) => <code>{r.receipt_code ?? '–'}</code> },
];

const inventory: ListColumn<PlayerRecord<'inventory'>>[] = [
  { header: 'Item', cell: (r) => r.item_id },
  { header: 'Qty', cell: (r) => r.quantity },
  { header: 'Source', cell: (r) => r.source },
  { header: 'Acquired', cell: (r) => time(r.acquired_at) },
  { header: 'Expires', cell: (r) => time(r.expires_at) },
];

const rewards: ListColumn<PlayerRecord<'rewards'>>[] = [
  { header: 'Time', cell: (r) => time(r.created_at) },
  { header: 'Source', cell: (r) => [r.source, r.source_id].filter(Boolean).join(' ') },
  { header: 'Grant', cell: (r) => <code>{r.grant_key}</code> },
  { header: 'Bundle', cell: (r) => <code>{JSON.stringify(r.bundle)}</code> },
];

// each list has its own row type
const COLUMNS: { [L in PlayerList]: ListColumn<PlayerRecord<L>>[] } = { ledger, sessions, rounds, purchases, inventory, rewards };

const EMPTY: Record<PlayerList, string> = {
  ledger: 'No ledger entry yet.',
  sessions: 'No login yet.',
  rounds: 'No round played.',
  purchases: 'No purchase.',
  inventory: 'The inventory is empty.',
  rewards: 'No reward paid.',
};

/** One of the player's lists (`GET /api/admin/players/{id}/<list>`), fetched when shown. */
export function PlayerRecords<L extends PlayerList>({ playerId, list }: { playerId: string; list: L }) {
  const result = usePagedList<PlayerRecord<L>>(['admin', 'player', playerId, list], `/api/admin/players/${playerId}/${list}`);
  return <RecordTable label={list} result={result} columns={COLUMNS[list]} emptyText={EMPTY[list]} />;
}

const audit: ListColumn<AuditRow>[] = [
  { header: 'Time', cell: (r) => time(r.at) },
  { header: 'Actor', cell: (r) => `${r.actor_name ?? '–'} (${r.actor_role ?? '–'})` },
  { header: 'Action', cell: (r) => <code>{r.action}</code> },
  { header: 'Result', cell: (r) => <span className={`badge ${r.result}`}>{r.result}</span> },
  { header: 'Request', cell: (r) => <code>{r.request_id ?? '–'}</code> },
];

/** The audit trail of operators' actions on this player (`GET /api/admin/players/{id}/audit`), newest first. */
export function PlayerAudit({ playerId }: { playerId: string }) {
  const result = usePagedList<AuditRow>(['admin', 'player', playerId, 'audit'], `/api/admin/players/${playerId}/audit`);
  return <RecordTable label="audit trail" result={result} columns={audit} emptyText="No operator has acted on this player." />;
}
