import { schema, t, type SchemaType } from '@colyseus/schema';

/**
 * Who plays in the hall. A spin changes nothing here: its result, the machine's grid and balances included, goes to
 * its player alone in one `spin_result` frame. (A state change would send every client in the hall a patch frame on
 * the next tick: at a spin every 2–4 s, 50 players make nearly every tick a patch, 1,000 frames a second per hall.)
 */
export const SlotPlayerState = schema(
  {
    userId: t.string().default(''),
    username: t.string().default(''),
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
