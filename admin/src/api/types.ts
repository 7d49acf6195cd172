// The admin API's wire shapes the console reads (snake_case, as the server sends them; money as integers).
import type { Permission } from '../../../domain/admin/rbac.ts';
import type { PLAYER_RECORDS } from '../../../server/http/dto/admin/player-records.dto.ts';
import type {
  pairedEntryBody,
  reconciliationBody,
  transactionPageBody,
  unledgeredBody,
} from '../../../server/http/dto/admin/transactions.dto.ts';
import type { anomalyReportBody, economyReportBody } from '../../../server/http/dto/admin/economy.dto.ts';
import type { kpiSeriesBody, kpiSummaryBody } from '../../../server/http/dto/admin/kpis.dto.ts';

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
/** A player's responsible-play limits, block and change history (read-only: docs/limits.md). */
export type { AdminLimitsBody as PlayerLimits } from '../../../server/http/dto/limits.dto.ts';
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
export type { AdminProductBody as ProductRow } from '../../../server/http/dto/admin/shop.dto.ts';
/** How a ledger entry and its cause agree (seed 001). */
export type { PairingStatus } from '../../../server/db/repositories/admin-transactions.repository.ts';
/** A ledger entry of `GET /api/admin/transactions` with its pair, pairing status and data lag. */
export type LedgerEntryRow = ReturnType<typeof pairedEntryBody>;
/** A source (round, purchase, reward) without its ledger entry. */
export type UnledgeredRow = ReturnType<typeof unledgeredBody>;
/** `GET /api/admin/transactions`: a page of entries and the searched sources' missing entries. */
export type TransactionPage = ReturnType<typeof transactionPageBody>;
/** `GET /api/admin/reconciliation`. */
export type Reconciliation = ReturnType<typeof reconciliationBody>;
/** `GET /api/admin/kpis/summary`, and each `kpis` event of the KPI stream. */
export type KpiSummary = ReturnType<typeof kpiSummaryBody>;
/** One game's figures in the KPI summary (money in minor units; RTP as ratios). */
export type GameKpis = KpiSummary['games'][number];
/** `GET /api/admin/kpis/series`: one metric's buckets, oldest first. */
export type KpiSeries = ReturnType<typeof kpiSeriesBody>;
/** A CSV import (`GET /api/admin/imports`): its counts, status and what applying it made (operations, a job). */
export type { ImportBody as ImportRow, ImportReportBody as ImportReport } from '../../../server/http/dto/admin/imports.dto.ts';

/** An operation (`GET /api/admin/operations/{id}`) and its preview (`POST …/preview`). */
export type { OperationBody as Operation, PreviewBody as OperationPreview } from '../../../server/http/dto/admin/operations.dto.ts';
export type { OperationKind } from '../../../domain/admin/operations.ts';

/** A notification of `GET /api/admin/notifications` with its targeted, delivered and read counts. */
export type { NotificationBody as Notification } from '../../../server/http/dto/admin/notifications.dto.ts';
/** An event or a mission of `GET /api/admin/events|missions` with its status; `version` goes back in If-Match. */
export type { ContentBody as ContentRow } from '../../../server/http/dto/admin/content.dto.ts';
/** A replaced definition of an event or a mission (`GET …/{id}/revisions`). */
export type { RevisionBody as ContentRevision } from '../../../server/http/dto/admin/content.dto.ts';
/** "Who qualifies now" (`GET …/{id}/qualifies`): count, sample and the window counted. */
export type { QualifiesBody as Qualifies } from '../../../server/http/dto/admin/content.dto.ts';
/** A saved segment, its preview (count, sample of 20, time taken) and a player's tags. */
export type {
  SegmentWire as Segment,
  SegmentPreviewWire as SegmentPreview,
  PlayerTagsWire as PlayerTags,
} from '../../../server/http/dto/admin/segments.dto.ts';
/** A background job (`GET /api/admin/jobs/{id}`) and one of its items. */
export type { JobBody as Job, JobItemBody as JobItem } from '../../../server/http/dto/admin/jobs.dto.ts';

/** One currency's sources and sinks per day and by reason (`GET /api/admin/economy`). */
export type EconomyReport = ReturnType<typeof economyReportBody>;
/** The anomaly lists (`GET /api/admin/economy/anomalies`). */
export type AnomalyReport = ReturnType<typeof anomalyReportBody>;
