// The participation / mission state machine: active → claimable → claimed, or → expired at endsAt.
import { DomainError } from '../shared/errors.ts';
import { isComplete } from './conditions.ts';
import type { Condition } from './conditions.ts';

/** Statuses of an event participation or a mission row. `claimed` and `expired` are final. */
export const PARTICIPATION_STATUSES = ['active', 'claimable', 'claimed', 'expired'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

/** A half-open schedule [startsAt, endsAt); null means open on that side. */
export type Schedule = { startsAt: Date | null; endsAt: Date | null };

/** True when the status can no longer change. */
export function isFinalStatus(status: ParticipationStatus): boolean {
  return status === 'claimed' || status === 'expired';
}

/**
 * The status after progress or time moved. Final statuses stay. Once `now >= endsAt`, an active or a
 * claimable row expires (an unclaimed reward is lost at the end of its event/period). Otherwise an active row
 * becomes claimable when its progress completes the condition. `endsAt` null never expires.
 */
export function nextStatus(input: {
  status: ParticipationStatus;
  progress: number;
  condition: Condition;
  now: Date;
  endsAt: Date | null;
}): ParticipationStatus {
  const { status, progress, condition, now, endsAt } = input;
  if (isFinalStatus(status)) return status;
  if (endsAt !== null && now.getTime() >= endsAt.getTime()) return 'expired';
  if (status === 'active' && isComplete(progress, condition)) return 'claimable';
  return status;
}

const NOT_CLAIMABLE_REASON = {
  active: 'not_claimable',
  claimed: 'already_claimed',
  expired: 'expired',
} as const;

/**
 * Throws DomainError 'event/not_claimable' with details.reason 'not_claimable' | 'already_claimed' | 'expired'
 * unless the status is 'claimable'. Call it on the status from nextStatus(…) at claim time.
 */
export function assertClaimable(status: ParticipationStatus): void {
  if (status === 'claimable') return;
  const reason = NOT_CLAIMABLE_REASON[status];
  throw new DomainError('event/not_claimable', `Reward is not claimable (${reason}).`, { reason, status });
}

/** True when `now` is inside the half-open schedule: startsAt <= now < endsAt (null bounds are open). */
export function isInSchedule(schedule: Schedule, now: Date): boolean {
  const t = now.getTime();
  if (schedule.startsAt !== null && t < schedule.startsAt.getTime()) return false;
  if (schedule.endsAt !== null && t >= schedule.endsAt.getTime()) return false;
  return true;
}
