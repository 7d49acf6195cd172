/** XP earned per GOLD wagered: 1 XP for every 10 GOLD (integer, rounded down). */
export function xpForWager(wagered: number): number {
  return Math.floor(Math.max(0, wagered) / 10);
}

/** XP that makes one level (DESIGN §5). */
export const XP_PER_LEVEL = 500;

/** Level from total XP (DESIGN §5): floor(xp / 500) + 1. */
export function levelForXp(xp: number): number {
  return Math.floor(Math.max(0, xp) / XP_PER_LEVEL) + 1;
}
