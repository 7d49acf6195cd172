import { schema, t, type SchemaType } from '@colyseus/schema';

/** One player's machine in the hall (public: everyone sees everyone's last result). */
export const SlotPlayerState = schema({
  userId: t.string().default(''),
  username: t.string().default(''),
  betPerLine: t.uint32().default(0),
  spins: t.uint32().default(0),
  lastPayout: t.uint32().default(0),
  /** the last grid, row by row (3 rows × 5 reels, symbol ids): only the machine's own player receives it (StateView) */
  grid: t.array('string').view(),
}, 'SlotPlayerState');

export const SlotBigWinState = schema({
  username: t.string().default(''),
  payout: t.uint32().default(0),
  /** hundredths of the total bet */
  multiplier: t.uint32().default(0),
}, 'SlotBigWinState');

export const SlotHallState = schema({
  players: t.map(SlotPlayerState),
  /** the last big wins in this hall, newest last */
  bigWins: t.array(SlotBigWinState),
}, 'SlotHallState');

export type SlotHallState = SchemaType<typeof SlotHallState>;
