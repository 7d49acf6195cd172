import type { EntityManager } from '@mikro-orm/postgresql';

/** Money and round counts of one game's settled rounds. */
export interface GameTotalsRow {
  game: string;
  rounds: number;
  /** rounds with a stake (the n of the RTP band) */
  staked: number;
  wagered: number;
  paid: number;
}

/** The figures of the KPI summary that come from one SQL each (times in UTC). */
export interface SummaryFigures {
  roundsLastMinute: number;
  premiumToday: number;
  premiumTotal: number;
  signupsToday: number;
  activeToday: number;
  pendingPurchases: number;
  outboxPending: number;
  outboxOldestPendingMs: number | null;
  outboxLastPublishLagMs: number | null;
}

/** Metrics a KPI series can chart. */
export const SERIES_METRICS = ['rounds', 'wagered', 'paid', 'ggr', 'premium_revenue', 'signups', 'active_players'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** Each metric as one SQL over its table: the bucketed column and the value per bucket. */
const SERIES_SQL: Record<SeriesMetric, { from: string; at: string; value: string }> = {
  rounds: { from: `game_rounds where status = 'settled'`, at: 'created_at', value: 'count(*)' },
  wagered: { from: `game_rounds where status = 'settled'`, at: 'created_at', value: 'sum(bet)' },
  paid: { from: `game_rounds where status = 'settled'`, at: 'created_at', value: 'sum(payout)' },
  ggr: { from: `game_rounds where status = 'settled'`, at: 'created_at', value: 'sum(bet - payout)' },
  premium_revenue: {
    from: `purchases where status = 'succeeded' and price_currency = 'USD'`,
    at: 'coalesce(completed_at, created_at)',
    value: 'sum(total_price)',
  },
  signups: { from: `users where role = 'player'`, at: 'created_at', value: 'count(*)' },
  active_players: { from: `game_rounds where true`, at: 'created_at', value: 'count(distinct user_id)' },
};

const n = (v: unknown) => Number(v ?? 0);

/** The SQL behind the admin KPIs: sums over rounds, purchases, users and the outbox (nothing that resets). */
export const adminKpis = {
  /** Per game: settled rounds, staked rounds, wagered and paid (all time). */
  async gameTotals(em: EntityManager): Promise<GameTotalsRow[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select game, count(*) as rounds, count(*) filter (where bet > 0) as staked, coalesce(sum(bet), 0) as wagered,
              coalesce(sum(payout), 0) as paid
         from game_rounds where status = 'settled' group by game order by game`,
    );
    return rows.map((r) => ({ game: r.game as string, rounds: n(r.rounds), staked: n(r.staked), wagered: n(r.wagered), paid: n(r.paid) }));
  },

  async summary(em: EntityManager, dayStart: Date): Promise<SummaryFigures> {
    const [r] = await em.execute<Record<string, unknown>[]>(
      `select
         (select count(*) from game_rounds where created_at >= now() - interval '60 seconds') as rounds_last_minute,
         (select coalesce(sum(total_price) filter (where coalesce(completed_at, created_at) >= ?), 0) from purchases
           where status = 'succeeded' and price_currency = 'USD') as premium_today,
         (select coalesce(sum(total_price), 0) from purchases where status = 'succeeded' and price_currency = 'USD') as premium_total,
         (select count(*) from users where role = 'player' and created_at >= ?) as signups_today,
         (select count(*) from (select user_id from game_rounds where created_at >= ?
                                union select id from users where role = 'player' and last_login_at >= ?) a) as active_today,
         (select count(*) from purchases where status = 'pending') as pending_purchases,
         (select count(*) from outbox where published_at is null and dead_at is null) as outbox_pending,
         (select extract(epoch from now() - min(created_at)) * 1000 from outbox where published_at is null and dead_at is null) as oldest_ms,
         (select extract(epoch from published_at - created_at) * 1000 from outbox where published_at is not null order by id desc limit 1) as last_lag_ms`,
      [dayStart, dayStart, dayStart, dayStart],
    );
    return {
      roundsLastMinute: n(r.rounds_last_minute),
      premiumToday: n(r.premium_today),
      premiumTotal: n(r.premium_total),
      signupsToday: n(r.signups_today),
      activeToday: n(r.active_today),
      pendingPurchases: n(r.pending_purchases),
      outboxPending: n(r.outbox_pending),
      outboxOldestPendingMs: r.oldest_ms === null ? null : Math.round(n(r.oldest_ms)),
      outboxLastPublishLagMs: r.last_lag_ms === null ? null : Math.round(n(r.last_lag_ms)),
    };
  },

  /** `metric` per bucket of `bucketSeconds` from `since` to now, empty buckets as 0 (oldest first). */
  async series(
    em: EntityManager,
    opts: { metric: SeriesMetric; since: Date; bucketSeconds: number; game?: string },
  ): Promise<Array<{ t: Date; value: number }>> {
    const m = SERIES_SQL[opts.metric];
    const byGame = opts.game && m.from.startsWith('game_rounds') ? ' and game = ?' : '';
    const bucket = (col: string) => `to_timestamp(floor(extract(epoch from ${col}) / ${opts.bucketSeconds}) * ${opts.bucketSeconds})`;
    const rows = await em.execute<Record<string, unknown>[]>(
      `with b as (select ${bucket('?::timestamptz')} as start),
            v as (select ${bucket(m.at)} as t, ${m.value} as value from ${m.from} and ${m.at} >= (select start from b)${byGame} group by 1)
       select s.t, coalesce(v.value, 0) as value
         from generate_series((select start from b), now(), make_interval(secs => ${opts.bucketSeconds})) as s(t)
         left join v on v.t = s.t order by s.t`,
      [opts.since, ...(byGame ? [opts.game] : [])],
    );
    return rows.map((r) => ({ t: new Date(r.t as string), value: n(r.value) }));
  },
};
