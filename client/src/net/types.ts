// Shapes the client reads. Room messages come from the rooms' own schemas (rooms/*/*.messages.ts, docs/protocol.md),
// as types only: nothing of the server reaches the bundle. Below them, the player API's JSON (README "HTTP API";
// /api/openapi.json), only the fields the client reads.

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
} from '../../../rooms/crash/crash.messages.ts';
export type { SeatMessage as DuelSeat, HouseDraw as HouseInfo, BalancesMessage as DuelBalances } from '../../../rooms/rps/rps.messages.ts';
export type { PullResultMessage as PullResult, LegendaryMessage as Legendary } from '../../../rooms/gacha/gacha.messages.ts';

/** The `banner` message; the gacha scene also builds one from the published banner table before it joins (no pity yet). */
export type BannerInfo = Omit<BannerMessage, 'pity'> & Partial<Pick<BannerMessage, 'pity'>>;
/** The `result` message; the rps scene also rebuilds one from the room state after a reload (no duel id then). */
export type DuelResult = Omit<DuelResultMessage, 'duel_id'> & Partial<Pick<DuelResultMessage, 'duel_id'>>;

export interface User {
  id: string;
  username: string;
  role: string;
  level: number;
  xp: number;
}
export interface AuthResponse {
  user: User;
  access_token: string;
  refresh_token: string;
}
export interface ApiErrorBody {
  error: string;
  message: string;
  request_id?: string;
  retry_after?: number;
  issues?: Array<{ path?: string; message: string }>;
  [k: string]: unknown;
}

export interface RewardItems {
  gold?: number;
  gem?: number;
  xp?: number;
  items?: Array<{ item_id: string; quantity: number }>;
}
export interface Condition {
  metric: string;
  game?: string;
  target: number;
}

export interface LiveEvent {
  id: string;
  code: string;
  name: string;
  description: string;
  type: string;
  condition: Condition;
  reward: RewardItems;
  starts_at: string | null;
  ends_at: string | null;
  joined: boolean;
  progress: number;
  target: number;
  progress_version: number;
  status: string | null;
}
export interface Mission {
  id: string;
  code: string;
  name: string;
  period: string;
  period_key: string;
  condition: Condition;
  reward: RewardItems;
  progress: number;
  target: number;
  progress_version: number;
  status: string;
}
export interface Streak {
  current: number;
  best: number;
  graceTokens: number;
  today: string;
  played_today: boolean;
  claimable: boolean;
  lastClaimedDay: string | null;
  reward: RewardItems;
}
export interface GameStat {
  game: string;
  sessions: number;
  rounds: number;
  wagered: number;
  won: number;
  biggest_win: number;
  biggest_multiplier: number;
}
export interface SessionRow {
  id: string;
  game: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  rounds: number;
  wagered: number;
  won: number;
  wins: number;
  biggest_win: number;
}
export interface Profile extends User {
  balances: Balances;
  level_progress: { xp_in_level: number; xp_per_level: number };
  stats: GameStat[];
  streak: Streak;
}

export interface Product {
  sku: string;
  name: string;
  description: string;
  kind: string;
  price: number;
  currency: Currency | 'USD';
  discount_pct: number;
  final_price: number;
  grants: { items: Array<{ item_id: string; quantity: number }>; currencies: Partial<Balances> };
  bonus: Partial<Balances> | null;
  one_time: boolean;
  owned: boolean;
  limited: { total: number; remaining: number } | null;
  per_user_cap: number | null;
  cap_left: number | null;
  rank: number;
  can_buy: boolean;
  reason: string | null;
}
export interface Dashboard {
  profile: Profile;
  balances: Balances;
  events: LiveEvent[];
  missions: Mission[];
  pending_rewards: number;
  recent_sessions: SessionRow[];
  streak: Streak;
  shop_highlights: Product[];
}
export interface ClaimResult {
  reward_items: RewardItems;
  progress_version: number;
  new_balances: Balances;
  applied: boolean;
}
export interface PurchaseResult {
  purchase_id: string;
  status: string;
  sku: string;
  quantity?: number;
  receipt_code?: string;
  balances?: Balances;
  [k: string]: unknown;
}
export interface InventoryItem {
  item_id: string;
  quantity: number;
  expires_at: string | null;
  [k: string]: unknown;
}
export interface LedgerEntry {
  id: number;
  currency: Currency;
  delta: number;
  balance_after: number;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  created_at: string;
}
export interface Seeds {
  server_seed_hash: string;
  client_seed: string;
  next_nonce: number;
}
