import { z } from 'zod';
import { CURRENCIES } from '../../../../domain/economy/currency.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import type { AnomalyReport, EconomyReport } from '../../../services/admin/economy.service.ts';

/** The longest range the economy pages read at once (days). */
export const ECONOMY_MAX_DAYS = 92;
/** At most this many entries of each anomaly list (the strongest first). */
export const ANOMALY_LIST_MAX = 200;

const Day = z.iso.date().describe('a UTC day, YYYY-MM-DD');

const RangeQuery = {
  from: Day.optional().describe('first day (UTC, inclusive); default six days before `to`'),
  to: Day.optional().describe('last day (UTC, inclusive); default today'),
};

export const EconomyQuery = z.object({ currency: z.enum(CURRENCIES).default('GOLD'), ...RangeQuery });

export const AnomalyQuery = z.object({
  ...RangeQuery,
  min_rounds: z.coerce.number().int().min(10).max(1_000_000).default(100).describe('rounds a player needs in the range to be tested'),
  z: z.coerce.number().min(2).max(50).default(5).describe('|z| above which a net result is flagged'),
});

/** Refuses a range that ends before it starts or spans more than ECONOMY_MAX_DAYS days. */
export function checkRange(r: { from: string; to: string }): { from: string; to: string } {
  const days = (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 + 1;
  if (days < 1 || days > ECONOMY_MAX_DAYS) {
    throw new DomainError('request/invalid', `The range must run forward and span at most ${ECONOMY_MAX_DAYS} days.`, {
      from: r.from,
      to: r.to,
    });
  }
  return r;
}

export function economyReportBody(r: EconomyReport) {
  return {
    currency: r.currency,
    from: r.from,
    to: r.to,
    days: r.days.map((d) => ({ day: d.day, sources: d.sources, sinks: d.sinks, net: d.net, held_at_end: d.heldAtEnd })),
    reasons: r.reasons.map((x) => ({
      reason: x.reason,
      category: x.category,
      sources: x.sources,
      sinks: x.sinks,
      net: x.net,
      entries: x.entries,
    })),
    totals: r.totals,
    held_now: r.heldNow,
  };
}

const ratio = (x: number) => Math.round(x * 1e4) / 1e4;

export function anomalyReportBody(r: AnomalyReport) {
  return {
    from: r.from,
    to: r.to,
    min_rounds: r.minRounds,
    z_threshold: r.zThreshold,
    results: r.results.slice(0, ANOMALY_LIST_MAX).map((a) => ({
      user_id: a.userId,
      username: a.username,
      game: a.game,
      algorithm: a.algorithm,
      currency: a.currency,
      rounds: a.rounds,
      wagered: a.wagered,
      paid: a.paid,
      net: a.net,
      expected_net: Math.round(a.expectedNet),
      sd: Math.round(a.sd),
      z: ratio(a.z),
      published_rtp: ratio(a.publishedRtp),
      sigma: ratio(a.sigma),
    })),
    rewards: r.rewards.slice(0, ANOMALY_LIST_MAX).map((a) => ({
      user_id: a.userId,
      username: a.username,
      currency: a.currency,
      income: a.income,
      max_allowed: a.maxAllowed,
      grants: a.grants,
      by_source: a.bySource,
    })),
  };
}
