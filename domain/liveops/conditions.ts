// Mission and event conditions are data (DESIGN §5): a metric, an optional game filter and a target.
// Progress comes only from server-side session-end hooks, as SessionTotals.
import { z } from 'zod';
import { GAMES } from '../games/game.ts';
import type { Game } from '../games/game.ts';
import { DomainError } from '../shared/errors.ts';

/** The metrics a condition can count. `biggest_multiplier` is in hundredths (250 = ×2.50). */
export const METRICS = ['rounds', 'wagered', 'won', 'wins', 'biggest_multiplier', 'pulls', 'sessions'] as const;
export type Metric = (typeof METRICS)[number];

/** Zod schema of a Condition (no unknown keys: a typo in stored data fails loudly). */
export const ConditionSchema = z.strictObject({
  metric: z.enum(METRICS),
  game: z.enum(GAMES).optional(),
  target: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** A goal: reach `target` (positive integer) of `metric`, counting only sessions of `game` when given. */
export type Condition = { metric: Metric; game?: Game; target: number };

/** What one finished game session contributes; all integers ≥ 0, amounts in GOLD, biggestMultiplier in hundredths. */
export type SessionTotals = {
  game: Game;
  rounds: number;
  wagered: number;
  won: number;
  wins: number;
  biggestMultiplier: number;
  pulls: number;
};

/** Validates unknown JSON as a Condition; DomainError 'request/invalid' (details.issues) otherwise. */
export function parseCondition(json: unknown): Condition {
  const result = ConditionSchema.safeParse(json);
  if (!result.success) {
    throw new DomainError('request/invalid', 'Invalid condition.', { reason: 'invalid_condition', issues: result.error.issues });
  }
  return result.data;
}

/** How much a session adds to a condition's metric (0 when the game filter does not match; `sessions` adds 1). */
export function contributionOf(condition: Condition, session: SessionTotals): number {
  if (condition.game !== undefined && condition.game !== session.game) return 0;
  switch (condition.metric) {
    case 'rounds':
      return session.rounds;
    case 'wagered':
      return session.wagered;
    case 'won':
      return session.won;
    case 'wins':
      return session.wins;
    case 'biggest_multiplier':
      return session.biggestMultiplier;
    case 'pulls':
      return session.pulls;
    case 'sessions':
      return 1;
  }
}

/** True for metrics whose progress is the best single value (max) instead of a running sum. */
export function isMaxMetric(metric: Metric): boolean {
  return metric === 'biggest_multiplier';
}

/**
 * New progress after a session: sum for additive metrics, max for `biggest_multiplier`. The raw value is
 * kept (not capped at target); `changed` tells the caller whether to write and bump progress_version.
 */
export function advanceProgress(progress: number, condition: Condition, session: SessionTotals): { progress: number; changed: boolean } {
  const contribution = Math.max(0, contributionOf(condition, session));
  const next = isMaxMetric(condition.metric) ? Math.max(progress, contribution) : progress + contribution;
  return { progress: next, changed: next !== progress };
}

/** True once progress has reached the condition's target. */
export function isComplete(progress: number, condition: Condition): boolean {
  return progress >= condition.target;
}
