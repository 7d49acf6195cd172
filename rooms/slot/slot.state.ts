import { schema, t, type SchemaType } from '@colyseus/schema';

/**
 * One player's machine in the hall. Everyone sees who plays; the machine's figures are visible only to its own
 * player (StateView), so a spin patches one client instead of the whole hall.
 */
export const SlotPlayerState = schema(
  {
    userId: t.string().default(''),
    username: t.string().default(''),
    betPerLine: t.uint32().default(0).view(),
    spins: t.uint32().default(0).view(),
    lastPayout: t.uint32().default(0).view(),
    /** the last grid, row by row (3 rows × 5 reels, symbol ids) */
    grid: t.array('string').view(),
  },
  'SlotPlayerState',
);

export const SlotBigWinState = schema(
  {
    username: t.string().default(''),
    payout: t.uint32().default(0),
    /** hundredths of the total bet */
    multiplier: t.uint32().default(0),
  },
  'SlotBigWinState',
);

export const SlotHallState = schema(
  {
    players: t.map(SlotPlayerState),
    /** the last big wins in this hall, newest last */
    bigWins: t.array(SlotBigWinState),
  },
  'SlotHallState',
);

export type SlotHallState = SchemaType<typeof SlotHallState>;
