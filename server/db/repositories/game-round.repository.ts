import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '../../../domain/economy/currency.ts';
import type { Game } from '../../../domain/games/game.ts';
import { GameRound, type IGameRound } from '../entities/game.entity.ts';
import { insertRows } from '../entity-sql.ts';
import { fromJson, jsonRecordset, type WritePart } from '../sql.ts';

/** A settled instant round (slot spin, free spin, gacha pull) as the group commit writes it. */
export type SettledRoundRow = Pick<
  IGameRound,
  'id' | 'game' | 'userId' | 'sessionId' | 'currency' | 'bet' | 'payout' | 'multiplier' | 'outcome' | 'fairness' | 'seedId'
>;

/**
 * The INSERT of a batch's settled rounds, to run with `executeTogether`. Raw and set-based because it is the
 * group-commit path (the bench settles ~1,880 slot rounds/s this way, 1.27x pgbench TPC-B).
 */
export function settledRoundsInsert(em: EntityManager, rows: SettledRoundRow[], owner: string, now: Date): WritePart {
  return insertRows(em, GameRound, rows, {
    values: {
      status: { sql: `'settled'` },
      owner: { sql: '?', params: [owner] },
      createdAt: { sql: '?', params: [now] },
      settledAt: { sql: '?', params: [now] },
    },
  });
}

/** Records a stake's round as `open` (crash bet, RPS duel), inside the caller's transaction. */
export async function insertOpenRound(
  em: EntityManager,
  r: {
    id: string;
    game: Game;
    userId: string;
    sessionId: string;
    groupId: string;
    currency: Currency;
    bet: number;
    outcome: Record<string, unknown>;
    fairness: Record<string, unknown>;
    owner: string;
    createdAt: Date;
  },
): Promise<void> {
  await em.insert(GameRound, { ...r, payout: 0, multiplier: 0, status: 'open' });
}

/** Settles an open round (once: the status guard makes a second call match nothing); false when it was not open. */
export async function settleOpenRound(em: EntityManager, s: OpenRoundSettlement & { at: Date }): Promise<boolean> {
  const claimed = await em.execute<unknown[]>(
    `update game_rounds set status = 'settled', payout = ?, multiplier = ?, outcome = ?, fairness = fairness || ?::jsonb, seed_id = coalesce(?, seed_id), settled_at = ?
      where id = ? and status = 'open' returning id`,
    [s.payout, s.multiplier, JSON.stringify(s.outcome), JSON.stringify(s.fairness), s.seedId, s.at, s.id],
  );
  return claimed.length > 0;
}

/** A stake's round as the batched escrow writes it, `open` until settled or refunded (crash bet, RPS duel). */
export type OpenRoundRow = Pick<
  IGameRound,
  'id' | 'game' | 'userId' | 'sessionId' | 'groupId' | 'currency' | 'bet' | 'outcome' | 'fairness'
>;

/** The INSERT of many stakes' open rounds, to run with `executeTogether` (the batched escrow path). */
export function openRoundsInsert(em: EntityManager, rows: OpenRoundRow[], owner: string, now: Date): WritePart {
  return insertRows(em, GameRound, rows, {
    values: {
      payout: { sql: '0' },
      multiplier: { sql: '0' },
      status: { sql: `'open'` },
      owner: { sql: '?', params: [owner] },
      createdAt: { sql: '?', params: [now] },
    },
  });
}

/** One settlement of `settleOpenRounds`. */
export interface OpenRoundSettlement {
  id: string;
  payout: number;
  multiplier: number;
  outcome: Record<string, unknown>;
  fairness: Record<string, unknown>;
  seedId: string | null;
}

/**
 * Settles many open rounds in one UPDATE (each once: the status guard skips rounds no longer open). Returns the ids
 * it settled. The ids must be distinct.
 */
