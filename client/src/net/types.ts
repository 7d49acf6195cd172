// Shapes the client reads. Room messages come from the rooms' own schemas (rooms/*/*.messages.ts, docs/protocol.md),
// as types only: nothing of the server reaches the bundle. Below them, the player API's JSON (docs/http-api.md,
// /api/openapi.json), typed from the server's DTO functions; only the error body and the flat purchase answer are
// declared here.

import type { BannerMessage } from '../../../rooms/gacha/gacha.messages.ts';
import type { DuelResultMessage } from '../../../rooms/rps/rps.messages.ts';
import type { Balances, Currency } from '../../../rooms/shared/common.messages.ts';

export type { Balances, Currency, ErrorMessage as RoomErrorMessage } from '../../../rooms/shared/common.messages.ts';
export type { HubServerMessages } from '../../../rooms/hub/hub.messages.ts';
export type {
  MachineMessage as SlotMachineInfo,
  SpinResultMessage as SpinResult,
  BigWinMessage as BigWin,
} from '../../../rooms/slot/slot.messages.ts';
export type {
  BetPlacedMessage as BetPlaced,
  CashedOutMessage as CashedOut,
  CrashedMessage as Crashed,
  BetRefundedMessage as Refunded,
  YourBetMessage as YourBet,
} from '../../../rooms/crash/crash.messages.ts';
export type { SeatMessage as DuelSeat, HouseDraw as HouseInfo, BalancesMessage as DuelBalances } from '../../../rooms/rps/rps.messages.ts';
export type { PullResultMessage as PullResult, LegendaryMessage as Legendary } from '../../../rooms/gacha/gacha.messages.ts';

/** The `banner` message; the gacha scene also builds one from the published banner table before it joins (no pity yet). */
export type BannerInfo = Omit<BannerMessage, 'pity'> & Partial<Pick<BannerMessage, 'pity'>>;
/** The `result` message; the rps scene also rebuilds one from the room state after a reload (no duel id then). */
export type DuelResult = Omit<DuelResultMessage, 'duel_id'> & Partial<Pick<DuelResultMessage, 'duel_id'>>;

export interface ApiErrorBody {
  error: string;
  message: string;
  request_id?: string;
  retry_after?: number;
  issues?: Array<{ path?: string; message: string }>;
  [k: string]: unknown;
}

export type { RewardBundle as RewardItems } from '../../../domain/liveops/rewards.ts';
export type { Condition } from '../../../domain/liveops/conditions.ts';

// The player API's answers, typed from the server's DTO functions (server/http/dto/*.dto.ts).
export type { UserBody as User, AuthBody as AuthResponse } from '../../../server/http/dto/auth.dto.ts';
export type {
  EventBody as LiveEvent,
  MissionBody as Mission,
  StreakBody as Streak,
  GameStatBody as GameStat,
  SessionBody as SessionRow,
  ProfileBody as Profile,
  DashboardBody as Dashboard,
  ClaimBody as ClaimResult,
} from '../../../server/http/dto/liveops.dto.ts';
export type { ProductBody as Product, InventoryItemBody as InventoryItem } from '../../../server/http/dto/shop.dto.ts';

/**
 * The answer to `POST /shop/purchase` (and the hub's `purchase_update`) as the shop reads it: one flat shape for the
 * server's variants (`purchaseUpdateMessage` in server/services/shop/shop.results.ts), whose fields differ by `status`.
 */
export interface PurchaseResult {
  purchase_id: string;
  status: string;
  sku: string;
  quantity?: number;
  receipt_code?: string;
  amount?: number;
  balances?: Balances;
}
export type { LedgerEntryBody as LedgerEntry, LedgerPageBody as LedgerPage } from '../../../server/http/dto/wallet.dto.ts';
export type { SeedBody as Seeds } from '../../../server/http/dto/fairness.dto.ts';
export type { InboxMessageBody as InboxMessage } from '../../../server/http/dto/inbox.dto.ts';

/** `GET /api/limits` (docs/limits.md). */
export type { LimitsBody as PlayLimits } from '../../../server/http/dto/limits.dto.ts';
export type { RealityCheckMessage } from '../../../rooms/shared/common.messages.ts';
