import type { EntityManager } from '@mikro-orm/postgresql';
import { CrashChain, CrashRound, type ICrashChain } from '../entities/crash.entity.ts';
import { columnList, fromRow } from '../entity-sql.ts';
import { fromJson } from '../sql.ts';

/** The public parts of a crash chain, as the chain service uses them. */
export type ChainRow = Pick<ICrashChain, 'id' | 'length' | 'salt' | 'terminatingHash' | 'checkpointEvery' | 'roundsUsed'>;

const columns = (em: EntityManager) =>
  columnList(em, CrashChain, { only: ['id', 'length', 'salt', 'terminatingHash', 'checkpointEvery', 'roundsUsed'] });

/** The oldest active chain, or null. */
export async function findActiveChain(em: EntityManager): Promise<ChainRow | null> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `select ${columns(em)} from crash_chains where active order by created_at limit 1`,
  );
  return row ? fromRow<ChainRow>(em, CrashChain, row) : null;
}

/** Serialises chain creation across processes until the end of the transaction (an advisory lock). */
export async function lockChainCreation(em: EntityManager): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', ['crash_chain_create']);
}

/** Records a new active chain with its secret seed and checkpoints. */
export async function insertChain(em: EntityManager, c: ChainRow & { seed: string; checkpoints: string[] }): Promise<void> {
  await em.insert(CrashChain, { ...c, active: true, createdAt: new Date() });
}

/** Takes the chain's next position (one statement, so two rounds never share one); null when the chain is used up. */
export async function takeNextPosition(em: EntityManager, chainId: string, opts: { pastEnd?: boolean } = {}): Promise<ChainRow | null> {
  const [row] = await em.execute<Array<Record<string, unknown>>>(
    `update crash_chains set rounds_used = rounds_used + 1 where id = ?${opts.pastEnd ? '' : ' and rounds_used < length'}
     returning ${columns(em)}`,
    [chainId],
  );
  return row ? fromRow<ChainRow>(em, CrashChain, row) : null;
}

/** Retires a chain (a new one is made on next use). */
export async function deactivateChain(em: EntityManager, chainId: string): Promise<void> {
  await em.nativeUpdate(CrashChain, { id: chainId }, { active: false });
}

/** The chain's stored checkpoints (every `checkpoint_every`-th hash). */
export async function chainCheckpoints(em: EntityManager, chainId: string): Promise<string[]> {
  const [r] = await em.execute<{ checkpoints: string[] | string }[]>('select checkpoints from crash_chains where id = ?', [chainId]);
  return fromJson<string[]>(r.checkpoints);
}

/** Records a new crash round (status `betting`). */
export async function insertCrashRound(
  em: EntityManager,
  r: { id: string; chainId: string; position: number; roundHash: string; crashPoint: number; roomId: string; owner: string },
): Promise<void> {
  await em.insert(CrashRound, { ...r, status: 'betting', startedAt: new Date() });
}

/** Moves a round to a new status; `crashed_at` is set when it ends. */
export async function setCrashRoundStatus(em: EntityManager, id: string, status: 'running' | 'crashed' | 'voided'): Promise<void> {
  await em.execute(
    `update crash_rounds set status = ?, crashed_at = case when ? in ('crashed', 'voided') then now() else crashed_at end where id = ?`,
    [status, status, id],
  );
}

/** Voids the unfinished crash rounds of some owners (processes); returns how many. */
export async function voidCrashRoundsOf(em: EntityManager, owners: string[]): Promise<number> {
  const rows = await em.execute<unknown[]>(
    `update crash_rounds set status = 'voided', crashed_at = now() where status in ('betting', 'running') and owner in (?) returning id`,
    [owners],
  );
  return rows.length;
}
