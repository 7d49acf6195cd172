// The daily play streak: ticks at most once per UTC day of play, with one grace token per ISO week.
import { DomainError } from '../shared/errors.ts';
import { dayKey, daysBetween, weekKey } from './periods.ts';
import type { RewardBundle } from './rewards.ts';

/**
 * A player's streak. `current`/`best` are days; day fields are day keys ('D2026-11-22'); `graceWeek` is the
 * ISO week key the `graceTokens` count belongs to (a different week means 1 token again).
 */
export type StreakState = {
  current: number;
  best: number;
  lastPlayedDay: string | null;
  graceTokens: number;
  graceWeek: string | null;
  lastClaimedDay: string | null;
};

/** The streak of a player who never played. */
export const INITIAL_STREAK: StreakState = Object.freeze({
  current: 0,
  best: 0,
  lastPlayedDay: null,
  graceTokens: 1,
  graceWeek: null,
  lastClaimedDay: null,
});

/** Grace tokens granted per ISO week; tokens do not accumulate across weeks. */
export const GRACE_TOKENS_PER_WEEK = 1;

/** The result of a tick: `ticked` when the streak counted today, `usedGrace` when a token bridged one missed day. */
export type StreakTick = { state: StreakState; ticked: boolean; usedGrace: boolean; reset: boolean };

/**
 * Records play at `at` (UTC). Same day (or an earlier day): no change. Next day: +1. Exactly one missed day
 * with a token: +1 and the token is spent. Otherwise current = 1 (`reset` when a streak was running).
 * The token refill for the week of `at` happens before the gap check.
 */
export function tickStreak(state: StreakState, at: Date): StreakTick {
  const today = dayKey(at);
  const gap = state.lastPlayedDay === null ? null : daysBetween(state.lastPlayedDay, today);
  if (gap !== null && gap <= 0) return { state, ticked: false, usedGrace: false, reset: false };

  const week = weekKey(at);
  let graceTokens = state.graceWeek === week ? state.graceTokens : GRACE_TOKENS_PER_WEEK;
  let current = 1;
  let usedGrace = false;
  if (gap === 1) {
    current = state.current + 1;
  } else if (gap === 2 && graceTokens > 0) {
    current = state.current + 1;
    graceTokens -= 1;
    usedGrace = true;
  }
  const reset = current === 1 && state.current > 0;
  const next: StreakState = {
    ...state,
    current,
    best: Math.max(state.best, current),
    lastPlayedDay: today,
    graceTokens,
    graceWeek: week,
  };
  return { state: next, ticked: true, usedGrace, reset };
}

/** Streak rewards for days 1..7; day n > 7 cycles (day 8 pays like day 1, day 14 like day 7). */
export const STREAK_REWARDS: readonly RewardBundle[] = Object.freeze(
  [
    { gold: 100, xp: 10 },
    { gold: 150, xp: 15 },
    { gold: 200, xp: 20 },
    { gold: 300, xp: 25 },
    { gold: 400, xp: 30 },
    { gold: 500, xp: 40 },
    { gold: 1000, gem: 5, xp: 50 },
  ].map((bundle) => Object.freeze(bundle)),
);

/** The reward of a streak of `current` days (integer ≥ 1), cycling every 7 days; returns a fresh copy. */
export function streakRewardFor(current: number): RewardBundle {
  if (!Number.isSafeInteger(current) || current < 1) throw new RangeError(`Streak length must be an integer ≥ 1, got ${current}.`);
  const reward = STREAK_REWARDS[(current - 1) % STREAK_REWARDS.length];
  return { ...reward, ...(reward.items ? { items: reward.items.map((i) => ({ ...i })) } : {}) };
}

/**
 * Throws DomainError 'request/invalid' unless the streak reward is claimable at `at`: once per UTC day, only
 * after playing that day. details.reason: 'not_played_today' | 'already_claimed'.
 */
export function assertStreakClaimable(state: StreakState, at: Date): void {
  const today = dayKey(at);
  if (state.lastClaimedDay === today) {
    throw new DomainError('request/invalid', 'Streak reward already claimed today.', { reason: 'already_claimed', day: today });
  }
  if (state.lastPlayedDay !== today) {
    throw new DomainError('request/invalid', 'Play a game today to claim the streak reward.', { reason: 'not_played_today', day: today });
  }
}

/** The state after claiming the streak reward at `at` (lastClaimedDay = today's day key); asserts first. */
export function claimStreak(state: StreakState, at: Date): StreakState {
  assertStreakClaimable(state, at);
  return { ...state, lastClaimedDay: dayKey(at) };
}
