import type { EntityManager } from '@mikro-orm/postgresql';
import { RewardGrant } from '../entities/liveops.entity.ts';

/**
 * Claims a grant key in the caller's transaction: true when this call inserted it (the grant is to be paid), false
 * when it existed (a repeated or concurrent claim; the unique key decides).
 */
export async function claimGrantKey(
  em: EntityManager,
  g: { grantKey: string; userId: string; source: string; sourceId: string | null; bundle: Record<string, unknown> },
): Promise<boolean> {
  const inserted = await em.execute<unknown[]>(
    `insert into reward_grants (id, grant_key, user_id, source, source_id, bundle, result, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, '', now()) on conflict (grant_key) do nothing returning id`,
    [g.grantKey, g.userId, g.source, g.sourceId, JSON.stringify(g.bundle)],
  );
  return inserted.length > 0;
}

/** The stored result of a grant key's first claim (JSON text). */
export async function grantResult(em: EntityManager, grantKey: string): Promise<string> {
  const [row] = await em.execute<{ result: string }[]>('select result from reward_grants where grant_key = ?', [grantKey]);
  return row.result;
}

/** Stores the result of a grant (returned again to repeated claims). */
export async function saveGrantResult(em: EntityManager, grantKey: string, result: string): Promise<void> {
  await em.nativeUpdate(RewardGrant, { grantKey }, { result });
}
