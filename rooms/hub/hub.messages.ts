import { z } from 'zod';
import type { RewardBundle } from '../../domain/liveops/rewards.ts';
import { Balances, ErrorMessage, type PayloadsOf } from '../shared/common.messages.ts';

/** `welcome`, right after joining: who this connection is. */
export const WelcomeMessage = z.object({ user_id: z.string(), username: z.string() });
export type WelcomeMessage = z.infer<typeof WelcomeMessage>;

/** `pong`, the answer to `ping`: the server's time (epoch ms). */
export const PongMessage = z.object({ at: z.number() });
export type PongMessage = z.infer<typeof PongMessage>;

// The pushes below are published by the services (server/infra/hub.publisher.ts) and relayed as they are.

/** `profile_update`: new balances (and XP and level when they changed) after a purchase or a reward. */
export const ProfileUpdateMessage = z
  .object({
    balances: Balances,
    gold: z.number().int(),
    gem: z.number().int(),
    xp: z.number().int().optional(),
    level: z.number().int().optional(),
  })
  .loose();
export type ProfileUpdateMessage = z.infer<typeof ProfileUpdateMessage>;

/** `reward_granted`: a claim or a streak day paid (`applied` false when it had been paid before). */
export const RewardGrantedMessage = z
  .object({
    grant_key: z.string(),
    reward_items: z.custom<RewardBundle>(),
    new_balances: Balances,
    applied: z.boolean(),
    progress_version: z.number().int().optional(),
    xp: z.number().int().optional(),
    level: z.number().int().optional(),
  })
  .loose();
export type RewardGrantedMessage = z.infer<typeof RewardGrantedMessage>;

/** `event_progress`: a session end moved an event's or a mission's progress. */
export const EventProgressMessage = z
  .object({
    kind: z.enum(['event', 'mission']),
    id: z.string(),
    code: z.string(),
    period_key: z.string(),
    progress: z.number().int(),
    target: z.number().int(),
    progress_version: z.number().int(),
    status: z.string(),
    can_claim: z.boolean(),
  })
  .loose();
export type EventProgressMessage = z.infer<typeof EventProgressMessage>;

/** `stats_update`: a game session closed, with its totals. */
export const StatsUpdateMessage = z.object({
  game: z.string(),
  session_id: z.string(),
  rounds: z.number().int(),
  wins: z.number().int(),
  wagered: z.number().int(),
  won: z.number().int(),
  win_rate: z.number(),
});
export type StatsUpdateMessage = z.infer<typeof StatsUpdateMessage>;

/** `purchase_update`: a purchase's outcome (balances on success). */
export const PurchaseUpdateMessage = z
  .object({
    purchase_id: z.string(),
    status: z.enum(['succeeded', 'pending', 'failed', 'voided']),
    sku: z.string(),
    balances: Balances.optional(),
  })
  .loose();
export type PurchaseUpdateMessage = z.infer<typeof PurchaseUpdateMessage>;

/**
 * `notification`: anything else worth a toast, by `kind` (e.g. `streak`: `current`, `used_grace`, `reset`; `inbox`:
 * `notification_id`, `title`, `body`, `deep_link` of a new inbox message).
 */
export const NotificationMessage = z.object({ kind: z.string(), current: z.number().int().optional() }).loose();
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/** `catalog_update`: an operator changed the shop's products; the shop reads its catalog again. */
export const CatalogUpdateMessage = z.object({ sku: z.string(), version: z.number().int() }).loose();
export type CatalogUpdateMessage = z.infer<typeof CatalogUpdateMessage>;

/** Everything the hub sends. */
export const HubServerMessages = {
  welcome: WelcomeMessage,
  pong: PongMessage,
  profile_update: ProfileUpdateMessage,
  reward_granted: RewardGrantedMessage,
  event_progress: EventProgressMessage,
  stats_update: StatsUpdateMessage,
  purchase_update: PurchaseUpdateMessage,
  notification: NotificationMessage,
  catalog_update: CatalogUpdateMessage,
  error: ErrorMessage,
};
export type HubServerMessages = PayloadsOf<typeof HubServerMessages>;
