import type { EntityManager } from '@mikro-orm/postgresql';
import { RewardGrant } from '../entities/liveops.entity.ts';
import { fromJson } from '../sql.ts';
import { fieldList } from '../entity-sql.ts';

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

/** The stored result of a grant key, or null when no committed grant holds one (none, or its result is not stored yet). */
export async function findGrantResult(em: EntityManager, grantKey: string): Promise<string | null> {
  const [row] = await em.execute<{ result: string }[]>('select result from reward_grants where grant_key = ?', [grantKey]);
  return row?.result ? row.result : null;
}

/** Stores the result of a grant (returned again to repeated claims). */
export async function saveGrantResult(em: EntityManager, grantKey: string, result: string): Promise<void> {
  await em.nativeUpdate(RewardGrant, { grantKey }, { result });
}

/** A reward paid to a player; the time in PostgreSQL's text form, as the API sends it. */
export interface RewardRecord {
  grantKey: string;
  source: string;
  sourceId: string | null;
  bundle: unknown;
  createdAt: string;
}

/** Every reward paid to the player, newest first. */
export async function grantHistory(em: EntityManager, userId: string, limit: number): Promise<RewardRecord[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${fieldList(em, RewardGrant, ['grantKey', 'source', 'sourceId', 'bundle', 'createdAt'])}
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
}