export async function settleOpenRounds(em: EntityManager, list: OpenRoundSettlement[], at: Date): Promise<Set<string>> {
  if (list.length === 0) return new Set();
  const rows = list.map((s) => ({
    id: s.id,
    payout: s.payout,
    multiplier: s.multiplier,
    outcome: s.outcome,
    fairness: s.fairness,
    seed_id: s.seedId,
  }));
  const claimed = await em.execute<Array<{ id: string }>>(
    `update game_rounds r set status = 'settled', payout = v.payout, multiplier = v.multiplier, outcome = v.outcome,
            fairness = r.fairness || v.fairness, seed_id = coalesce(v.seed_id, r.seed_id), settled_at = ?
       from ${jsonRecordset('id uuid, payout bigint, multiplier int, outcome jsonb, fairness jsonb, seed_id uuid', rows.length)}
      where r.id = v.id and r.status = 'open' returning r.id`,
    [at, JSON.stringify(rows)],
  );
  return new Set(claimed.map((r) => String(r.id)));
}

/** Marks many open rounds refunded in one UPDATE (each once); returns the ids it refunded. */
export async function refundOpenRounds(em: EntityManager, ids: string[], at: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const refunded = await em.execute<Array<{ id: string }>>(
    `update game_rounds set status = 'refunded', settled_at = ? where id = any(?::uuid[]) and status = 'open' returning id`,
    [at, `{${ids.join(',')}}`],
  );
  return new Set(refunded.map((r) => String(r.id)));
}

/** Marks an open round refunded (once); false when it was not open. */
export async function refundOpenRound(em: EntityManager, roundId: string, at: Date): Promise<boolean> {
  const n = await em.nativeUpdate(GameRound, { id: roundId, status: 'open' }, { status: 'refunded', settledAt: at });
  return n > 0;
}

/** The open rounds of some owners (processes), for recovery. */
export async function openRoundsOf(
  em: EntityManager,
  owners: string[],
): Promise<
  Array<{ id: string; userId: string; currency: Currency; bet: number; sessionId: string | null; outcome: Record<string, unknown> }>
> {
  const rows = await em.execute<
    { id: string; user_id: string; currency: Currency; bet: string; session_id: string | null; outcome: unknown }[]
  >(`select id, user_id, currency, bet, session_id, outcome from game_rounds where status = 'open' and owner in (?)`, [owners]);
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    currency: r.currency,
    bet: Number(r.bet),
    sessionId: r.session_id,
    outcome: fromJson<Record<string, unknown>>(r.outcome) ?? {},
  }));
}

/** Every owner (process) with an open round, an open session or an unfinished crash round. */
export async function ownersOfUnfinishedWork(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ owner: string }[]>(
    `select owner from game_rounds where status = 'open' union select owner from game_sessions where status = 'open'
     union select owner from crash_rounds where status in ('betting', 'running')`,
  );
  return rows.map((r) => r.owner);
}

/** A round with what its verification needs: its seed (if any) and, for crash, its chain and crash round. */
export async function findRoundRecord(em: EntityManager, roundId: string): Promise<Record<string, any> | null> {
  const [r] = await em.execute<Array<Record<string, unknown>>>(
    `select r.id, r.game, r.user_id, r.currency, r.bet, r.payout, r.outcome, r.fairness, r.status, r.created_at, r.settled_at,
            s.server_seed, s.revealed_at, c.status as crash_status, ch.terminating_hash, ch.length as chain_length
       from game_rounds r
       left join fairness_seeds s on s.id = r.seed_id
       left join crash_rounds c on r.game = 'crash' and c.id::text = r.group_id
       left join crash_chains ch on ch.id = c.chain_id
      where r.id = ?`,
    [roundId],
  );
  if (!r) return null;
  return { ...r, outcome: fromJson(r.outcome), fairness: fromJson(r.fairness) };
}

/** Settled rounds of the last hour: how many, how many paid at least `bigWinHundredths` of their bet, the largest payout. */
export async function lastHourRounds(
  em: EntityManager,
  bigWinHundredths: number,
): Promise<{ rounds: number; bigWins: number; biggestPayout: number }> {
  const [r] = await em.execute<{ rounds: number; big: number; biggest: string | null }[]>(
    `select count(*)::int as rounds, count(*) filter (where bet > 0 and multiplier >= ?)::int as big, max(payout) as biggest
       from game_rounds where created_at > now() - interval '1 hour' and status = 'settled'`,
    [bigWinHundredths],
  );
  return { rounds: r.rounds, bigWins: r.big, biggestPayout: Number(r.biggest ?? 0) };
}
