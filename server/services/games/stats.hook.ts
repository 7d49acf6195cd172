import type { EntityManager } from '@mikro-orm/postgresql';
import { levelForXp, xpForWager } from '../../../domain/economy/progression.ts';
import type { ClosedSession, SessionEndHook } from './game.service.ts';

/** Session-end hook: per-game lifetime stats and XP/level from the amount wagered. */
export const statsAndXpHook: SessionEndHook = async (em: EntityManager, s: ClosedSession) => {
  await em.execute(
    `insert into game_stats (user_id, game, sessions, rounds, wagered, won, biggest_win, biggest_multiplier, updated_at)
     values (?, ?, 1, ?, ?, ?, ?, ?, now())
     on conflict (user_id, game) do update set
       sessions = game_stats.sessions + 1, rounds = game_stats.rounds + excluded.rounds,
       wagered = game_stats.wagered + excluded.wagered, won = game_stats.won + excluded.won,
       biggest_win = greatest(game_stats.biggest_win, excluded.biggest_win),
       biggest_multiplier = greatest(game_stats.biggest_multiplier, excluded.biggest_multiplier), updated_at = now()`,
    [s.userId, s.game, s.rounds, s.wagered, s.won, s.biggestWin, s.biggestMultiplier],
  );
  const xp = xpForWager(s.wagered);
  if (xp === 0) return;
  const [row] = await em.execute<{ xp: string }[]>('update users set xp = xp + ? where id = ? returning xp', [xp, s.userId]);
  await em.execute('update users set level = ? where id = ?', [levelForXp(Number(row.xp)), s.userId]);
};
