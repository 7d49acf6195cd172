import { LockMode, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Streak } from '../entities/liveops.entity.ts';
import { fromJson, runRead, type ReadPart } from '../sql.ts';

export type IStreak = InferEntity<typeof Streak>;

/** The streaks table: one row per player holding the streak's state (JSON owned by domain/liveops/streak). */
export const streaks = {
  /** The player's state, read without a lock (null before their first session). Raw: read by every lobby load. */
  state(em: EntityManager, userId: string): Promise<Record<string, unknown> | null> {
    return runRead(em, streaks.stateRead(userId));
  },

  /** The read of `state`, to run with others (`readTogether`). */
  stateRead(userId: string): ReadPart<Record<string, unknown> | null> {
    return {
      sql: 'select state from streaks where user_id = ?',
      params: [userId],
      map: ([row]) => (row ? fromJson<Record<string, unknown>>(row.state) : null),
    };
  },

  /**
   * The player's row locked for update, created with `initial` state when missing (only a player's first session
   * pays for the insert). The insert is SQL: `on conflict do nothing` lets two first sessions race without an error,
   * where the ORM's insert would fail; both then lock the one row.
   */
  async lock(em: EntityManager, userId: string, initial: object): Promise<IStreak> {
    const lock = { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } as const;
    const row = await em.findOne(Streak, { userId }, lock);
    if (row) return row;
    await em.execute(`insert into streaks (user_id, state, updated_at) values (?, ?, now()) on conflict do nothing`, [
      userId,
      JSON.stringify(initial),
    ]);
    return em.findOneOrFail(Streak, { userId }, lock);
  },
};
