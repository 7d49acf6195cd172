// The admin API's wire shapes the console reads (snake_case, as the server sends them; money as integers).
import type { Permission } from '../../../domain/admin/rbac.ts';
import type { PLAYER_RECORDS } from '../../../server/http/dto/admin/player-records.dto.ts';

/** The signed-in operator (`GET /api/admin/me`, and inside a login's answer). */
export interface Operator {
  id: string;
  username: string;
  role: string;
  permissions: Permission[];
}

/** The answer of `POST /api/admin/auth/login` and `/refresh`. */
export interface LoginAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  operator: Operator;
}

/** One keyset page of a list endpoint: `next_cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A row of `GET /api/admin/players`. */
export interface PlayerRow {
  id: string;
  username: string;
  status: string;
  level: number;
  created_at: string;
  last_seen_at: string | null;
  gold: number;
  gem: number;
  wagered_7d: number;
}

/** A row of `GET /api/admin/audit`. */
export interface AuditRow {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  result: string;
  error: string | null;
  request_id: string | null;
  idempotency_key: string | null;
  job_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** `GET /api/admin/players/{id}`: profile, balances by currency and record counts. */
export type { PlayerDetailBody as PlayerDetail } from '../../../server/http/dto/admin/players.dto.ts';
/** A wallet adjustment (`POST …/wallet/adjustments`, the approvals list): status `pending` waits for a second operator. */
export type { AdjustmentBody as Adjustment } from '../../../server/http/dto/admin/wallet-adjustments.dto.ts';
/** A row of the approvals list: the adjustment with its player's `username`. */
export type { ApprovalBody as Approval } from '../../../server/http/dto/admin/wallet-adjustments.dto.ts';
/** An operator's note on a player. */
export type { NoteBody as Note } from '../../../server/http/dto/admin/notes.dto.ts';
/** The reason codes a wallet adjustment takes. */
export type { AdjustmentReason } from '../../../server/services/admin/wallet-adjustments.service.ts';
/** The currencies a wallet holds. */
export type { Currency } from '../../../domain/economy/currency.ts';

/** The lists of a player's page: `GET /api/admin/players/{id}/<list>`. */
export type PlayerList = keyof typeof PLAYER_RECORDS;
/** A row of one of a player's lists (a ledger entry, a session, a round, …). */
export type PlayerRecord<L extends PlayerList> = ReturnType<(typeof PLAYER_RECORDS)[L]['body']>;
/** A product of `GET /api/admin/shop/products` (inactive ones too); `version` goes back in If-Match. */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  kind: string;
  price: number;
  currency: 'GOLD' | 'GEM' | 'USD';
  discount_pct: number;
  final_price: number;
  grants: { currencies: { GOLD?: number; GEM?: number }; items: { item_id: string; quantity: number }[] };
  bonus: { GOLD?: number; GEM?: number } | null;
  one_time: boolean;
  stock_total: number | null;
  stock_remaining: number | null;
  per_user_cap: number | null;
  rank: number;
  sale_starts_at: string | null;
  sale_ends_at: string | null;
  active: boolean;
  version: number;
  created_at: string;
}

/** How a ledger entry and its cause agree (seed 001). */
export type PairingStatus = 'paired' | 'missing_source' | 'missing_ledger' | 'amount_mismatch';

/** A ledger entry of `GET /api/admin/transactions` with its pair, pairing status and data lag. */
export interface LedgerEntryRow {
  entry_id: number;
  user_id: string;
  currency: string;
  delta: number;
  balance_after: number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  idempotency_key: string | null;
  actor: string;
  meta: Record<string, unknown> | null;
  created_at: string;
  pairing_status: PairingStatus;
  pair: { type: string; id: string | null; committed_at: string | null; expected_delta: number | null } | null;
  lag: {
    source_committed_at: string | null;
    ledger_at: string;
    outbox_published_at: string | null;
    source_to_ledger_ms: number | null;
    ledger_to_publish_ms: number | null;
  };
}

/** A source (round, purchase, reward) without its ledger entry. */
export interface UnledgeredRow {
  pairing_status: 'missing_ledger';
  source: { type: string; id: string; committed_at: string };
  user_id: string;
  currency: string;
  reason: string;
  expected_delta: number;
}

/** `GET /api/admin/transactions`: a page of entries and the searched sources' missing entries. */
export interface TransactionPage extends Page<LedgerEntryRow> {
  missing_ledger: UnledgeredRow[];
}

/** `GET /api/admin/reconciliation`. */
export interface Reconciliation {
  unpaired_entries: LedgerEntryRow[];
  missing_ledger: UnledgeredRow[];
  wallet_drift: { user_id: string; currency: string; problem: string; detail: string }[];
  wallets: number;
  entries: number;
  truncated: boolean;
}

/** One game's figures in the KPI summary (money in minor units; RTP as ratios). */
export interface GameKpis {
  game: string;
  rooms: number;
  players: number;
  rounds: number;
  wagered: number;
  paid: number;
  ggr: number;
  realized_rtp: number | null;
  theoretical_rtp: number | null;
  sigma: number | null;
  basis: string | null;
  band: { low: number; high: number } | null;
  rtp_status: 'inside' | 'outside' | 'n/a';
}

/** `GET /api/admin/kpis/summary`, and each `kpis` event of the KPI stream. */
export interface KpiSummary {
  at: string;
  online_players: number;
  rooms: number;
  rounds_last_minute: number;
  rounds_per_second: number | null;
  games: GameKpis[];
  premium_revenue: { today: number; total: number; currency: string };
  signups_today: number;
  active_players_today: number;
  pending_purchases: number;
  outbox: { pending: number; oldest_pending_ms: number | null; last_publish_lag_ms: number | null };
}

/** `GET /api/admin/kpis/series`: one metric's buckets, oldest first. */
export interface KpiSeries {
  metric: string;
  range: string;
  game: string | null;
  bucket_seconds: number;
  points: { t: string; value: number }[];
}
