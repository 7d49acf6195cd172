import type { SessionSummary } from '../../db/repositories/game-session.repository.ts';
import type { GameStatSummary } from '../../db/repositories/user.repository.ts';
import type { RewardRecord } from '../../db/repositories/reward-grant.repository.ts';
import {
  claimMessage,
  type ClaimResult,
  type EventView,
  type MissionView,
  type Participation,
  type PendingReward,
} from '../../services/liveops/liveops.results.ts';
import type { Dashboard, ProfileView } from '../../services/liveops/profile.service.ts';
import { streakClaimMessage, type StreakClaim, type StreakView } from '../../services/liveops/streak.service.ts';
import { meBody } from './auth.dto.ts';
import { catalogProduct } from './shop.dto.ts';

/** A running event with the player's participation. */
export function eventBody(e: EventView) {
  return {
    id: e.id,
    code: e.code,
    name: e.name,
    description: e.description,
    type: e.type,
    condition: e.condition,
    reward: e.reward,
    starts_at: e.startsAt,
    ends_at: e.endsAt,
    joined: e.joined,
    progress: e.progress,
    target: e.target,
    progress_version: e.progressVersion,
    status: e.status,
  };
}

/** A mission with the player's progress this period. */
export function missionBody(m: MissionView) {
  return {
    id: m.id,
    code: m.code,
    name: m.name,
    period: m.period,
    period_key: m.periodKey,
    condition: m.condition,
    reward: m.reward,
    progress: m.progress,
    target: m.target,
    progress_version: m.progressVersion,
    status: m.status,
  };
}

export function participationBody(p: Participation) {
  return { event_id: p.eventId, period_key: p.periodKey, status: p.status, progress: p.progress, progress_version: p.progressVersion };
}

/** A claim's answer: `{grant_key, reward_items, new_balances, xp?, level?, applied, progress_version}`, as the hub's `reward_granted`. */
export function claimBody(c: ClaimResult) {
  return claimMessage(c);
}

export function pendingBody(p: PendingReward) {
  return { kind: p.kind, id: p.id, name: p.name, reward: p.reward };
}

export function rewardBody(r: RewardRecord) {
  return { grant_key: r.grantKey, source: r.source, source_id: r.sourceId, bundle: r.bundle, created_at: r.createdAt };
}

/** The streak: its state's fields, then today's view of it. */
export function streakBody(v: StreakView) {
  return { ...v.state, today: v.today, played_today: v.playedToday, claimable: v.claimable, reward: v.reward };
}

/** A streak claim's answer, as the hub's `reward_granted`. */
export function streakClaimBody(c: StreakClaim) {
  return streakClaimMessage(c);
}

/** A game session in the lobby's and the profile's lists. */
export function sessionBody(x: SessionSummary) {
  return {
    id: x.id,
    game: x.game,
    status: x.status,
    started_at: x.startedAt,
    ended_at: x.endedAt,
    rounds: x.rounds,
    wagered: x.wagered,
    won: x.won,
    wins: x.wins,
    biggest_win: x.biggestWin,
    biggest_multiplier: x.biggestMultiplier,
  };
}

/** A player's lifetime figures in one game. */
export function gameStatBody(x: GameStatSummary) {
  return {
    game: x.game,
    sessions: x.sessions,
    rounds: x.rounds,
    wagered: x.wagered,
    won: x.won,
    biggest_win: x.biggestWin,
    biggest_multiplier: x.biggestMultiplier,
  };
}

/** The profile: the player (as `GET /auth/me`), level progress, per-game stats and streak. */
export function profileBody(p: ProfileView) {
  return {
    ...meBody(p.user),
    level_progress: { xp_in_level: p.levelProgress.xpInLevel, xp_per_level: p.levelProgress.xpPerLevel },
    stats: p.stats.map(gameStatBody),
    streak: streakBody(p.streak),
  };
}

/** The lobby in one response. */
export function dashboardBody(d: Dashboard) {
  return {
    profile: profileBody(d.profile),
    balances: d.balances,
    events: d.events.map(eventBody),
    missions: d.missions.map(missionBody),
    pending_rewards: d.pendingRewards,
    recent_sessions: d.recentSessions.map(sessionBody),
    streak: streakBody(d.streak),
    shop_highlights: d.shopHighlights.map(catalogProduct),
  };
}

/** Wire shapes of these answers, for clients (`import type`). */
export type EventBody = ReturnType<typeof eventBody>;
export type MissionBody = ReturnType<typeof missionBody>;
export type ClaimBody = ReturnType<typeof claimBody>;
export type StreakBody = ReturnType<typeof streakBody>;
export type SessionBody = ReturnType<typeof sessionBody>;
export type GameStatBody = ReturnType<typeof gameStatBody>;
export type ProfileBody = ReturnType<typeof profileBody>;
export type DashboardBody = ReturnType<typeof dashboardBody>;
