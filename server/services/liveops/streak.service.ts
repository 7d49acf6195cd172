import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { dayKey } from '../../../domain/liveops/periods.ts';
import {
  assertStreakClaimable,
  claimStreak,
  INITIAL_STREAK,
  streakRewardFor,
  tickStreak,
  type StreakState,
} from '../../../domain/liveops/streak.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { streaks, type IStreak } from '../../db/repositories/streak.repository.ts';
import { runRead, type ReadPart } from '../../db/sql.ts';
import type { SessionEndHook } from '../games/game.service.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import type { GrantResult, RewardService } from '../wallet/reward.service.ts';
import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import { grantMessage } from './liveops.results.ts';

/** A player's streak as of today, with today's reward and whether it can be claimed. */
export interface StreakView {
  state: StreakState;
  today: string;
  playedToday: boolean;
  claimable: boolean;
  reward: RewardBundle;
}

/** A streak claim's outcome: the grant (the first one's, again, for a repeat) and the streak it paid for. */
export interface StreakClaim {
  grant: GrantResult;
  applied: boolean;
  streak: number;
}

/** The hub's `reward_granted` message for a streak claim; `POST /streak/claim` answers with the same object. */
export function streakClaimMessage(c: StreakClaim): Record<string, unknown> {
  return { ...grantMessage(c.grant), applied: c.applied, streak: c.streak };
}

/** The daily streak: ticked by the session-end hook once per UTC day of play; its reward claimed once per day. */
export class StreakService {
  constructor(
    private readonly orm: MikroORM,
    private readonly rewards: RewardService,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
    private readonly onChanged: (userId: string) => Promise<void> = async () => undefined,
  ) {}

  /** The player's streak today. */
  view(userId: string): Promise<StreakView> {
    return runRead(this.orm.em.fork() as EntityManager, this.viewRead(userId));
  }

  /** The read of `view`, to run with others (`readTogether`). */
  viewRead(userId: string): ReadPart<StreakView> {
    const read = streaks.stateRead(userId);
    const today = dayKey(this.clock.now());
    return {
      ...read,
      map: (rows) => {
        const stored = read.map(rows);
        const state = stored ? ({ ...stored } as unknown as StreakState) : { ...INITIAL_STREAK };
        return {
          state,
          today,
          playedToday: state.lastPlayedDay === today,
          claimable: state.lastPlayedDay === today && state.lastClaimedDay !== today,
          reward: streakRewardFor(Math.max(1, state.current)),
        };
      },
    };
  }

  /** Pays today's streak reward once; a repeat the same day returns the first grant with `applied: false`. */
  async claim(userId: string): Promise<StreakClaim> {
    let applied = false;
    const out = await this.orm.em.fork().transactional(async (tx): Promise<StreakClaim> => {
      const em = tx as EntityManager;
      const row = await streaks.lock(em, userId, INITIAL_STREAK);
      const state = stateOf(row);
      const now = this.clock.now();
      const today = dayKey(now);
      if (state.lastClaimedDay === today) {
        const again = await this.rewards.grant(em, {
          userId,
          grantKey: `streak:${userId}:${today}`,
          source: 'streak',
          bundle: streakRewardFor(state.current),
        });
        return { grant: again.result, applied: false, streak: state.current };
      }
      try {
        assertStreakClaimable(state, now);
      } catch (err) {
        if (err instanceof DomainError) throw new DomainError('streak/not_claimable', err.message, err.details);
        throw err;
      }
      const granted = await this.rewards.grant(em, {
        userId,
        grantKey: `streak:${userId}:${today}`,
        source: 'streak',
        sourceId: String(state.current),
        bundle: streakRewardFor(state.current),
      });
      await this.save(em, row, claimStreak(state, now));
      applied = granted.applied;
      return { grant: granted.result, applied: granted.applied, streak: state.current };
    });
    if (applied) {
      await this.onChanged(userId); // before the push, which makes clients refetch the dashboard
      await this.hub.push(userId, 'reward_granted', streakClaimMessage(out));
    }
    return out;
  }

  /** Session-end hook: one tick per UTC day of play (the session's end time decides the day). */
  readonly sessionEndHook: SessionEndHook = async (em, session, afterCommit) => {
    const row = await streaks.lock(em, session.userId, INITIAL_STREAK);
    const tick = tickStreak(stateOf(row), session.endedAt);
    if (!tick.ticked) return;
    await this.save(em, row, tick.state);
    afterCommit(() =>
      this.hub.push(session.userId, 'notification', {
        kind: 'streak',
        current: tick.state.current,
        used_grace: tick.usedGrace,
        reset: tick.reset,
      }),
    );
  };

  /** Changes the locked row in memory and flushes it: one UPDATE of the changed columns. */
  private async save(em: EntityManager, row: IStreak, state: StreakState) {
    row.state = state as unknown as Record<string, unknown>;
    row.updatedAt = this.clock.now();
    await em.flush();
  }
}

function stateOf(row: IStreak): StreakState {
  return { ...(row.state as unknown as StreakState) };
}
