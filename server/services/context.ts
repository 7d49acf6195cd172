import { RequestContext, type MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs `fn` with a fresh identity map (a forked EntityManager): one per room message and per job.
 * HTTP requests get theirs from the RequestContext middleware.
 */
export function withContext<T>(orm: MikroORM, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const em = orm.em.fork() as EntityManager;
  return RequestContext.create(em, () => fn(em));
}
