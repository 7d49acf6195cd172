import { z } from 'zod';
import { fromJson } from '../../../db/sql.ts';
import type { PlayerList } from '../../../db/repositories/admin-player-detail.repository.ts';
import { pageResponse } from './paging.dto.ts';
import { iso } from './players.dto.ts';

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v);
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Each list of a player's page: its wire shape and how a raw row becomes it. */
export const PLAYER_RECORDS = {
  ledger: {
    summary: "A player's ledger entries (reason, amount, balance after, what caused them), newest first",
    schema: z.object({
      id: z.number().int(),
      currency: z.string(),
      amount: z.number().int().describe('signed: a credit > 0, a debit < 0'),
      balance_after: z.number().int(),
      reason: z.string(),
      ref_type: z.string().nullable(),
      ref_id: z.string().nullable(),
      actor: z.string(),
      meta: z.record(z.string(), z.unknown()).nullable(),
      created_at: z.string(),
    }),
    body: (r: Row) => ({
      id: n(r.id),
      currency: String(r.currency),
      amount: n(r.delta),
      balance_after: n(r.balance_after),
      reason: String(r.reason),
      ref_type: s(r.ref_type),
      ref_id: s(r.ref_id),
      actor: String(r.actor),
      meta: r.meta === null ? null : fromJson<Record<string, unknown>>(r.meta),
      created_at: iso(r.created_at)!,
    }),
  },
  sessions: {
    summary: "A player's auth sessions (logins): when, from where, and whether they ended",
    schema: z.object({
      id: z.uuid(),
      created_at: z.string(),
      ip: z.string().nullable(),
      user_agent: z.string().nullable(),
      revoked_at: z.string().nullable(),
      revoked_reason: z.string().nullable(),
    }),
    body: (r: Row) => ({
      id: String(r.id),
      created_at: iso(r.created_at)!,
      ip: s(r.ip),
      user_agent: s(r.user_agent),
      revoked_at: iso(r.revoked_at),
      revoked_reason: s(r.revoked_reason),
    }),
  },
  rounds: {
    summary: "A player's game rounds, each with the link to its public fairness record",
    schema: z.object({
      id: z.uuid(),
      game: z.string(),
      currency: z.string(),
      bet: z.number().int(),
      payout: z.number().int(),
      multiplier: z.number().int().describe('hundredths'),
      status: z.string(),
      created_at: z.string(),
      settled_at: z.string().nullable(),
      fairness_url: z.string().describe("the round's public fairness record (GET /api/fairness/rounds/{id})"),
    }),
    body: (r: Row) => ({
      id: String(r.id),
      game: String(r.game),
      currency: String(r.currency),
      bet: n(r.bet),
      payout: n(r.payout),
      multiplier: n(r.multiplier),
      status: String(r.status),
      created_at: iso(r.created_at)!,
      settled_at: iso(r.settled_at),
      fairness_url: `/api/fairness/rounds/${String(r.id)}`,
    }),
  },
  purchases: {
    summary: "A player's shop purchases",
    schema: z.object({
      id: z.uuid(),
      sku: z.string(),
      quantity: z.number().int(),
      unit_price: z.number().int(),
      total_price: z.number().int(),
      currency: z.string(),
      status: z.string(),
      receipt_code: z.string().nullable(),
      created_at: z.string(),
      completed_at: z.string().nullable(),
    }),
    body: (r: Row) => ({
      id: String(r.id),
      sku: String(r.sku),
      quantity: n(r.quantity),
      unit_price: n(r.unit_price),
      total_price: n(r.total_price),
      currency: String(r.price_currency),
      status: String(r.status),
      receipt_code: s(r.receipt_code),
      created_at: iso(r.created_at)!,
      completed_at: iso(r.completed_at),
    }),
  },
  inventory: {
    summary: "A player's inventory items",
    schema: z.object({
      id: z.uuid(),
      item_id: z.string(),
      quantity: z.number().int(),
      source: z.string(),
      acquired_at: z.string(),
      expires_at: z.string().nullable(),
    }),
    body: (r: Row) => ({
      id: String(r.id),
      item_id: String(r.item_id),
      quantity: n(r.quantity),
      source: String(r.source),
      acquired_at: iso(r.acquired_at)!,
      expires_at: iso(r.expires_at),
    }),
  },
  rewards: {
    summary: 'Rewards paid to a player (events, missions, streaks, purchases)',
    schema: z.object({
      id: z.uuid(),
      grant_key: z.string(),
      source: z.string(),
      source_id: z.string().nullable(),
      bundle: z.record(z.string(), z.unknown()),
      created_at: z.string(),
    }),
    body: (r: Row) => ({
      id: String(r.id),
      grant_key: String(r.grant_key),
      source: String(r.source),
      source_id: s(r.source_id),
      bundle: fromJson<Record<string, unknown>>(r.bundle),
      created_at: iso(r.created_at)!,
    }),
  },
} satisfies Record<PlayerList, { summary: string; schema: z.ZodType; body: (r: Row) => unknown }>;

/** A page of one of a player's lists on the wire. */
export function recordsResponse(list: PlayerList) {
  return pageResponse(PLAYER_RECORDS[list].schema);
}
