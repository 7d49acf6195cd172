import { AdminIdempotencyKey, AdminSetting, AuditLog, PlayerNote } from './admin.entity.ts';
import { AdminJob, AdminJobItem } from './admin-job.entity.ts';
import { AuthSession, RefreshToken } from './auth-session.entity.ts';
import { ContentRevision } from './content.entity.ts';
import { CrashChain, CrashRound } from './crash.entity.ts';
import { FairnessSeed } from './fairness-seed.entity.ts';
import { GameRound, GameSession, GameStat } from './game.entity.ts';
import { AdminImport, AdminImportChunk } from './import.entity.ts';
import { GachaPity, InventoryItem } from './inventory.entity.ts';
import { EventParticipation, LiveEvent, Mission, OutboxEvent, RewardGrant, Streak, UserMission } from './liveops.entity.ts';
import { IdempotencyKey, PaymentEvent, Product, Purchase, StockHold } from './shop.entity.ts';
import { LedgerEntry } from './ledger-entry.entity.ts';
import { Operation } from './operation.entity.ts';
import { InboxMessage, Notification } from './notification.entity.ts';
import { PlayerTag, Segment } from './segment.entity.ts';
import { PlayLimit, PlayLimitHistory, PlayLimitUsage, PlayProtection } from './play-limits.entity.ts';
import { User } from './user.entity.ts';
import { Wallet } from './wallet.entity.ts';
import { WalletAdjustment } from './wallet-adjustment.entity.ts';

/** Every entity the ORM knows (the migrations are generated from these). */
export const entities = [
  User,
  Wallet,
  LedgerEntry,
  AuthSession,
  RefreshToken,
  FairnessSeed,
  GameSession,
  GameRound,
  GameStat,
  CrashChain,
  CrashRound,
  InventoryItem,
  GachaPity,
  Product,
  Purchase,
  StockHold,
  PaymentEvent,
  IdempotencyKey,
  LiveEvent,
  EventParticipation,
  Mission,
  UserMission,
  Streak,
  RewardGrant,
  OutboxEvent,
  WalletAdjustment,
  AuditLog,
  AdminIdempotencyKey,
  AdminSetting,
  PlayerNote,
  AdminImport,
  AdminImportChunk,
  Operation,
  Notification,
  InboxMessage,
  ContentRevision,
  Segment,
  PlayerTag,
  AdminJob,
  AdminJobItem,
  PlayLimit,
  PlayLimitUsage,
  PlayProtection,
  PlayLimitHistory,
];
export {
  AdminIdempotencyKey,
  AdminJob,
  AdminJobItem,
  AdminSetting,
  AuditLog,
  AuthSession,
  CrashChain,
  CrashRound,
  FairnessSeed,
  GachaPity,
  GameRound,
  GameSession,
  GameStat,
  InboxMessage,
  InventoryItem,
  LedgerEntry,
  Operation,
  Notification,
  PlayerNote,
  PlayerTag,
  RefreshToken,
  Segment,
  User,
  Wallet,
  WalletAdjustment,
};
export type { IUser, Role } from './user.entity.ts';
