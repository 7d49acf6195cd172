import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import type { Condition } from '../../../domain/liveops/conditions.ts';
import type { ParticipationStatus } from '../../../domain/liveops/lifecycle.ts';
import type { GrantResult } from '../wallet/reward.service.ts';

/** A running event with this player's participation in its current period. */
export interface EventView {
  id: string;
  code: string;
  name: string;
  description: string;
  type: 'daily' | 'limited' | 'progression';
  condition: Condition;
  reward: RewardBundle;
  /** the schedule in PostgreSQL's text form */
  startsAt: string | null;
  endsAt: string | null;
  joined: boolean;
  progress: number;
  target: number;
  progressVersion: number;
  /** null when not joined */
  status: ParticipationStatus | null;
}

/** An active mission with this player's progress in its current period. */
export interface MissionView {
  id: string;
  code: string;
  name: string;
  period: 'daily' | 'weekly' | 'achievement';
  periodKey: string;
  condition: Condition;
  reward: RewardBundle;
  progress: number;
  target: number;
  progressVersion: number;
  status: ParticipationStatus;
}

/** A player's participation in an event for one period. */
export interface Participation {
  eventId: string;
  periodKey: string;
  status: ParticipationStatus;
  progress: number;
  progressVersion: number;
}

/** A claim's outcome: the grant (the first one's, again, for a repeat) and whether this claim paid it. */
export interface ClaimResult {
  grant: GrantResult;
  applied: boolean;
  progressVersion: number;
}

/** A claimable event or mission. */
export interface PendingReward {
  kind: 'event' | 'mission';
  id: string;
  name: string;
  reward: RewardBundle;
}

/** A grant on the wire: the part of every `reward_granted` message (and claim answer) that says what was paid. */
export function grantMessage(g: GrantResult) {
  return {
    grant_key: g.grantKey,
    reward_items: g.rewardItems,
    new_balances: g.newBalances,
    ...(g.xp !== undefined ? { xp: g.xp, level: g.level } : {}),
  };
}

/** The hub's `reward_granted` message for a claim; `POST /events|missions/:id/claim` answers with the same object. */
export function claimMessage(c: ClaimResult) {
  return { ...grantMessage(c.grant), applied: c.applied, progress_version: c.progressVersion };
}

/** The hub's `profile_update` message after a paid grant: the new balances, and XP and level when they changed. */
export function grantProfileUpdate(g: GrantResult) {
  const b = g.newBalances;
  return { balances: b, gold: b.GOLD, gem: b.GEM, ...(g.xp !== undefined ? { xp: g.xp, level: g.level } : {}) };
}
