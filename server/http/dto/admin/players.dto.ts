import { z } from 'zod';
import { CURRENCIES } from '../../../../domain/economy/currency.ts';
import { USER_STATUSES } from '../../../db/entities/user.entity.ts';
import { PLAYER_SORTS, type PlayerGridRow } from '../../../db/repositories/admin-players.repository.ts';
import type { PlayerDetail } from '../../../services/admin/players.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

/** A date or date-time (ISO 8601) query value. */
const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v))
  .describe('ISO 8601 date or date-time');

export const PlayerIdParams = z.object({ id: z.uuid() });

/** `?cursor=&limit=` of a player's lists (no other key). */
export const PlayerListQuery = PageQuery.strict();

export const PlayersQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(64).optional().describe('username prefix (any case) or an exact player id'),
  status: z.enum(USER_STATUSES).optional(),
  level_min: z.coerce.number().int().min(0).optional(),
  level_max: z.coerce.number().int().min(0).optional(),
  created_from: Instant.optional(),
  created_to: Instant.optional().describe('exclusive'),
  sort: z.enum(PLAYER_SORTS).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
}).strict();

export const PlayerRowResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  status: z.enum(USER_STATUSES),
  level: z.number().int(),
  created_at: z.string(),
  last_seen_at: z.string(),
  gold: z.number().int(),
  gem: z.number().int(),
  wagered_7d: z.number().int().describe('GOLD wagered in game sessions of the last 7 days (a rollup, refreshed every minute)'),
});

export const PlayersResponse = pageResponse(PlayerRowResponse);

export const PlayerDetailResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  status: z.enum(USER_STATUSES),
  level: z.number().int(),
  xp: z.number().int(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
  last_seen_at: z.string(),
  wagered_7d: z.number().int(),
  balances: z.record(z.enum(CURRENCIES), z.number().int()),
  counts: z.object({
    ledger_entries: z.number().int(),
    game_sessions: z.number().int(),
    rounds: z.number().int(),
    purchases: z.number().int(),
    open_auth_sessions: z.number().int(),
  }),
});

/** A players grid row on the wire. */
export function playerRowBody(r: PlayerGridRow) {
  return {
    id: r.id,
    username: r.username,
    status: r.status as (typeof USER_STATUSES)[number],
    level: r.level,
    created_at: r.createdAt.toISOString(),
    last_seen_at: r.lastSeenAt.toISOString(),
    gold: r.gold,
    gem: r.gem,
    wagered_7d: r.wagered7d,
  };
}

/** A player's page header on the wire: profile, balances and record counts. */
export function playerDetailBody(d: PlayerDetail) {
  const p = d.profile;
  return {
    id: String(p.id),
    username: String(p.username),
    status: p.status as (typeof USER_STATUSES)[number],
    level: Number(p.level),
    xp: Number(p.xp),
    created_at: iso(p.created_at)!,
    last_login_at: iso(p.last_login_at),
    last_seen_at: iso(p.last_seen_at)!,
    wagered_7d: Number(p.wagered_7d),
    balances: d.balances,
    counts: {
      ledger_entries: Number(p.ledger_entries),
      game_sessions: Number(p.game_sessions),
      rounds: Number(p.rounds),
      purchases: Number(p.purchases),
      open_auth_sessions: Number(p.open_auth_sessions),
    },
  };
}

/** A timestamp column of a raw row as ISO 8601 (null stays null). */
export function iso(v: unknown): string | null {
  return v === null || v === undefined ? null : new Date(v as string).toISOString();
}

export type PlayerRowBody = ReturnType<typeof playerRowBody>;
export type PlayerDetailBody = ReturnType<typeof playerDetailBody>;
