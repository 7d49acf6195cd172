import type { EntityManager } from '@mikro-orm/postgresql';
import { RewardGrant } from '../entities/liveops.entity.ts';
import { fromJson } from '../sql.ts';
import { columnsOf } from './columns.ts';

/** A reward paid to a player; the time in PostgreSQL's text form, as the API sends it. */
export interface RewardRecord {
  grantKey: string;
  source: string;
  sourceId: string | null;
  bundle: unknown;
  createdAt: string;
}

/** Reads of the reward_grants table (RewardService writes it). */
export const rewardGrants = {
  /** Every reward paid to the player, newest first. */
  async history(em: EntityManager, userId: string, limit: number): Promise<RewardRecord[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${columnsOf(em, RewardGrant, ['grantKey', 'source', 'sourceId', 'bundle', 'createdAt'])}
         from reward_grants where user_id = ? order by created_at desc limit ?`,
      [userId, limit],
    );
    return rows.map((r) => ({
      grantKey: r.grant_key as string,
      source: r.source as string,
      sourceId: r.source_id as string | null,
      bundle: fromJson(r.bundle),
      createdAt: r.created_at as string,
    }));
  },
};
