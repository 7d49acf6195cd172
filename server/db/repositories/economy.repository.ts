import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '../../../domain/economy/currency.ts';

/** One (UTC day, reason) of a currency's ledger: credits and debits (both ≥ 0) and how many entries. */
export interface DayReasonRow {
  /** YYYY-MM-DD (UTC) */
  day: string;
  reason: string;
  credits: number;
  debits: number;
  entries: number;
}

/** A player's settled rounds of one game, algorithm version and currency in a window. */
export interface PlayerRoundsRow {
  userId: string;
  username: string;
  game: string;
  algorithm: string;
  currency: string;
  rounds: number;
  wagered: number;
  paid: number;
  betSquares: number;
}

/** A wallet's reward income from missions, events and the streak in a window. */
export interface RewardIncomeRow {
  userId: string;
  username: string;
  currency: string;
  income: number;
  grants: number;
  bySource: Record<string, number>;
}

/** A mission or event definition whose schedule overlaps a window (active or not: it may have paid before it stopped). */
export interface RewardDefinitionRow {
  kind: 'mission' | 'event';
  code: string;
  repeats: string;
  reward: Record<string, unknown>;
  startsAt: Date | null;
  endsAt: Date | null;
}

const n = (v: unknown) => Number(v ?? 0);
/** A list of this module's own constant names as SQL literals (never input: they are checked to be plain words). */
const literals = (names: readonly string[]) =>
  names
    .map((x) => {
      if (!/^[a-z_]+$/.test(x)) throw new Error(`not a plain name: ${x}`);
      return `'${x}'`;
    })
    .join(', ');
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** Reward sources a player earns by playing (an operator's grant through a bulk operation is not one). */
export const PLAYED_REWARD_SOURCES = ['mission', 'event', 'streak'] as const;

/**
 * The SQL behind the economy telemetry. Every ledger read is a `created_at` range, served by the BRIN index
 * `ledger_entries_created_brin` (the table is append-only, so its physical order follows `created_at`).
 */
export const economy = {
  /** Credits and debits per UTC day and reason of `currency` in [from, to). */
  async dayReasons(em: EntityManager, currency: Currency, from: Date, to: Date): Promise<DayReasonRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select to_char(day, 'YYYY-MM-DD') as day, reason, credits, debits, entries
         from (select (created_at at time zone 'UTC')::date as day, reason,
                      coalesce(sum(delta) filter (where delta > 0), 0) as credits,
                      coalesce(-sum(delta) filter (where delta < 0), 0) as debits,
                      count(*) as entries
                 from ledger_entries
                where created_at >= ? and created_at < ? and currency = ?
                group by 1, 2) d
        order by 1, 2`,
      [from, to, currency],
    );
    return rows.map((r) => ({
      day: r.day as string,
      reason: r.reason as string,
      credits: n(r.credits),
      debits: n(r.debits),
      entries: n(r.entries),
    }));
  },

  /** Σ delta of `currency` since `from` (what moved after a window, to walk the total held back from now). */
  async netSince(em: EntityManager, currency: Currency, from: Date): Promise<number> {
    const [r] = await em.execute<Record<string, unknown>[]>(
      `select coalesce(sum(delta), 0) as net from ledger_entries where created_at >= ? and currency = ?`,
      [from, currency],
    );
    return n(r.net);
  },

  /** What every wallet holds in `currency` now. */
  async held(em: EntityManager, currency: Currency): Promise<number> {
    const [r] = await em.execute<Record<string, unknown>[]>(`select coalesce(sum(balance), 0) as held from wallets where currency = ?`, [
      currency,
    ]);
    return n(r.held);
  },

  /** Per player, game, algorithm version and currency: settled rounds in [from, to), for players with at least `minRounds`. */
  async playerRounds(em: EntityManager, games: readonly string[], from: Date, to: Date, minRounds: number): Promise<PlayerRoundsRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select r.user_id, u.username, r.game, r.algorithm, r.currency, r.rounds, r.wagered, r.paid, r.bet_squares
         from (select user_id, game, coalesce(fairness ->> 'version', '') as algorithm, currency, count(*) as rounds,
                      sum(bet) as wagered, sum(payout) as paid, sum(bet::numeric * bet) as bet_squares
                 from game_rounds
                where created_at >= ? and created_at < ? and status = 'settled' and game in (${literals(games)})
                group by 1, 2, 3, 4 having count(*) >= ?) r
         join users u on u.id = r.user_id`,
      [from, to, minRounds],
    );
    return rows.map((r) => ({
      userId: r.user_id as string,
      username: r.username as string,
      game: r.game as string,
      algorithm: r.algorithm as string,
      currency: r.currency as string,
      rounds: n(r.rounds),
      wagered: n(r.wagered),
      paid: n(r.paid),
      betSquares: n(r.bet_squares),
    }));
  },

  /** Per wallet: what missions, events and the streak paid in [from, to). */
  async rewardIncome(em: EntityManager, from: Date, to: Date): Promise<RewardIncomeRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select r.user_id, u.username, r.currency, r.income, r.grants, r.by_source
         from (select user_id, currency, sum(income) as income, sum(grants) as grants, jsonb_object_agg(source, income) as by_source
                 from (select user_id, currency, ref_type as source, sum(delta) as income, count(*) as grants
                         from ledger_entries
                        where created_at >= ? and created_at < ? and reason = 'reward' and ref_type in (${literals(PLAYED_REWARD_SOURCES)})
                        group by 1, 2, 3) s
                group by 1, 2) r
         join users u on u.id = r.user_id`,
      [from, to],
    );
    return rows.map((r) => ({
      userId: r.user_id as string,
      username: r.username as string,
      currency: r.currency as string,
      income: n(r.income),
      grants: n(r.grants),
      bySource: Object.fromEntries(
        Object.entries((typeof r.by_source === 'string' ? JSON.parse(r.by_source) : r.by_source) as Record<string, unknown>).map(
          ([k, v]) => [k, n(v)],
        ),
      ),
    }));
  },

  /** Missions and events whose schedule overlaps [from, to). */
  async rewardDefinitions(em: EntityManager, from: Date, to: Date): Promise<RewardDefinitionRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select 'mission' as kind, code, period as repeats, reward, starts_at, ends_at from missions
        where (starts_at is null or starts_at < ?) and (ends_at is null or ends_at > ?)
       union all
       select 'event', code, type, reward, starts_at, ends_at from events
        where (starts_at is null or starts_at < ?) and (ends_at is null or ends_at > ?)`,
      [to, from, to, from],
    );
    return rows.map((r) => ({
      kind: r.kind as 'mission' | 'event',
      code: r.code as string,
      repeats: r.repeats as string,
      reward: (typeof r.reward === 'string' ? JSON.parse(r.reward) : r.reward) as Record<string, unknown>,
      startsAt: date(r.starts_at),
      endsAt: date(r.ends_at),
    }));
  },
};
