import { LRUCache } from 'lru-cache';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '../../../domain/economy/currency.ts';
import {
  categoryOf,
  ECONOMY_CATEGORIES,
  maxRewardIncome,
  resultDeviation,
  type EconomyCategory,
  type RewardSource,
} from '../../../domain/economy/telemetry.ts';
import type { Game } from '../../../domain/games/game.ts';
import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { economy, type DayReasonRow, type PlayerRoundsRow } from '../../db/repositories/economy.repository.ts';
import { publishedRtp } from './theoretical-rtp.ts';

const DAY_MS = 86_400_000;
/** A day is cached once it ended this long ago: a transaction that began before midnight may commit just after. */
const CLOSE_GRACE_MS = 5 * 60_000;

/** A UTC day's start from its YYYY-MM-DD key. */
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayKeyOf = (d: Date) => d.toISOString().slice(0, 10);

type ByCategory = Record<EconomyCategory, number>;
const zeroes = (): ByCategory => Object.fromEntries(ECONOMY_CATEGORIES.map((c) => [c, 0])) as ByCategory;

/** One UTC day of a currency: what came in and went out by category, the net, and what all wallets held at its end. */
export interface EconomyDay {
  day: string;
  sources: ByCategory;
  sinks: ByCategory;
  net: number;
  heldAtEnd: number;
}

/** One ledger reason over the range. */
export interface EconomyReason {
  reason: string;
  category: EconomyCategory;
  sources: number;
  sinks: number;
  net: number;
  entries: number;
}

export interface EconomyReport {
  currency: Currency;
  /** first day, last day (UTC, inclusive) */
  from: string;
  to: string;
  days: EconomyDay[];
  reasons: EconomyReason[];
  totals: { sources: number; sinks: number; net: number };
  /** Σ wallet balances now */
  heldNow: number;
}

/** A player whose net result is improbable for the published law of the game's algorithm version. */
export interface ResultAnomaly extends Omit<PlayerRoundsRow, 'betSquares'> {
  kind: 'improbable_result';
  net: number;
  expectedNet: number;
  sd: number;
  z: number;
  publishedRtp: number;
  sigma: number;
}

/** A wallet paid more by missions, events and the streak than all of them together allow in the window. */
export interface RewardAnomaly {
  kind: 'reward_income';
  userId: string;
  username: string;
  currency: string;
  income: number;
  maxAllowed: number;
  grants: number;
  bySource: Record<string, number>;
}

export interface AnomalyReport {
  from: string;
  to: string;
  minRounds: number;
  zThreshold: number;
  results: ResultAnomaly[];
  rewards: RewardAnomaly[];
}

/** Games with a published monetary law (gacha pays items: no RTP to test against). */
const TESTED_GAMES: readonly Game[] = ['slot', 'crash', 'rps'];

/**
 * Sources and sinks of each currency per UTC day from the ledger, and the anomaly lists. A closed day's rows never
 * change (the ledger is append-only), so they are kept per (currency, day); only today's are read each time.
 */
export class EconomyService {
  private readonly closedDays = new LRUCache<string, DayReasonRow[]>({ max: 2000 });

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** The inclusive day range [from, to] as given, or the last 7 days (today included). */
  range(from?: string, to?: string): { from: string; to: string } {
    const today = dayKeyOf(this.clock.now());
    const last = to ?? today;
    return { from: from ?? dayKeyOf(new Date(dayStart(last).getTime() - 6 * DAY_MS)), to: last };
  }

  /** The report of [from, to], read in one snapshot (the day rows, the later net and the balances agree). */
  report(currency: Currency, from: string, to: string): Promise<EconomyReport> {
    return this.orm.em
      .fork()
      .transactional((tx) => this.build(tx as EntityManager, currency, from, to), { isolationLevel: 'repeatable read', readOnly: true });
  }

