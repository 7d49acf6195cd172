import type { EntityManager } from '@mikro-orm/postgresql';
import { levelForXp, xpForWager } from '../../../domain/economy/progression.ts';
import { gameStatAddWrite, userLevelWrite, userXpAddWrite } from '../../db/repositories/user.repository.ts';
import { executeTogether, type WritePart } from '../../db/sql.ts';
import type { ClosedSession, SessionEndHook } from './game.service.ts';

/**
 * Session-end hook: per-game lifetime stats and XP/level from the amount wagered, in the transaction that closes the
 * session. Both are additions made by the database (an upsert of the stats row, `xp = xp + n` on the user's row), so
 * they are one statement together and need no row read first; the level is written only when the new XP passes a
 * level boundary (the user's row is locked by then, so the level matches that XP).
 */
export const statsAndXpHook: SessionEndHook = async (em: EntityManager, s: ClosedSession) => {
  const xp = xpForWager(s.wagered);
  const parts: WritePart[] = [gameStatAddWrite(s)];
  if (xp > 0) parts.push(userXpAddWrite(s.userId, xp));
  const [, user] = await executeTogether(em, parts);
  const after = user?.[0] as { xp: number | string; level: number } | undefined;
  if (!after) return;
  const level = levelForXp(Number(after.xp));
  if (level !== after.level) await executeTogether(em, [userLevelWrite(s.userId, level)]);
};
