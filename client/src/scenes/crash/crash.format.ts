// This client's bet as the crash chart and controls read it.

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
