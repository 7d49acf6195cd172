import type { EntityManager } from '@mikro-orm/postgresql';
import { FairnessSeed, type IFairnessSeed } from '../entities/fairness-seed.entity.ts';
import { columnList, fromRow } from '../entity-sql.ts';
import { jsonRecordset, type WritePart } from '../sql.ts';

/** The parts of a `fairness_seeds` row the services read. */
export type SeedRow = Pick<IFairnessSeed, 'id' | 'userId' | 'serverSeed' | 'serverSeedHash' | 'clientSeed' | 'nextNonce'>;

const columns = (em: EntityManager) =>
  columnList(em, FairnessSeed, { only: ['id', 'userId', 'serverSeed', 'serverSeedHash', 'clientSeed', 'nextNonce'] });
const toSeed = (em: EntityManager, raw: Record<string, unknown>) => fromRow<SeedRow>(em, FairnessSeed, raw);

/** Takes the next nonce of the player's active seed (one statement; the row lock serialises a player's rounds); null without one. */
export async function takeNonce(em: EntityManager, userId: string): Promise<(SeedRow & { nonce: number }) | null> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `update fairness_seeds set next_nonce = next_nonce + 1 where user_id = ? and revealed_at is null
     returning ${columns(em)}, next_nonce - 1 as nonce`,
    [userId],
  );
  return row ? { ...toSeed(em, row), nonce: Number(row.nonce) } : null;
}

/** Locks the active seeds of several players, in user order (concurrent batches cannot deadlock). */
export async function lockActiveSeeds(em: EntityManager, userIds: string[]): Promise<SeedRow[]> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select ${columns(em)} from fairness_seeds where user_id in (?) and revealed_at is null order by user_id for update`,
    [userIds],
  );
  return rows.map((r) => toSeed(em, r));
}

/** `lockActiveSeeds` as a part of one statement with others (`executeTogether`); read its rows with `seedRows`. */
export function lockActiveSeedsPart(em: EntityManager, userIds: string[]): WritePart {
  return {
    sql: `select ${columns(em)} from fairness_seeds where user_id = any(?::uuid[]) and revealed_at is null order by user_id for update`,
    params: [`{${userIds.join(',')}}`],
    returning: true,
  };
}

/** The rows of `lockActiveSeedsPart`. */
export const seedRows = (em: EntityManager, raw: Array<Record<string, unknown>>): SeedRow[] => raw.map((r) => toSeed(em, r));

/**
 * The write of nonces taken in memory from locked seeds, to run with `executeTogether`. Raw and set-based because it
 * is the group-commit path (the bench settles ~1,880 slot rounds/s this way, 1.27x pgbench TPC-B).
 */
export function nonceWrites(changed: Array<{ id: string; nextNonce: number }>): WritePart[] {
  if (changed.length === 0) return [];
  return [
    {
      sql: `update fairness_seeds s set next_nonce = v.next_nonce from ${jsonRecordset('id uuid, next_nonce int', changed.length)} where s.id = v.id`,
      params: [JSON.stringify(changed.map((c) => ({ id: c.id, next_nonce: c.nextNonce })))],
    },
  ];
}

/** The player's active seed (optionally locked for the transaction), or null. */
export async function findActiveSeed(em: EntityManager, userId: string, lock = false): Promise<SeedRow | null> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `select ${columns(em)} from fairness_seeds where user_id = ? and revealed_at is null${lock ? ' for update' : ''}`,
    [userId],
  );
  return row ? toSeed(em, row) : null;
}

/** Inserts an active seed unless the player already has one (the partial unique index decides), then returns the active seed. */
export async function insertActiveSeed(
  em: EntityManager,
  s: { userId: string; serverSeed: string; serverSeedHash: string; clientSeed: string },
): Promise<SeedRow> {
  await em.execute(
    `insert into fairness_seeds (id, user_id, server_seed, server_seed_hash, client_seed, next_nonce, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, 0, now()) on conflict (user_id) where revealed_at is null do nothing`,
    [s.userId, s.serverSeed, s.serverSeedHash, s.clientSeed],
  );
  return (await findActiveSeed(em, s.userId))!;
}

/** Sets a seed's client seed; returns the updated row. */
export async function updateClientSeed(em: EntityManager, seedId: string, clientSeed: string): Promise<SeedRow> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `update fairness_seeds set client_seed = ? where id = ? returning ${columns(em)}`,
    [clientSeed, seedId],
  );
  return toSeed(em, row);
}

/** Marks a seed revealed (it stops being the active one). */
export async function revealSeed(em: EntityManager, seedId: string, at: Date): Promise<void> {
  await em.nativeUpdate(FairnessSeed, { id: seedId }, { revealedAt: at });
}
