import type { RewardRecord } from '../../db/repositories/reward-grant.repository.ts';
import {
  claimMessage,
  type ClaimResult,
  type EventView,
  type MissionView,
  type Participation,
  type PendingReward,
} from '../../services/liveops/liveops.results.ts';
import type { Dashboard } from '../../services/liveops/profile.service.ts';
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

/** The lobby in one response. */
export function dashboardBody(d: Dashboard) {
  return {
    profile: d.profile,
    balances: d.balances,
    events: d.events.map(eventBody),
    missions: d.missions.map(missionBody),
    pending_rewards: d.pendingRewards,
    recent_sessions: d.recentSessions,
    streak: d.streak,
    shop_highlights: d.shopHighlights.map(catalogProduct),
  };
}
