import { CRASH_VERSION } from '../../../domain/games/crash/round.ts';
import { GAMES, type Game } from '../../../domain/games/game.ts';
import { DEFAULT_RAKE_BPS, RPS_VERSION } from '../../../domain/games/rps/rules.ts';
import { SLOT_V1 } from '../../../domain/games/slot/machine.ts';
import { SLOT_V1_STATS } from '../../../domain/games/slot/published.ts';

/** A game's designed return to player and the standard deviation of one round's return (both per unit bet). */
export interface TheoreticalRtp {
  rtp: number;
  sigma: number;
  /** where the figures come from */
  basis: string;
}

/** z of the confidence band (±3σ: outside it, the realized RTP is very unlikely to be chance). */
export const RTP_BAND_Z = 3;

/** The crash multiplier `X = 99 / (1 − U)` pays a cash-out at m with probability 0.99 / m. */
const CRASH_RTP = 0.99;
/** The cash-out target the crash band assumes (σ grows with it: √(0.99·m − 0.99²)). */
const CRASH_BAND_TARGET = 2;

const SLOT: TheoreticalRtp = {
  rtp: SLOT_V1_STATS.rtp,
  sigma: SLOT_V1_STATS.volatility,
  basis: `${SLOT_V1.version} exact pay sheet`,
};

/**
 * The designed RTP and σ per game, from domain/games: slot from its exact pay-sheet statistics (slot-v1), crash from
 * the fair multiplier's law (for a cash-out at 2×), RPS from a duel's split with the default rake and uniform picks.
 * Gacha pays items, not money: it has no monetary RTP (null).
 */
export function theoreticalRtp(game: Game): TheoreticalRtp | null {
  switch (game) {
    case 'slot':
      return SLOT;
    case 'crash':
      return {
        rtp: CRASH_RTP,
        sigma: Math.sqrt(CRASH_RTP * CRASH_BAND_TARGET - CRASH_RTP ** 2),
        basis: `crash law 0.99/m, cash-out at ${CRASH_BAND_TARGET}×`,
      };
    case 'rps': {
      // a seat: draw 1/3 → stake back, win 1/3 → pot − rake, loss 1/3 → 0 (per unit stake)
      const win = 2 * (1 - DEFAULT_RAKE_BPS / 10_000);
      const mean = (1 + win) / 3;
      return { rtp: mean, sigma: Math.sqrt((1 + win * win) / 3 - mean * mean), basis: `rps duel, rake ${DEFAULT_RAKE_BPS} bps` };
    }
    case 'gacha':
      return null;
  }
}

/** The band the realized RTP of `n` rounds should fall in: rtp ± z·σ/√n. */
export function rtpBand(t: TheoreticalRtp, n: number): { low: number; high: number } | null {
  if (n <= 0) return null;
  const half = (RTP_BAND_Z * t.sigma) / Math.sqrt(n);
  // a return cannot go below nothing: with few rounds the lower edge is 0, not a negative RTP
  return { low: Math.max(0, t.rtp - half), high: t.rtp + half };
}

/** The algorithm version each game plays now (the one its published figures are for). */
export const CURRENT_ALGORITHM: Readonly<Record<Game, string>> = {
  slot: SLOT_V1.version,
  crash: CRASH_VERSION,
  rps: RPS_VERSION,
  gacha: 'gacha',
};

/** The published figures of a game's algorithm version; null for a version they are not for, or a game without. */
export function publishedRtp(game: Game, algorithm: string): TheoreticalRtp | null {
  return algorithm === CURRENT_ALGORITHM[game] ? theoreticalRtp(game) : null;
}

/** Every game's published figures for its current algorithm version (games without a monetary RTP left out). */
export function publishedLaws(): Array<{ game: Game; algorithm: string; rtp: number; sigma: number }> {
  return GAMES.flatMap((game) => {
    const t = theoreticalRtp(game);
    return t ? [{ game, algorithm: CURRENT_ALGORITHM[game], rtp: t.rtp, sigma: t.sigma }] : [];
  });
}
