import { schema, t, type SchemaType } from '@colyseus/schema';

/** One player's bet in the current round (public). Multipliers are hundredths (157 = 1.57x). */
export const CrashBetState = schema(
  {
    username: t.string().default(''),
    amount: t.uint32().default(0),
    /** 0 = no auto cash-out */
    autoCashout: t.uint32().default(0),
    /** 0 while riding or when lost */
    cashedOutAt: t.uint32().default(0),
    payout: t.uint32().default(0),
    /** riding | cashed_out | lost | refunded */
    status: t.string().default('riding'),
  },
  'CrashBetState',
);

export const CrashState = schema(
  {
    /** betting | running | crashed */
    phase: t.string().default('betting'),
    roundId: t.string().default(''),
    /** the round's position in the published hash chain */
    chainPosition: t.uint32().default(0),
    /** the server's multiplier, patched while running */
    multiplier: t.uint32().default(100),
    /** revealed when the round crashes; 0 before */
    crashPoint: t.uint32().default(0),
    /** server epoch ms: when betting closes / when the curve started (clients interpolate from it) */
    bettingEndsAt: t.float64().default(0),
    runningSince: t.float64().default(0),
    /** the curve runs this many times faster than the published 2x-per-8-s (1 in production) */
    timeScale: t.float32().default(1),
    /** the last 20 crash points, newest last */
    history: t.array('uint32'),
    /**
     * The round's biggest bets (at most `PUBLIC_BETS`, by user id): every seat decodes every patch, so the list
     * stays short whatever the table holds. Each player hears of their own bet in its messages (and `your_bet`).
     */
    bets: t.map(CrashBetState),
    /** all the round's bets: how many, and their total stake */
    betCount: t.uint32().default(0),
    betTotal: t.float64().default(0),
  },
  'CrashState',
);

export type CrashState = SchemaType<typeof CrashState>;
