import type { EntityManager } from '@mikro-orm/postgresql';
import { levelForXp, xpForWager } from '../../../domain/economy/progression.ts';
import { lockGameStat, lockUser } from '../../db/repositories/user.repository.ts';
import type { ClosedSession, SessionEndHook } from './game.service.ts';

/**
 * Session-end hook: per-game lifetime stats and XP/level from the amount wagered. The rows are loaded (locked) through
 * the unit of work, changed in memory and written by one `flush` in the transaction that closes the session.
 */
export const statsAndXpHook: SessionEndHook = async (em: EntityManager, s: ClosedSession) => {
  const stat = await lockGameStat(em, s.userId, s.game);
  stat.sessions += 1;
  stat.rounds += s.rounds;
  stat.wagered += s.wagered;
  stat.won += s.won;
  stat.biggestWin = Math.max(stat.biggestWin, s.biggestWin);
  stat.biggestMultiplier = Math.max(stat.biggestMultiplier, s.biggestMultiplier);
  stat.updatedAt = new Date();
  const xp = xpForWager(s.wagered);
  if (xp > 0) {
    const user = await lockUser(em, s.userId);
    user.xp += xp;
    user.level = levelForXp(user.xp);
  }
  await em.flush();
};
