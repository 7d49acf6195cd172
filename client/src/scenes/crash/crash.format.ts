// Crash multipliers travel in hundredths (250 = 2.50x); this is how they read on screen.

/** A multiplier in hundredths as the player reads it: 2.50x. */
export const x100 = (m: number) => `${(m / 100).toFixed(2)}x`;

/** This client's own bet as the chart and the controls show it. */
export interface MyBetView {
  /** the bet rides in the round on screen */
  riding: boolean;
  /** the bet was cashed out in the round on screen */
  cashed: boolean;
  amount: number;
  /** auto cash-out target in hundredths, 0 for none */
  auto: number;
  lastPayout: number;
  userId: string;
}
