/** A round's payout as hundredths of its bet (2000 = 20×), rounded down; 0 for a round with no bet (a free spin). */
export function toMultiplierHundredths(payout: number, bet: number): number {
  return bet > 0 ? Math.floor((payout * 100) / bet) : 0;
}

/** A round that pays at least this many hundredths of its bet (20×) is a big win: announced, and counted in public metrics. */
export const BIG_WIN_MULTIPLIER_HUNDREDTHS = 2000;

/** True when a round's multiplier (hundredths of its bet) makes it a big win. */
export function isBigWin(multiplierHundredths: number): boolean {
  return multiplierHundredths >= BIG_WIN_MULTIPLIER_HUNDREDTHS;
}
