/**
 * A slot machine definition: versioned data, published as is (DESIGN §4, §4a). Symbol ids are short
 * strings; each reel is a weighted strip (weighting = repetition), read top to bottom from the stop.
 */
export interface SlotMachine {
  version: string;
  /** visible rows per reel */
  rows: number;
  /** substitutes for every symbol but the scatter; wild-only runs pay from its own paytable row */
  wild: string;
  /** pays on the total bet by count anywhere and awards free spins; never part of a line */
  scatter: string;
  /** one strip per reel, left to right */
  strips: readonly (readonly string[])[];
  /** each payline lists one row index (0 = top) per reel */
  paylines: readonly (readonly number[])[];
  /** line pays for 3, 4 and 5 of a kind, as integer multiples of the bet per line */
  paytable: Readonly<Record<string, readonly [number, number, number]>>;
  /** scatter pays for 3, 4 and 5+ anywhere, as integer multiples of the total bet */
  scatterPays: readonly [number, number, number];
  /** free spins awarded for 3, 4 and 5+ scatters (also during free spins: retriggers are allowed) */
  freeSpinAwards: readonly [number, number, number];
  /** integer multiplier applied to every win of a free spin */
  freeSpinMultiplier: number;
  /** allowed bets per line, in GOLD minor units */
  betLevels: readonly number[];
}

/** The 20 paylines of slot-v1: row index (0 = top) per reel, left to right. */
const PAYLINES_20: readonly (readonly number[])[] = [
  [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [2, 2, 2, 2, 2], [0, 1, 2, 1, 0], [2, 1, 0, 1, 2],
  [0, 0, 1, 2, 2], [2, 2, 1, 0, 0], [1, 0, 0, 0, 1], [1, 2, 2, 2, 1], [0, 1, 1, 1, 0],
  [2, 1, 1, 1, 2], [1, 0, 1, 2, 1], [1, 2, 1, 0, 1], [0, 1, 0, 1, 0], [2, 1, 2, 1, 2],
  [1, 1, 0, 1, 1], [1, 1, 2, 1, 1], [0, 2, 0, 2, 0], [2, 0, 2, 0, 2], [0, 2, 2, 2, 0],
];

/**
 * slot-v1: 5 reels × 3 rows, 20 lines, strips of 39/39/39/39/41 stops. Low symbols TEN, JACK, QUEEN,
 * KING; high symbols CHERRY, BELL, BAR, SEVEN; W is wild (its own row pays wild-only runs), S is the
 * scatter (at most one visible per reel). Free spins: ×3 wins, retriggers allowed. Never edit a
 * published version: add slot-v2. Exact RTP ≈ 95.86 %, pinned by test/domain/games/slot/rtp.test.ts.
 */
export const SLOT_V1: SlotMachine = {
  version: 'slot-v1',
  rows: 3,
  wild: 'W',
  scatter: 'S',
  strips: [
    [
      'QUEEN', 'S', 'JACK', 'TEN', 'KING', 'KING', 'BELL', 'CHERRY', 'BAR', 'SEVEN', 'SEVEN', 'JACK', 'SEVEN', 'BAR',
      'JACK', 'BELL', 'TEN', 'JACK', 'JACK', 'CHERRY', 'TEN', 'TEN', 'BAR', 'JACK', 'CHERRY', 'TEN', 'KING', 'QUEEN',
      'BAR', 'QUEEN', 'CHERRY', 'QUEEN', 'KING', 'QUEEN', 'TEN', 'KING', 'TEN', 'JACK', 'W',
    ],
    [
      'QUEEN', 'S', 'TEN', 'BAR', 'W', 'W', 'QUEEN', 'JACK', 'JACK', 'BELL', 'KING', 'QUEEN', 'BELL', 'SEVEN',
      'TEN', 'QUEEN', 'CHERRY', 'CHERRY', 'BAR', 'SEVEN', 'JACK', 'KING', 'CHERRY', 'CHERRY', 'CHERRY', 'TEN', 'KING', 'SEVEN',
      'JACK', 'JACK', 'BELL', 'KING', 'TEN', 'JACK', 'KING', 'BELL', 'QUEEN', 'BELL', 'QUEEN',
    ],
    [
      'BELL', 'S', 'SEVEN', 'QUEEN', 'TEN', 'BAR', 'CHERRY', 'TEN', 'JACK', 'KING', 'KING', 'KING', 'JACK', 'W',
      'SEVEN', 'W', 'JACK', 'BAR', 'BAR', 'BAR', 'S', 'BAR', 'JACK', 'CHERRY', 'TEN', 'W', 'SEVEN', 'SEVEN',
      'BAR', 'QUEEN', 'TEN', 'KING', 'BAR', 'BELL', 'JACK', 'TEN', 'TEN', 'JACK', 'CHERRY',
    ],
    [
      'CHERRY', 'S', 'JACK', 'CHERRY', 'W', 'KING', 'QUEEN', 'JACK', 'QUEEN', 'BELL', 'KING', 'BAR', 'QUEEN', 'KING',
      'TEN', 'CHERRY', 'JACK', 'TEN', 'W', 'TEN', 'SEVEN', 'JACK', 'QUEEN', 'KING', 'BELL', 'BELL', 'BELL', 'JACK',
      'JACK', 'CHERRY', 'QUEEN', 'SEVEN', 'BELL', 'CHERRY', 'TEN', 'QUEEN', 'SEVEN', 'BAR', 'BAR',
    ],
    [
      'CHERRY', 'S', 'QUEEN', 'TEN', 'TEN', 'KING', 'SEVEN', 'TEN', 'BAR', 'JACK', 'BELL', 'KING', 'W', 'CHERRY',
      'SEVEN', 'CHERRY', 'QUEEN', 'JACK', 'SEVEN', 'CHERRY', 'BELL', 'JACK', 'KING', 'SEVEN', 'QUEEN', 'QUEEN', 'BAR', 'BELL',
      'TEN', 'TEN', 'BAR', 'W', 'JACK', 'QUEEN', 'JACK', 'SEVEN', 'TEN', 'JACK', 'KING', 'QUEEN', 'TEN',
    ],
  ],
  paylines: PAYLINES_20,
  paytable: {
    TEN: [5, 15, 50],
    JACK: [5, 20, 75],
    QUEEN: [10, 25, 100],
    KING: [10, 30, 125],
    CHERRY: [15, 50, 200],
    BELL: [20, 75, 300],
    BAR: [25, 100, 500],
    SEVEN: [50, 200, 1000],
    W: [100, 500, 2500],
  },
  scatterPays: [2, 10, 50],
  freeSpinAwards: [10, 15, 20],
  freeSpinMultiplier: 3,
  betLevels: [1, 2, 5, 10, 25, 50],
};