  private async build(em: EntityManager, currency: Currency, from: string, to: string): Promise<EconomyReport> {
    const end = new Date(dayStart(to).getTime() + DAY_MS);
    const rows = await this.dayRows(em, currency, from, to);
    const dayKeys: string[] = [];
    for (let t = dayStart(from).getTime(); t < end.getTime(); t += DAY_MS) dayKeys.push(dayKeyOf(new Date(t)));

    const days = new Map<string, EconomyDay>(
      dayKeys.map((day) => [day, { day, sources: zeroes(), sinks: zeroes(), net: 0, heldAtEnd: 0 }]),
    );
    const reasons = new Map<string, EconomyReason>();
    for (const r of rows) {
      const category = categoryOf(r.reason);
      const d = days.get(r.day)!;
      d.sources[category] += r.credits;
      d.sinks[category] += r.debits;
      d.net += r.credits - r.debits;
      const x = reasons.get(r.reason) ?? { reason: r.reason, category, sources: 0, sinks: 0, net: 0, entries: 0 };
      x.sources += r.credits;
      x.sinks += r.debits;
      x.net += r.credits - r.debits;
      x.entries += r.entries;
      reasons.set(r.reason, x);
    }

    // what was held at the end of each day: now, less everything that moved after it
    const heldNow = await economy.held(em, currency);
    let held = heldNow - (end.getTime() <= this.clock.now().getTime() ? await economy.netSince(em, currency, end) : 0);
    for (const day of [...dayKeys].reverse()) {
      const d = days.get(day)!;
      d.heldAtEnd = held;
      held -= d.net;
    }

    const list = [...reasons.values()].sort(
      (a, b) => ECONOMY_CATEGORIES.indexOf(a.category) - ECONOMY_CATEGORIES.indexOf(b.category) || a.reason.localeCompare(b.reason),
    );
    const totals = list.reduce((t, r) => ({ sources: t.sources + r.sources, sinks: t.sinks + r.sinks, net: t.net + r.net }), {
      sources: 0,
      sinks: 0,
      net: 0,
    });
    return { currency, from, to, days: [...days.values()], reasons: list, totals, heldNow };
  }

  /** The day rows of [from, to]: closed days from the cache when they are there, the rest in one range read. */
  private async dayRows(em: EntityManager, currency: Currency, from: string, to: string): Promise<DayReasonRow[]> {
    const closedBefore = this.clock.now().getTime() - CLOSE_GRACE_MS;
    const out: DayReasonRow[] = [];
    const missing: string[] = [];
    for (let t = dayStart(from).getTime(); t <= dayStart(to).getTime(); t += DAY_MS) {
      const day = dayKeyOf(new Date(t));
      const hit = t + DAY_MS <= closedBefore ? this.closedDays.get(`${currency}:${day}`) : undefined;
      if (hit) out.push(...hit);
      else missing.push(day);
    }
    if (missing.length === 0) return out;
    const first = missing[0];
    const last = missing[missing.length - 1];
    const read = await economy.dayReasons(em, currency, dayStart(first), new Date(dayStart(last).getTime() + DAY_MS));
    for (const day of missing) {
      const rows = read.filter((r) => r.day === day);
      if (dayStart(day).getTime() + DAY_MS <= closedBefore) this.closedDays.set(`${currency}:${day}`, rows);
      out.push(...rows);
    }
    return out;
  }

  /** Players with an improbable net result over at least `minRounds` rounds, and wallets paid more than the rewards allow. */
  async anomalies(opts: { from: string; to: string; minRounds: number; z: number }): Promise<AnomalyReport> {
    const em = this.orm.em.fork() as EntityManager;
    const since = dayStart(opts.from);
    const until = new Date(dayStart(opts.to).getTime() + DAY_MS);

    const results: ResultAnomaly[] = [];
    for (const r of await economy.playerRounds(em, TESTED_GAMES, since, until, opts.minRounds)) {
      const law = publishedRtp(r.game as Game, r.algorithm);
      const dev = law && resultDeviation(r, law);
      if (!law || !dev || Math.abs(dev.z) <= opts.z) continue;
      results.push({ kind: 'improbable_result', ...r, ...dev, publishedRtp: law.rtp, sigma: law.sigma });
    }
    results.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));

    const sources: RewardSource[] = (await economy.rewardDefinitions(em, since, until)).map((d) => ({
      kind: d.kind,
      code: d.code,
      repeats: d.repeats === 'daily' ? 'daily' : d.repeats === 'weekly' ? 'weekly' : 'once',
      reward: d.reward as RewardBundle,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
    }));
    const limit = { GOLD: maxRewardIncome(sources, 'GOLD', since, until), GEM: maxRewardIncome(sources, 'GEM', since, until) };
    const rewards: RewardAnomaly[] = (await economy.rewardIncome(em, since, until))
      .filter((r) => r.income > limit[r.currency as Currency])
      .map((r): RewardAnomaly => ({ kind: 'reward_income', ...r, maxAllowed: limit[r.currency as Currency] }))
      .sort((a, b) => b.income / (b.maxAllowed || 1) - a.income / (a.maxAllowed || 1));

    return { from: opts.from, to: opts.to, minRounds: opts.minRounds, zThreshold: opts.z, results, rewards };
  }
}
